/**
 * The objection list (GDPR Art. 21) as a DuckDB table: CSV with columns register, register_id and
 * name (any may be empty). A row with a register id blocks that company; a row with only a name
 * blocks every company whose name key is the name's, in any country. Linking and the index build
 * both apply it, so an objection filed after the links were made still holds at the next build.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { withNameKey } from '../names/name-key-sql.js';
import { sqlString } from '../lake/sql.js';

/** Creates the temp table `objections(register, register_id, name_key)` from the CSV at `path` (empty when undefined). */
export async function loadObjections(duck: DuckDBConnection, path: string | undefined): Promise<void> {
  const rows = path === undefined
    ? `SELECT NULL::VARCHAR AS register, NULL::VARCHAR AS register_id, NULL::VARCHAR AS name_key WHERE false`
    : withNameKey(`SELECT nullif(trim(register), '') AS register, nullif(trim(register_id), '') AS register_id, nullif(trim(name), '') AS name, NULL::VARCHAR AS country FROM read_csv(${sqlString(path)}, all_varchar = true, header = true)`, 'name', 'country');
  await duck.run(`CREATE OR REPLACE TEMP TABLE objections AS SELECT register, register_id, name_key FROM (${rows})`);
}

/**
 * SQL of the distinct (register, register_id) of `companies` — a query with register, register_id
 * and name_key — that an objection blocks.
 */
export function blockedCompaniesSql(companies: string): string {
  return `SELECT DISTINCT c.register, c.register_id FROM (${companies}) c JOIN objections o
    ON (o.register = c.register AND o.register_id = c.register_id) OR (o.register_id IS NULL AND o.name_key = c.name_key)`;
}
