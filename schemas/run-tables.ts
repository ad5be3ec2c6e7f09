/**
 * The run records as a table: `runs`, one row per run (`runs/<pipeline>/<run-id>.json`, one JSON
 * object on one line), its steps as an array of structs. Athena reads them with the OpenX JSON SerDe
 * (the records' camelCase keys mapped to snake_case columns); DuckDB with read_json, to the same
 * columns. The struct fields of `steps` are the records' keys in lower case, which is how the SerDe
 * matches nested keys.
 */
import { sqlString } from '../src/lake/sql.js';
import type { PartitionValues } from './partition-values.js';

/** A column of a JSON table: its name, the record's key, and its type in each engine. */
export interface JsonColumn {
  name: string;
  /** The key in the run record. */
  key: string;
  athena: string;
  duckdb: string;
  description: string;
}

/** The fields of one step, as the struct both engines give. */
export const STEP_FIELDS: readonly { name: string; key: string; athena: string; duckdb: string }[] = [
  { name: 'name', key: 'name', athena: 'string', duckdb: 'VARCHAR' },
  { name: 'outcome', key: 'outcome', athena: 'string', duckdb: 'VARCHAR' },
  { name: 'startedat', key: 'startedAt', athena: 'string', duckdb: 'VARCHAR' },
  { name: 'endedat', key: 'endedAt', athena: 'string', duckdb: 'VARCHAR' },
  { name: 'durationms', key: 'durationMs', athena: 'bigint', duckdb: 'BIGINT' },
  { name: 'rowsin', key: 'rowsIn', athena: 'bigint', duckdb: 'BIGINT' },
  { name: 'rowsout', key: 'rowsOut', athena: 'bigint', duckdb: 'BIGINT' },
  { name: 'error', key: 'error', athena: 'string', duckdb: 'VARCHAR' },
  { name: 'skippedbecause', key: 'skippedBecause', athena: 'string', duckdb: 'VARCHAR' },
];

const STEPS_ATHENA = `array<struct<${STEP_FIELDS.map((f) => `${f.name}:${f.athena}`).join(',')}>>`;
const STEPS_DUCKDB = `STRUCT(${STEP_FIELDS.map((f) => `"${f.name}" ${f.duckdb}`).join(', ')})[]`;

export interface JsonTable {
  name: string;
  description: string;
  /** Where its objects are below the lake: `<prefix><partition value>/<id>.json`. */
  prefix: string;
  columns: readonly JsonColumn[];
  /** Its partition; the values it takes are the pipelines' names (PartitionValues.pipelines). */
  partition: { name: string; description: string };
}

export const RUNS: JsonTable = {
  name: 'runs',
  description: 'the run records of the pipelines: one row per run, its steps in order',
  prefix: 'runs/',
  columns: [
    { name: 'run_id', key: 'runId', athena: 'string', duckdb: 'VARCHAR', description: 'the run id: its start time (UTC, to the millisecond) and six hex digits' },
    { name: 'snapshot', key: 'snapshot', athena: 'string', duckdb: 'VARCHAR', description: 'the snapshot the run made (YYYY-MM-DD)' },
    { name: 'host', key: 'host', athena: 'string', duckdb: 'VARCHAR', description: 'the machine it ran on' },
    { name: 'pid', key: 'pid', athena: 'bigint', duckdb: 'BIGINT', description: 'its process id there' },
    { name: 'started_at', key: 'startedAt', athena: 'string', duckdb: 'VARCHAR', description: 'when it started (ISO 8601, UTC)' },
    { name: 'ended_at', key: 'endedAt', athena: 'string', duckdb: 'VARCHAR', description: 'when it ended (ISO 8601, UTC); null while running or when it died' },
    { name: 'outcome', key: 'outcome', athena: 'string', duckdb: 'VARCHAR', description: 'running, succeeded, failed, stopped (told to, between steps) or died (marked by the run that took over its lease)' },
    { name: 'from_step', key: 'fromStep', athena: 'string', duckdb: 'VARCHAR', description: 'the step it started from (--from-step), when not the first' },
    { name: 'error', key: 'error', athena: 'string', duckdb: 'VARCHAR', description: 'why it failed, stopped or died' },
    { name: 'steps', key: 'steps', athena: STEPS_ATHENA, duckdb: STEPS_DUCKDB, description: 'its steps in order: name, outcome, start and end, duration in ms, rows in and out, error, why skipped' },
  ],
  // `ipreg index build` records its runs as index-build.
  partition: { name: 'pipeline', description: 'the pipeline: ip-allocations, registers, links, index, index-build or nightly' },
};


/** Where a JSON table's objects are. */
export function jsonTableLocation(table: JsonTable, lake: string): string {
  return `${lake.replace(/\/$/, '')}/${table.prefix}`;
}

/** The JSON SerDe's parameters: keys matched in any case, malformed lines skipped, renamed columns mapped to their keys. */
export function jsonSerdeParameters(table: JsonTable): Record<string, string> {
  return {
    'case.insensitive': 'true',
    'ignore.malformed.json': 'true',
    ...Object.fromEntries(table.columns.filter((c) => c.name !== c.key).map((c) => [`mapping.${c.name}`, c.key])),
  };
}

/** The table properties of a JSON table: partition projection on its partition. */
export function jsonTableProperties(table: JsonTable, lake: string, values: PartitionValues): Record<string, string> {
  return {
    'projection.enabled': 'true',
    [`projection.${table.partition.name}.type`]: 'enum',
    [`projection.${table.partition.name}.values`]: values.pipelines.join(','),
    'storage.location.template': `${jsonTableLocation(table, lake)}\${${table.partition.name}}`,
  };
}

/**
 * Athena DDL for a JSON table below `lake`, with partition projection on its partition. Malformed
 * JSON is skipped, not fatal: run records of earlier versions were several lines each.
 */
export function jsonTableDdl(table: JsonTable, lake: string, values: PartitionValues): string {
  const location = jsonTableLocation(table, lake);
  const columns = table.columns.map((c) => `  \`${c.name}\` ${c.athena} COMMENT ${sqlString(c.description)}`).join(',\n');
  const mappings = Object.entries(jsonSerdeParameters(table))
    .filter(([k]) => k.startsWith('mapping.'))
    .map(([k, v]) => `${sqlString(k)}=${sqlString(v)}`);
  return `CREATE EXTERNAL TABLE IF NOT EXISTS \`${table.name}\` (
${columns}
)
COMMENT ${sqlString(table.description)}
PARTITIONED BY (
  \`${table.partition.name}\` string COMMENT ${sqlString(table.partition.description)}
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES (
  'case.insensitive'='true',
  'ignore.malformed.json'='true',
  ${mappings.join(',\n  ')}
)
LOCATION ${sqlString(location)}
TBLPROPERTIES (
  ${Object.entries(jsonTableProperties(table, lake, values))
    .map(([k, v]) => `${sqlString(k)}=${sqlString(v)}`)
    .join(',\n  ')}
);
`;
}
