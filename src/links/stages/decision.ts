/**
 * Stage 5, decision: the strongest rule wins; one company on the strongest rule is a link, two or more
 * is ambiguous (no link). Makes `decided`; drops `evidence` and `co`.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { dropTables } from './sql.js';

export async function decideLinks(duck: DuckDBConnection): Promise<void> {
  const run = (sql: string) => duck.run(sql);
  // The best tier per range; one company there is a link, more is ambiguous.
  await run(`CREATE OR REPLACE TEMP TABLE decided AS
    WITH best AS (SELECT rid, min(tier) AS tier FROM evidence GROUP BY rid),
    top AS (SELECT e.* FROM evidence e JOIN best b USING (rid, tier)),
    per AS (SELECT rid, count(DISTINCT (register, register_id)) AS companies FROM top GROUP BY rid)
    SELECT d.*, co.name AS company_name, co.country AS company_country, co.lei, co.name_key, co.nace_main
    FROM (SELECT t.rid, per.companies,
        CASE WHEN per.companies = 1 THEN t.register END AS register,
        CASE WHEN per.companies = 1 THEN t.register_id END AS register_id,
        t.rule, t.attr, t.text, t.score
      FROM (SELECT *, row_number() OVER (PARTITION BY rid ORDER BY score DESC, rule, attr, text) AS k FROM top) t JOIN per USING (rid) WHERE t.k = 1) d
    LEFT JOIN co ON co.register = d.register AND co.register_id = d.register_id`);
  await dropTables(duck, ['evidence', 'co']);
}
