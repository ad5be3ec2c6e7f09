/** A DuckDB connection for tests, with extension downloads off (nothing may be fetched). */
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDuckDb } from '../../src/lake/duckdb.js';

export { openDuckDb };

/** Runs a query and returns its rows as plain objects (BIGINT as number). */
export async function queryRows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
  );
}

/** What DuckDB's read_csv makes of a file: columns, rows read, and the lines it rejected. */
export async function readCsvStrictly(
  connection: DuckDBConnection,
  path: string,
  options = '',
): Promise<{ columns: string[]; rows: number; rejectedLines: number[] }> {
  const source = `read_csv('${path}', header=true, all_varchar=true, strict_mode=true, quote='"', escape='"', store_rejects=true ${options})`;
  await connection.run('DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans;');
  const counted = await queryRows(connection, `SELECT count(*) AS n FROM ${source}`);
  const rejected = await queryRows(connection, 'SELECT DISTINCT line FROM reject_errors ORDER BY line');
  const described = await connection.runAndReadAll(`SELECT * FROM ${source} LIMIT 0`);
  return { columns: described.columnNames(), rows: Number(counted[0]?.['n']), rejectedLines: rejected.map((r) => Number(r['line'])) };
}
