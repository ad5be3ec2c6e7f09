/**
 * Stage 3, classes: a leaf class from the range's own words (pools, mobile, infrastructure, hosting
 * …), a top-level class from its descendants, then from what its holder is — the known-operator list
 * (by organisation handle, by name), the words of its name in the RIR regions' languages
 * (src/links/data), and the class of the network that announces it when that network is the holder's
 * own (stage 2b) — and the range's class from both (rules: class-rules.ts). Ranges classed isp or
 * mobile are never linked: their users are an access provider's customers. Makes `classes` (rid,
 * range_class, class_rule, class_evidence).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../lake/sql.js';
import { classWordsSql, foldedNameSql, operatorKeysSql, operatorNameSql, spacedNameSql } from '../class-data.js';
import { LEAF_RULES } from '../class-rules.js';
import type { NetworkEvidence } from '../networks.js';
import { dropTables } from './sql.js';

/** True when any descr line matches (case-insensitive RE2). */
const anyDescr = (pattern: string) => `coalesce(len(list_filter(descr, lambda d: regexp_matches(strip_accents(lower(d)), ${sqlString(pattern)}))) > 0, false)`;
const netnameMatches = (pattern: string) => `coalesce(regexp_matches(upper(netname), ${sqlString(pattern)}), false)`;

/** The leaf rule a range's own words match, first in LEAF_RULES order. */
function leafSql(): string {
  const arms = LEAF_RULES.map((r) => {
    const tests = [r.netname === undefined ? undefined : netnameMatches(r.netname), r.descr === undefined ? undefined : anyDescr(r.descr)].filter((t) => t !== undefined);
    return `WHEN ${tests.join(' OR ')} THEN ${sqlString(`${r.kind}|${r.name}`)}`;
  });
  return `CASE ${arms.join(' ')} END`;
}

export async function classifyRanges(duck: DuckDBConnection, evidence: NetworkEvidence): Promise<void> {
  const run = (sql: string) => duck.run(sql);
  // What each distinct name says, worked out once per name (the patterns are many, the names repeat):
  // an allocation's holder name against the operator list and every class's words; a name inside
  // another's space against the government and education words only.
  await run(`CREATE OR REPLACE TEMP TABLE range_names AS
    SELECT r.rid, n.is_top, coalesce(r.org_name, r.descr[1], r.netname) AS name FROM ranges r JOIN nesting n USING (rid)`);
  await run(`CREATE OR REPLACE TEMP TABLE name_classes AS
    SELECT name, is_top, CASE WHEN is_top THEN ${operatorNameSql('folded', evidence.operators)} END AS operator_pick,
      CASE WHEN is_top THEN ${classWordsSql('spaced', evidence.words, ['government', 'business', 'education', 'mobile', 'hosting', 'isp'])}
           ELSE ${classWordsSql('spaced', evidence.words, ['government', 'education'])} END AS words_pick
    FROM (SELECT name, is_top, ${foldedNameSql('name')} AS folded, ${spacedNameSql('name')} AS spaced FROM (SELECT DISTINCT name, is_top FROM range_names WHERE name IS NOT NULL))`);
  await run(`CREATE OR REPLACE TEMP TABLE holder_names AS
    SELECT rn.rid, nc.operator_pick, CASE WHEN rn.is_top THEN nc.words_pick END AS words_pick, CASE WHEN NOT rn.is_top THEN nc.words_pick END AS own_range_pick
    FROM range_names rn JOIN name_classes nc USING (name, is_top)`);
  await dropTables(duck, ['range_names', 'name_classes']);
  // 3. Classes.
  await run(`CREATE OR REPLACE TEMP TABLE leaves AS SELECT rid, ${leafSql()} AS leaf FROM ranges`);
  await run(`CREATE OR REPLACE TEMP TABLE tops AS
    SELECT n.top_rid AS rid,
      bool_or(split_part(l.leaf, '|', 1) = 'mobile') AS has_mobile,
      bool_or(split_part(l.leaf, '|', 1) = 'access') AS has_access,
      bool_or(split_part(l.leaf, '|', 1) = 'isp' AND split_part(l.leaf, '|', 2) = 'reseller') AS has_reseller,
      bool_or(split_part(l.leaf, '|', 1) = 'hosting') AS has_hosting,
      bool_or(split_part(l.leaf, '|', 1) = 'education') AS has_education,
      bool_or(split_part(l.leaf, '|', 1) = 'government') AS has_government,
      -- A holder that assigns space to others (unnamed customers, or several differently named ones) is a provider.
      bool_or(split_part(l.leaf, '|', 2) = 'customer-unnamed') AS has_unnamed_customers,
      count(DISTINCT r.own_key) FILTER (NOT n.is_top AND l.leaf IS NULL) AS named_children
    FROM nesting n JOIN leaves l USING (rid) JOIN ranges r USING (rid) GROUP BY n.top_rid`);
  // A holder's tops (its IPv4 and IPv6 allocations, by organisation) share what their children say.
  await run(`CREATE OR REPLACE TEMP TABLE holders AS
    SELECT t.*, bool_or(t.has_mobile) OVER h AS h_mobile, bool_or(t.has_access OR t.has_reseller) OVER h AS h_access, bool_or(t.has_hosting) OVER h AS h_hosting,
      bool_or(t.has_education) OVER h AS h_education, bool_or(t.has_government) OVER h AS h_government,
      bool_or(t.has_unnamed_customers OR t.named_children >= 3) OVER h AS h_customers
    FROM tops t JOIN ranges r USING (rid)
    WINDOW h AS (PARTITION BY r.source, coalesce(r.org_id, 'range:' || r.rid))`);
  await run(`CREATE OR REPLACE TEMP TABLE top_classes AS
    SELECT t.rid, CASE
        WHEN t.h_mobile THEN 'mobile|children-mobile'
        WHEN t.h_access THEN 'isp|children-access'
        -- A provider that also hosts: its name says access (a telecom with server ranges is a telecom).
        WHEN t.h_hosting AND split_part(hn.words_pick, '|', 1) IN ('isp', 'mobile') THEN split_part(hn.words_pick, '|', 1) || '|children-hosting-words|' || split_part(hn.words_pick, '|', 3)
        WHEN t.h_hosting THEN 'hosting|children-hosting'
        WHEN t.h_education THEN 'education|children-campus'
        WHEN t.h_government THEN 'government|children-government'
        WHEN t.h_customers THEN 'isp|children-customers'
        WHEN r.org_name IS NULL AND len(r.descr) = 0 AND r.netname IS NULL THEN 'unknown|nameless'
        ELSE coalesce(
          CASE WHEN ok.class IS NOT NULL THEN ok.class || '|operator-org|' || r.org_id END,
          hn.operator_pick,
          hn.words_pick,
          -- The holder's own network, classed from routing data (not a class the rules above could read).
          CASE WHEN a.holder_announces AND a.network_evidence NOT IN ('default') THEN a.as_class || '|network-' || a.network_evidence || '|AS' || a.asn END,
          'business|default')
      END AS top_class
    FROM holders t JOIN ranges r USING (rid)
    LEFT JOIN (${operatorKeysSql(evidence.operators)}) ok ON ok.key_kind = 'org' AND ok.value = upper(r.org_id)
    LEFT JOIN holder_names hn USING (rid)
    LEFT JOIN announced a USING (rid)`);
  await run(`CREATE OR REPLACE TEMP TABLE classes AS
    SELECT r.rid,
      CASE
        WHEN split_part(l.leaf, '|', 1) = 'access' THEN CASE WHEN split_part(tc.top_class, '|', 1) = 'mobile' THEN 'mobile' ELSE 'isp' END
        WHEN l.leaf IS NOT NULL THEN split_part(l.leaf, '|', 1)
        WHEN n.is_top THEN split_part(tc.top_class, '|', 1)
        -- A range inside another's space that names nobody, or names the holder itself, has the holder's class.
        WHEN (r.netname IS NULL AND len(r.descr) = 0 AND r.org_name IS NULL) OR r.own_key = top.own_key THEN split_part(tc.top_class, '|', 1)
        -- A named range inside another's space: the holder's own (office, campus) or a customer.
        ELSE coalesce(split_part(hn.own_range_pick, '|', 1), 'business')
      END AS range_class,
      CASE WHEN l.leaf IS NOT NULL THEN split_part(l.leaf, '|', 2) WHEN n.is_top THEN split_part(tc.top_class, '|', 2)
           WHEN r.netname IS NULL AND len(r.descr) = 0 AND r.org_name IS NULL THEN 'unnamed-in-' || split_part(tc.top_class, '|', 2)
           WHEN r.own_key = top.own_key THEN 'holder-own-' || split_part(tc.top_class, '|', 2) ELSE 'assignment' END AS class_rule,
      -- What carried the class: the range's netname for its own words, else what its allocation's class rests on.
      CASE WHEN l.leaf IS NOT NULL THEN r.netname WHEN n.is_top OR r.own_key = top.own_key OR (r.netname IS NULL AND len(r.descr) = 0 AND r.org_name IS NULL) THEN nullif(split_part(tc.top_class, '|', 3), '') END AS class_evidence
    FROM ranges r JOIN nesting n USING (rid) JOIN leaves l USING (rid) LEFT JOIN holder_names hn USING (rid) LEFT JOIN top_classes tc ON tc.rid = n.top_rid LEFT JOIN ranges top ON top.rid = n.top_rid`);
  await dropTables(duck, ['leaves', 'tops', 'holders', 'top_classes', 'holder_names']);
}
