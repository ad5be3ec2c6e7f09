/**
 * Users' class corrections (src/links/corrections.ts), applied in two places of the linking: after
 * the classes, the corrections by range and by organisation set a range's class (so a range corrected
 * to isp or mobile offers no evidence, and one corrected away from them may be linked); after the
 * decision, the corrections by company set the class of the ranges linked to that company, and drop
 * the link when the class is isp or mobile. A range correction beats an organisation's, the narrowest
 * range first; both beat a company's. The class rule says which: `correction-range` and so on.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadCorrections } from '../corrections.js';

/** Loads the corrections and applies those by range and organisation to `classes`; returns how many corrections there are. */
export async function correctClasses(duck: DuckDBConnection, path: string | undefined): Promise<number> {
  const count = await loadCorrections(duck, path);
  await duck.run(`CREATE OR REPLACE TEMP TABLE class_fixes AS
    SELECT rid, class, kind, value FROM (
      SELECT r.rid, c.class, c.kind, c.value, row_number() OVER (PARTITION BY r.rid ORDER BY CASE c.kind WHEN 'range' THEN 1 ELSE 2 END, c.first_key DESC NULLS LAST, c.last_key NULLS LAST) AS k
      FROM ranges r JOIN corrections c
        ON (c.kind = 'range' AND r.first_key >= c.first_key AND r.last_key <= c.last_key) OR (c.kind = 'org' AND upper(r.org_id) = upper(c.value)))
    WHERE k = 1`);
  await duck.run(`UPDATE classes SET range_class = f.class, class_rule = 'correction-' || f.kind, class_evidence = f.value FROM class_fixes f WHERE classes.rid = f.rid`);
  return count;
}

/** Applies the corrections by company to the ranges `decided` linked (where no range or organisation correction did). */
export async function correctCompanies(duck: DuckDBConnection): Promise<void> {
  await duck.run(`CREATE OR REPLACE TEMP TABLE company_fixes AS
    SELECT d.rid, any_value(c.class) AS class, any_value(c.value) AS value FROM decided d JOIN corrections c ON c.kind = 'register' AND c.register = d.register AND c.register_id = d.register_id
    WHERE d.rid NOT IN (SELECT rid FROM class_fixes) GROUP BY d.rid`);
  await duck.run(`UPDATE classes SET range_class = f.class, class_rule = 'correction-register', class_evidence = f.value FROM company_fixes f WHERE classes.rid = f.rid`);
  await duck.run(`DELETE FROM decided WHERE rid IN (SELECT rid FROM company_fixes WHERE class IN ('isp', 'mobile'))`);
}
