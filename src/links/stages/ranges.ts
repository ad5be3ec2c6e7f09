/**
 * Stage 1, ranges: every inetnum/inet6num with its organisation's name and type, a row id in address
 * order, its descr lines (first line of each), and the name key of its own name (org-name, else the
 * first descr line). Makes `orgs` and `ranges`.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { withNameKeyOnce } from '../../names/name-key-sql.js';
import { parquet } from './sql.js';

export async function loadRanges(duck: DuckDBConnection, inputs: { inetnums: readonly string[]; whoisOrgs: readonly string[] }): Promise<void> {
  const run = (sql: string) => duck.run(sql);
  await run(`CREATE OR REPLACE TEMP TABLE orgs AS SELECT source, org_id, any_value(org_name) AS org_name, any_value(org_type) AS org_type FROM ${parquet(inputs.whoisOrgs)} GROUP BY source, org_id`);
  await run(`CREATE OR REPLACE TEMP TABLE ranges AS
    SELECT * EXCLUDE (own_legal_form) FROM (${withNameKeyOnce(
      `SELECT row_number() OVER (ORDER BY i.source, i.family, i.first_key, i.last_key DESC, i.line) AS rid,
        i.source, CAST(i.family AS TINYINT) AS family, i.first_address, i.last_address, i.first_key, i.last_key, i.first_v4, i.last_v4, i.bucket_first, i.bucket_last,
        i.netname, coalesce(list_transform(i.descr, lambda d: split_part(d, chr(10), 1)), []) AS descr, upper(i.country) AS country, i.org_id, i.status, i.line,
        o.org_name, o.org_type, coalesce(o.org_name, i.descr[1]) AS own_name
      FROM ${parquet(inputs.inetnums)} i LEFT JOIN orgs o ON o.source = i.source AND o.org_id = i.org_id`,
      'own_name',
      'country',
      'own',
    )})`);
}
