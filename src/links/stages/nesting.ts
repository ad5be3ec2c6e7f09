/**
 * Stage 2, nesting: each range's top-level range (its allocation), by one sort per registry and
 * family. Makes `nesting` (rid, top_rid, is_top).
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export async function nestRanges(duck: DuckDBConnection): Promise<void> {
  const run = (sql: string) => duck.run(sql);
  // A range is top-level when no range before it (same registry and family, by start then widest first) reaches its end.
  await run(`CREATE OR REPLACE TEMP TABLE nesting AS
    SELECT rid, source, family, min(rid) OVER (PARTITION BY source, family, top_seq) AS top_rid, is_top
    FROM (SELECT rid, source, family, is_top, sum(CASE WHEN is_top THEN 1 ELSE 0 END) OVER (PARTITION BY source, family ORDER BY rid ROWS UNBOUNDED PRECEDING) AS top_seq
          FROM (SELECT rid, source, family,
                  coalesce(max(last_key) OVER (PARTITION BY source, family ORDER BY rid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) < last_key, true) AS is_top
                FROM ranges))`);
}
