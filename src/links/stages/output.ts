/**
 * Stage 6, suppression and output: a company on the objection list never appears (the range is
 * marked suppressed); every range is written as a company_links row with its class, outcome,
 * evidence, score and confidence, and the rows are counted.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { COMPANY_LINKS } from '../../../schemas/link-tables.js';
import { sqlString } from '../../lake/sql.js';
import { castToSchema } from '../../lake/table-schema.js';
import { classConfidenceSql, confidenceSql } from '../confidence.js';
import { CLASS_CONFIDENCE } from '../networks.js';
import { addMarketingOptOuts, blockedCompaniesSql, loadObjections } from '../objections.js';
import { GLOBAL_REGISTERS } from './sql.js';

/** What a linking run made. */
export interface LinkStats {
  ranges: number;
  linked: number;
  ambiguous: number;
  suppressed: number;
  /** Suppressed ranges by why: objection, marketing opt-out (counts, never who). */
  suppressedBy: Record<string, number>;
  /** Ranges whose class a user's correction set. */
  corrected: number;
  /** Ranges announced by another network than their holder's own (leased or customer space). */
  announcedByOther: number;
  byClass: Record<string, number>;
  byRule: Record<string, number>;
}

/** Writes company_links rows (without the snapshot partition) to `out` (a Parquet file) and counts them. */
export async function writeLinks(duck: DuckDBConnection, suppression: string | undefined, out: string, ruleVersion: string, companies?: string): Promise<LinkStats> {
  const run = (sql: string) => duck.run(sql);
  // Objections: by register number, or by name key (any country); and the companies whose register says no marketing.
  await loadObjections(duck, suppression);
  if (companies !== undefined) await addMarketingOptOuts(duck, companies);
  // Objections against the companies linked (an objection to a company no range names changes nothing).
  await run(`CREATE OR REPLACE TEMP TABLE blocked AS ${blockedCompaniesSql('SELECT DISTINCT register, register_id, name_key FROM decided WHERE register IS NOT NULL')}`);

  await run(`COPY (${castToSchema(COMPANY_LINKS, `
    SELECT r.family, r.first_address, r.last_address, r.first_key, r.last_key, r.first_v4, r.last_v4, r.bucket_first, r.bucket_last,
      r.source AS whois_source, CASE r.family WHEN 4 THEN 'inetnum' ELSE 'inet6num' END AS object_class, r.line AS object_line,
      r.netname, r.status, r.country, c.range_class, c.class_rule, c.class_evidence,
      ${classConfidenceSql('c.class_rule', 'a.network_confidence', CLASS_CONFIDENCE)} AS class_confidence,
      a.asn, a.as_name, a.holder_announces AS announced_by_holder,
      CASE WHEN s.register IS NOT NULL THEN 'suppressed' WHEN d.companies = 1 THEN 'linked' WHEN d.companies > 1 THEN 'ambiguous'
           WHEN c.range_class IN ('isp', 'mobile') THEN 'not-linkable' ELSE 'unmatched' END AS outcome,
      CASE WHEN s.register IS NULL THEN d.register END AS register,
      CASE WHEN s.register IS NULL THEN d.register_id END AS register_id,
      CASE WHEN s.register IS NULL THEN d.company_name END AS company_name,
      CASE WHEN s.register IS NULL THEN d.company_country END AS company_country,
      CASE WHEN s.register IS NULL THEN d.lei END AS lei,
      CASE WHEN s.register IS NULL AND d.companies >= 1 THEN d.rule END AS link_rule,
      CASE WHEN s.register IS NULL AND d.companies >= 1 THEN d.attr END AS evidence_attribute,
      CASE WHEN s.register IS NULL AND d.companies >= 1 THEN d.text END AS evidence_text,
      CASE WHEN s.register IS NULL AND d.companies = 1 THEN d.score END AS score,
      CASE WHEN s.register IS NULL AND d.companies = 1 THEN ${confidenceSql('d.rule', `d.register IN ${GLOBAL_REGISTERS}`)} END AS confidence,
      coalesce(d.companies, 0) AS candidates,
      ${sqlString(ruleVersion)} AS rule_version
    FROM ranges r JOIN classes c USING (rid)
    LEFT JOIN announced a USING (rid)
    LEFT JOIN decided d USING (rid)
    LEFT JOIN blocked s ON s.register = d.register AND s.register_id = d.register_id
    ORDER BY r.rid`)}
  ) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`);

  const stats = await duck.runAndReadAll(`SELECT outcome, range_class, link_rule, starts_with(class_rule, 'correction-'), coalesce(NOT announced_by_holder, false), count(*) FROM read_parquet(${sqlString(out)}) GROUP BY ALL`);
  const result: LinkStats = { ranges: 0, linked: 0, ambiguous: 0, suppressed: 0, suppressedBy: {}, corrected: 0, announcedByOther: 0, byClass: {}, byRule: {} };
  for (const [reason, n] of (await duck.runAndReadAll(`SELECT s.reason, count(*) FROM decided d JOIN blocked s ON s.register = d.register AND s.register_id = d.register_id GROUP BY ALL`)).getRows() as [string, bigint][]) {
    result.suppressedBy[reason] = Number(n);
  }
  for (const [outcome, rangeClass, rule, corrected, byOther, n] of stats.getRows() as [string, string, string | null, boolean, boolean, bigint][]) {
    const count = Number(n);
    if (corrected) result.corrected += count;
    if (byOther) result.announcedByOther += count;
    result.ranges += count;
    if (outcome === 'linked') result.linked += count;
    if (outcome === 'ambiguous') result.ambiguous += count;
    if (outcome === 'suppressed') result.suppressed += count;
    result.byClass[rangeClass] = (result.byClass[rangeClass] ?? 0) + count;
    if (outcome === 'linked' && rule !== null) result.byRule[rule] = (result.byRule[rule] ?? 0) + count;
  }
  return result;
}
