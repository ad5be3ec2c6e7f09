/**
 * The lake in DuckDB: a view per table over a local lake folder, under the same names and with the
 * same columns as the Athena tables (partition columns as text, as Athena projects them), so that the
 * same SQL runs on a laptop and in the cloud. A table with no files yet is an empty view with its
 * columns. No extension is installed or loaded from the network.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBResultReader, Json } from '@duckdb/node-api';
import { TABLES } from '../../schemas/athena.js';
import { RUNS, STEP_FIELDS, type JsonTable } from '../../schemas/run-tables.js';
import { VIEWS } from '../../schemas/views.js';
import { openDuckDb } from './duckdb.js';
import type { TableSchema } from './table-schema.js';
import { sqlString } from './sql.js';

/** What a lake view reads. */
export interface LakeTable {
  name: string;
  kind: 'table' | 'view';
  /** Objects it reads (0: an empty table, nothing written yet). */
  files: number;
}


/** The files below `dir` whose names end with `suffix`, at any depth. */
async function filesBelow(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith(suffix)).map((e) => join(e.parentPath, e.name));
}

/** The SELECT of a Parquet table: its columns in order, then its partition columns as text. */
export function parquetViewSql(table: TableSchema, root: string, files: number): string {
  const columns = table.columns.map((c) => `"${c.name}"`);
  const partitions = table.partitions.map((p) => `CAST("${p.name}" AS VARCHAR) AS "${p.name}"`);
  if (files === 0) return `SELECT ${[...table.columns.map((c) => `CAST(NULL AS ${c.type}) AS "${c.name}"`), ...table.partitions.map((p) => `CAST(NULL AS VARCHAR) AS "${p.name}"`)].join(', ')} WHERE false`;
  const glob = join(root, 'tables', table.name, ...table.partitions.map(() => '*'), '*.parquet');
  const types = `{${table.partitions.map((p) => `${sqlString(p.name)}: 'VARCHAR'`).join(', ')}}`;
  return `SELECT ${[...columns, ...partitions].join(', ')} FROM read_parquet(${sqlString(glob)}, hive_partitioning = true, hive_types = ${types})`;
}

/** The SELECT of a JSON table (the run records): its columns named as in Athena, the partition from the path. */
export function jsonViewSql(table: JsonTable, root: string, files: number): string {
  const names = [...table.columns.map((c) => `"${c.name}"`), `"${table.partition.name}"`];
  if (files === 0) return `SELECT ${[...table.columns.map((c) => `CAST(NULL AS ${c.duckdb}) AS "${c.name}"`), `CAST(NULL AS VARCHAR) AS "${table.partition.name}"`].join(', ')} WHERE false`;
  const columns = `{${table.columns.map((c) => `${sqlString(c.key)}: ${sqlString(c.key === 'steps' ? `STRUCT(${STEP_FIELDS.map((f) => `"${f.key}" ${f.duckdb}`).join(', ')})[]` : c.duckdb)}`).join(', ')}}`;
  const glob = join(root, table.prefix, '*', '*.json');
  const steps = `list_transform("steps", lambda s: struct_pack(${STEP_FIELDS.map((f) => `"${f.name}" := s."${f.key}"`).join(', ')}))`;
  const select = table.columns.map((c) => (c.key === 'steps' ? `${steps} AS "steps"` : `"${c.key}" AS "${c.name}"`));
  // The partition is the folder, as Athena's projection makes it.
  const partition = `regexp_extract(filename, '/([^/]+)/[^/]+\\.json$', 1) AS "${table.partition.name}"`;
  return `SELECT ${names.join(', ')} FROM (SELECT ${[...select, partition].join(', ')} FROM read_json(${sqlString(glob)}, format = 'auto', columns = ${columns}, filename = true))`;
}

/**
 * Opens DuckDB in memory with a view per lake table (and the lake's views) over the lake folder
 * `root`. The connection closes its instance.
 */
export async function openLake(root: string, options: { memoryLimit?: string } = {}): Promise<{ duck: DuckDBConnection; tables: LakeTable[] }> {
  const duck = await openDuckDb({ memoryLimit: options.memoryLimit ?? '2GB' });
  const tables: LakeTable[] = [];
  try {
    for (const table of TABLES) {
      const files = (await filesBelow(join(root, 'tables', table.name), '.parquet')).length;
      await duck.run(`CREATE VIEW "${table.name}" AS ${parquetViewSql(table, root, files)}`);
      tables.push({ name: table.name, kind: 'table', files });
    }
    const runFiles = (await filesBelow(join(root, RUNS.prefix), '.json')).length;
    await duck.run(`CREATE VIEW "${RUNS.name}" AS ${jsonViewSql(RUNS, root, runFiles)}`);
    tables.push({ name: RUNS.name, kind: 'table', files: runFiles });
    for (const view of VIEWS) {
      await duck.run(`CREATE VIEW "${view.name}" AS ${view.duckdb}`);
      tables.push({ name: view.name, kind: 'view', files: 0 });
    }
  } catch (err) {
    duck.closeSync();
    throw err;
  }
  return { duck, tables };
}

/** The integer types DuckDB gives as text in JSON (beyond 2^53 they would lose digits as numbers). */
const WIDE_INTEGERS = new Set(['BIGINT', 'HUGEINT', 'UBIGINT', 'UHUGEINT']);

/**
 * A result's rows as JSON objects (column names made unique), wide integers as numbers where they
 * are exact as numbers (counts, sums, IPv4 addresses), else left as text.
 */
export async function resultObjects(result: DuckDBResultReader): Promise<{ columns: string[]; rows: Record<string, Json>[] }> {
  const columns = result.deduplicatedColumnNames();
  const wide = result.columnTypes().map((t) => WIDE_INTEGERS.has(t.toString()));
  const rows = (await result.getRowsJson()).map((row) =>
    Object.fromEntries(
      row.map((value, i) => {
        const n = wide[i] === true && typeof value === 'string' ? Number(value) : undefined;
        return [columns[i] as string, n !== undefined && Number.isSafeInteger(n) ? n : value];
      }),
    ),
  );
  return { columns, rows };
}
