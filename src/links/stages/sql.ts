/** What the linking stages share: reading Parquet inputs, dropping staging tables, the global registers. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../lake/sql.js';
import { REGISTERS } from '../../sources/catalog.js';

/** Drops staging tables no later statement reads: their memory goes back to the joins still to come. */
export async function dropTables(duck: DuckDBConnection, tables: readonly string[]): Promise<void> {
  for (const table of tables) await duck.run(`DROP TABLE IF EXISTS ${table}`);
}

export { parquet } from '../../lake/sql.js';

/**
 * The registers of no one country (GLEIF; `"country": null` in their source.json), as an SQL list:
 * their entities have namesakes in every country, so the rules hold them to stronger evidence.
 */
export const GLOBAL_REGISTERS = `(${(REGISTERS.some((r) => r.register.country === null) ? REGISTERS.filter((r) => r.register.country === null).map((r) => sqlString(r.id)) : ["''"]).join(', ')})`;
