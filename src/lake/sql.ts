/**
 * SQL text: the one place a value becomes a SQL literal. Every query the project sends to DuckDB or
 * Athena quotes its strings here.
 */

/** A SQL string literal: `text` in single quotes, each quote doubled. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Parquet files (hive-partitioned paths) as one relation. */
export const parquet = (files: readonly string[]) => `read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = true, union_by_name = true)`;
