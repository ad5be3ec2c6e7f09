/**
 * The objection list (GDPR Art. 21) as a DuckDB table: CSV with columns register, register_id and
 * name (any may be empty). A row with a register id blocks that company; a row with only a name
 * blocks every company whose name key is the name's, in any country. Linking and the index build
 * both apply it, so an objection filed after the links were made still holds at the next build.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { withNameKey } from '../names/name-key-sql.js';
import { sqlString } from '../lake/sql.js';

/** Why a company is blocked: it objected (the list), or its register says it wants no marketing. */
export type BlockReason = 'objection' | 'marketing opt-out';

/** Creates the temp table `objections(register, register_id, name_key, reason)` from the CSV at `path` (empty when undefined). */
export async function loadObjections(duck: DuckDBConnection, path: string | undefined): Promise<void> {
  const rows = path === undefined
    ? `SELECT NULL::VARCHAR AS register, NULL::VARCHAR AS register_id, NULL::VARCHAR AS name_key WHERE false`
    : withNameKey(`SELECT nullif(trim(register), '') AS register, nullif(trim(register_id), '') AS register_id, nullif(trim(name), '') AS name, NULL::VARCHAR AS country FROM read_csv(${sqlString(path)}, all_varchar = true, header = true)`, 'name', 'country');
  await duck.run(`CREATE OR REPLACE TEMP TABLE objections AS SELECT register, register_id, name_key, 'objection' AS reason FROM (${rows})`);
}

/**
 * Adds to `objections` every company whose register says it does not want marketing (companies'
 * `marketing_opt_out`: SCB's advertising opt-out, CVR's advertising protection): for this project the
 * same as an objection. `companies`: a relation over the companies partitions; one written before the
 * column existed has none, and adds nothing.
 */
export async function addMarketingOptOuts(duck: DuckDBConnection, companies: string): Promise<void> {
  const columns = (await duck.runAndReadAll(`DESCRIBE SELECT * FROM ${companies}`)).getRows().map((r) => String(r[0]));
  if (!columns.includes('marketing_opt_out')) return;
  await duck.run(`INSERT INTO objections SELECT DISTINCT register, register_id, NULL, 'marketing opt-out' FROM ${companies} WHERE marketing_opt_out`);
}

/**
 * SQL of the distinct (register, register_id) of `companies` — a query with register, register_id
 * and name_key — that an objection blocks, with the reason (an objection before an opt-out).
 */
export function blockedCompaniesSql(companies: string): string {
  // Two equality joins, each hashed: one join on the two conditions OR-ed compared every company with
  // every objection (the marketing opt-outs are a tenth of a register: minutes on the full world).
  return `WITH c AS MATERIALIZED (${companies})
    SELECT register, register_id, min(reason) AS reason FROM (
      SELECT c.register, c.register_id, o.reason FROM c JOIN objections o ON o.register = c.register AND o.register_id = c.register_id
      UNION ALL
      SELECT c.register, c.register_id, o.reason FROM c JOIN objections o ON o.name_key = c.name_key WHERE o.register_id IS NULL)
    GROUP BY register, register_id`;
}
