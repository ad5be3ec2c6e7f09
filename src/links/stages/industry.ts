/**
 * Stage 5b, industry: what the register says a linked company does. A range linked to a company whose
 * main industry code (NACE Rev. 2, as the registers pipeline maps each register's codes) is
 * telecommunications, wireless telecommunications, hosting, public administration or education
 * (src/links/data/industry-classes.csv) takes that class — when nothing stronger than the default or
 * an assignment's "business" gave its class — and so do the ranges of its allocation that name the
 * holder or nobody. A range so made isp or mobile loses its link: an access provider found in a
 * register is still an access provider. A user's correction of the range, its organisation or the
 * company wins. Drops `nesting`.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../lake/sql.js';
import type { IndustryClass } from '../class-data.js';
import { dropTables } from './sql.js';

export async function classByIndustry(duck: DuckDBConnection, map: readonly IndustryClass[]): Promise<void> {
  const run = (sql: string) => duck.run(sql);
  if (map.length === 0) {
    await dropTables(duck, ['nesting']);
    return;
  }
  await run(`CREATE OR REPLACE TEMP TABLE industry_map AS SELECT * FROM (VALUES ${map.map((m) => `(${sqlString(m.nace)}, ${sqlString(m.class)})`).join(', ')}) AS t(nace, class)`);
  // The linked ranges a weak rule classed, with the class their company's main code says (the longest code prefix).
  await run(`CREATE OR REPLACE TEMP TABLE industry_fixes AS
    SELECT d.rid, m.class, d.nace_main AS nace FROM decided d JOIN classes c USING (rid) JOIN industry_map m ON starts_with(d.nace_main, m.nace)
    WHERE regexp_replace(c.class_rule, '^(holder-own-|unnamed-in-)', '') IN ('default', 'assignment')
      AND d.rid NOT IN (SELECT rid FROM class_fixes)
      AND NOT EXISTS (SELECT 1 FROM corrections x WHERE x.kind = 'register' AND x.register = d.register AND x.register_id = d.register_id)
    QUALIFY row_number() OVER (PARTITION BY d.rid ORDER BY length(m.nace) DESC) = 1`);
  // An allocation so classed carries the ranges that inherit its class (they name the holder or nobody).
  await run(`INSERT INTO industry_fixes
    SELECT n.rid, f.class, f.nace FROM industry_fixes f JOIN nesting n ON n.top_rid = f.rid JOIN classes c ON c.rid = n.rid
    WHERE NOT n.is_top AND c.class_rule IN ('holder-own-default', 'unnamed-in-default') AND n.rid NOT IN (SELECT rid FROM industry_fixes) AND n.rid NOT IN (SELECT rid FROM class_fixes)`);
  await run(`UPDATE classes SET range_class = f.class,
      class_rule = CASE WHEN starts_with(classes.class_rule, 'holder-own-') THEN 'holder-own-industry' WHEN starts_with(classes.class_rule, 'unnamed-in-') THEN 'unnamed-in-industry' ELSE 'industry' END,
      class_evidence = 'NACE ' || f.nace
    FROM industry_fixes f WHERE classes.rid = f.rid`);
  await run(`DELETE FROM decided WHERE rid IN (SELECT rid FROM industry_fixes WHERE class IN ('isp', 'mobile'))`);
  await dropTables(duck, ['industry_map', 'industry_fixes', 'nesting']);
}
