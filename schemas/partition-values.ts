/**
 * The values the lake's enum partitions take. Athena's partition projection lists them in each table's
 * DDL, but they are the code's to know, not the schemas': the sources the catalog discovers and the
 * pipelines' names. Whoever makes DDL passes them in (pipelines/partition-values.ts has the project's).
 */
export interface PartitionValues {
  /** Every source, with what decides which table's partitions it fills. */
  sources: readonly { id: string; kind: string; format: string }[];
  /** The names run records are partitioned by. */
  pipelines: readonly string[];
}
