/**
 * Linking WHOIS ranges to registered companies, as set-oriented SQL in DuckDB (the same shapes run on
 * Athena): every inetnum/inet6num gets a class and, where the class allows and the evidence is
 * unambiguous, one company with the rule, the WHOIS attribute and text that matched, a score and a
 * confidence.
 *
 * 1. ranges: inetnums with their organisation's name and type.
 * 2. nesting: each range's top-level range (its allocation), by one sort per registry and family.
 * 3. classes: a leaf class from the range's own words (pools, mobile, infrastructure, hosting …), a
 *    top-level class from its descendants and its holder's name, and the range's class from both.
 *    Ranges classed isp or mobile are never linked: their users are an access provider's customers.
 * 4. evidence: register numbers, LEIs and websites quoted in descr; names from org-name, descr and
 *    netname reduced to the name key and matched to companies' names and other names in the country.
 * 5. decision: the strongest rule wins; two companies on the strongest rule is ambiguous, no link.
 * 6. suppression: a company on the objection list never appears; the range is marked suppressed.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { withNameKeyOnce } from '../names/name-key-sql.js';
import { sqlString } from '../lake/sql.js';
import { COMPANY_LINKS } from '../../schemas/link-tables.js';
import { castToSchema } from '../lake/table-schema.js';
import { fillSqlTemplate, REGISTERS } from '../sources/catalog.js';
import { LEAF_RULES, NAME_RULES } from './class-rules.js';
import { confidenceSql } from './confidence.js';
import { blockedCompaniesSql, loadObjections } from './objections.js';

/** A netname cut short must keep this many characters of the key; candidates are blocked on them. */
const PREFIX_CHARS = 12;

/** The version of the rules, recorded in every row (bump when a rule changes what links). */
export const RULE_VERSION = 'links-1';

/** Where the linking reads from (Parquet files, hive-partitioned paths) and the suppression list. */
export interface LinkInputs {
  inetnums: readonly string[];
  whoisOrgs: readonly string[];
  companies: readonly string[];
  /** CSV with columns register, register_id, name (any may be empty); absent: no objections. */
  suppression?: string | undefined;
}

/** What a linking run made. */
export interface LinkStats {
  ranges: number;
  linked: number;
  ambiguous: number;
  suppressed: number;
  byClass: Record<string, number>;
  byRule: Record<string, number>;
}

/** Drops staging tables no later statement reads: their memory goes back to the joins still to come. */
async function dropTables(duck: DuckDBConnection, tables: readonly string[]): Promise<void> {
  for (const table of tables) await duck.run(`DROP TABLE IF EXISTS ${table}`);
}

const parquet = (files: readonly string[]) => `read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = true, union_by_name = true)`;

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

/** The class a holder's name suggests (first NAME_RULES match), as 'kind|rule'. */
function nameClassSql(name: string): string {
  return `CASE ${NAME_RULES.map((r) => `WHEN regexp_matches(strip_accents(lower(${name})), ${sqlString(r.pattern)}) THEN ${sqlString(`${r.kind}|${r.name}`)}`).join(' ')} END`;
}

/**
 * Register numbers quoted in WHOIS text: each register's patterns (first group the number) and how
 * its number is written as register_id, both from the register's source.json.
 */
const NUMBER_PATTERNS: readonly { register: string; pattern: string; id: (g: string) => string }[] = REGISTERS.flatMap((r) =>
  (r.register.whoisNumbers ?? []).map((pattern) => ({ register: r.id, pattern, id: (g: string) => (r.register.canonicalId === undefined ? g : fillSqlTemplate(r.register.canonicalId, g)) })),
);

/** Lines of descr that name nobody: pools, infrastructure, generic customers, addresses, numbers, websites. */
const GENERIC_DESCR = [
  ...LEAF_RULES.filter((r) => r.descr !== undefined && r.kind !== 'hosting').map((r) => r.descr as string),
  '^\\d', // an address line, a postcode
  '(www\\.|https?://|@)',
  // The words that label a register number (each register's whoisLabels).
  `^(${REGISTERS.flatMap((r) => r.register.whoisLabels ?? []).join('|')})\\b`,
].join('|');

/**
 * The family of a legal form's canonical word: the same form in another of the country's languages
 * (Belgium's BV and SRL, NV and SA, CV and SC, VZW and ASBL) or a variant of it (SASU of SAS, EURL of
 * SARL) is no disagreement.
 */
const FORM_FAMILIES: Readonly<Record<string, string>> = { srl: 'bv', sa: 'nv', sc: 'cv', asbl: 'vzw', sasu: 'sas', eurl: 'sarl' };
function formFamily(form: string): string {
  return `CASE ${form} ${Object.entries(FORM_FAMILIES).map(([f, family]) => `WHEN ${sqlString(f)} THEN ${sqlString(family)}`).join(' ')} ELSE ${form} END`;
}

/** Runs the linking on `duck` and writes company_links rows (without the snapshot partition) to `out` (a Parquet file). */
export async function linkRanges(duck: DuckDBConnection, inputs: LinkInputs, out: string): Promise<LinkStats> {
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

  // 2. Nesting: a range is top-level when no range before it (same registry and family, by start then widest first) reaches its end.
  await run(`CREATE OR REPLACE TEMP TABLE nesting AS
    SELECT rid, source, family, min(rid) OVER (PARTITION BY source, family, top_seq) AS top_rid, is_top
    FROM (SELECT rid, source, family, is_top, sum(CASE WHEN is_top THEN 1 ELSE 0 END) OVER (PARTITION BY source, family ORDER BY rid ROWS UNBOUNDED PRECEDING) AS top_seq
          FROM (SELECT rid, source, family,
                  coalesce(max(last_key) OVER (PARTITION BY source, family ORDER BY rid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) < last_key, true) AS is_top
                FROM ranges))`);

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
        WHEN t.h_hosting THEN 'hosting|children-hosting'
        WHEN t.h_education THEN 'education|children-campus'
        WHEN t.h_government THEN 'government|children-government'
        WHEN t.h_customers THEN 'isp|children-customers'
        WHEN r.org_name IS NULL AND len(r.descr) = 0 AND r.netname IS NULL THEN 'unknown|nameless'
        ELSE coalesce(${nameClassSql('coalesce(r.org_name, r.descr[1], r.netname)')}, 'business|default')
      END AS top_class
    FROM holders t JOIN ranges r USING (rid)`);
  await run(`CREATE OR REPLACE TEMP TABLE classes AS
    SELECT r.rid,
      CASE
        WHEN split_part(l.leaf, '|', 1) = 'access' THEN CASE WHEN split_part(tc.top_class, '|', 1) = 'mobile' THEN 'mobile' ELSE 'isp' END
        WHEN l.leaf IS NOT NULL THEN split_part(l.leaf, '|', 1)
        WHEN n.is_top THEN split_part(tc.top_class, '|', 1)
        -- A range inside another's space that names nobody, or names the holder itself, has the holder's class.
        WHEN (r.netname IS NULL AND len(r.descr) = 0 AND r.org_name IS NULL) OR r.own_key = top.own_key THEN split_part(tc.top_class, '|', 1)
        -- A named range inside another's space: the holder's own (office, campus) or a customer.
        ELSE coalesce(CASE WHEN split_part(${nameClassSql('coalesce(r.org_name, r.descr[1], r.netname)')}, '|', 1) IN ('education', 'government') THEN split_part(${nameClassSql('coalesce(r.org_name, r.descr[1], r.netname)')}, '|', 1) END, 'business')
      END AS range_class,
      CASE WHEN l.leaf IS NOT NULL THEN split_part(l.leaf, '|', 2) WHEN n.is_top THEN split_part(tc.top_class, '|', 2)
           WHEN r.netname IS NULL AND len(r.descr) = 0 AND r.org_name IS NULL THEN 'unnamed-in-' || split_part(tc.top_class, '|', 2)
           WHEN r.own_key = top.own_key THEN 'holder-own-' || split_part(tc.top_class, '|', 2) ELSE 'assignment' END AS class_rule
    FROM ranges r JOIN nesting n USING (rid) JOIN leaves l USING (rid) LEFT JOIN top_classes tc ON tc.rid = n.top_rid LEFT JOIN ranges top ON top.rid = n.top_rid`);
  await dropTables(duck, ['nesting', 'leaves', 'tops', 'holders', 'top_classes']);

  // 4. Companies to match: national registers, and GLEIF entities no national register of this lake holds.
  // The name key is recomputed here, with this version's rules, so both sides always share them
  // (a companies partition may have been written by an earlier version).
  // The name key and legal form as the registers pipeline computed them (the same rules, src/names).
  // The GLEIF records a national company of the lake stands for are left out: found by joining the
  // GLEIF records that name one (hashed, the smaller side) to the national numbers, in place.
  await run(`CREATE OR REPLACE TEMP TABLE co AS
    SELECT register, register_id, name, country, other_names, domain, lei, name_key, name_legal_form, same_as_register, same_as_id FROM ${parquet(inputs.companies)}`);
  await run(`DELETE FROM co WHERE register = 'gleif-lei' AND register_id IN (
      SELECT g.register_id FROM co g JOIN co n ON n.register = g.same_as_register AND n.register_id = g.same_as_id
      WHERE g.register = 'gleif-lei' AND g.same_as_id IS NOT NULL AND n.register <> 'gleif-lei')`);
  await run(`CREATE OR REPLACE TEMP TABLE co_names AS
    SELECT *, left(key, ${PREFIX_CHARS}) AS prefix FROM (
    SELECT register, register_id, country, name_key AS key, 'name' AS kind FROM co WHERE name_key IS NOT NULL AND name_key <> ''
    UNION ALL
    SELECT register, register_id, country, other_key, 'other-name' FROM (${withNameKeyOnce(`SELECT register, register_id, country, unnest(other_names) AS other FROM co`, 'other', 'country', 'other')})
    WHERE other_key IS NOT NULL AND other_key <> '')`);

  // Candidate names of linkable ranges: org-name, descr lines that are not generic, the netname.
  const linkable = `SELECT r.* FROM ranges r JOIN classes c USING (rid) WHERE c.range_class NOT IN ('isp', 'mobile')`;
  // A netname's words: the country prefix and the kind suffix (-NET, -V6, a date …) taken off.
  await run(`CREATE OR REPLACE TEMP TABLE netnames AS
    SELECT rid, country, netname, replace(regexp_replace(regexp_replace(netname, '^[A-Z]{2}-', ''), '-(\\d+|PI|V6|NET|LAN|OFFICE|CORP|CAMPUS|RESNET|GOV|CLOUD|VPS|DEDI|SERVERS|\\d{8})(-\\d+)?$', ''), '-', ' ') AS body
    FROM (${linkable}) WHERE netname IS NOT NULL`);
  await run(`CREATE OR REPLACE TEMP TABLE cand AS
    SELECT * FROM (${withNameKeyOnce(
      `SELECT rid, country, attr, text, cand FROM (
         SELECT rid, country, 'org-name' AS attr, org_name AS text, org_name AS cand FROM (${linkable}) WHERE org_name IS NOT NULL
         UNION ALL
         SELECT rid, country, 'descr', d, regexp_replace(regexp_replace(d, '^(?i)(customer|client)\\s*:\\s*', ''), '(?i)\\s+(cloud servers|virtual private servers|dedicated servers|servers|network)$', '')
         FROM (SELECT rid, country, unnest(descr) AS d FROM (${linkable})) WHERE NOT regexp_matches(lower(d), ${sqlString(GENERIC_DESCR)})
         UNION ALL
         SELECT rid, country, 'netname', netname, body FROM netnames
         UNION ALL
         -- Netnames are ASCII: Schäfer is written SCHAEFER there; try the folded spelling too.
         SELECT rid, country, 'netname', netname, regexp_replace(regexp_replace(regexp_replace(body, 'AE', 'A', 'g'), 'OE', 'O', 'g'), 'UE', 'U', 'g') FROM netnames WHERE regexp_matches(body, 'AE|OE|UE'))`,
      'cand',
      'country',
      'cand',
    )}) WHERE cand_key IS NOT NULL AND cand_key <> ''`);
  await dropTables(duck, ['netnames']);

  // Names matched in the range's country. A WHOIS name carrying a legal form of another family than
  // the national register's company's ("… AS" against an ASA) names another company: that pair is a
  // conflict, which no weaker name evidence (the netname) may override. GLEIF records are matched on
  // the key alone: WHOIS writers name foreign entities' forms loosely.
  await run(`CREATE OR REPLACE TEMP TABLE name_hits AS
    SELECT c.rid, n.register, n.register_id, n.kind, c.attr, c.text, c.cand_legal_form, co.name_legal_form AS co_form
    FROM cand c JOIN co_names n ON n.key = c.cand_key AND n.country = c.country
    JOIN co ON co.register = n.register AND co.register_id = n.register_id`);
  await run(`CREATE OR REPLACE TEMP TABLE conflicts AS
    SELECT DISTINCT rid, register, register_id FROM name_hits
    WHERE kind = 'name' AND register <> 'gleif-lei' AND cand_legal_form IS NOT NULL AND co_form IS NOT NULL AND ${formFamily('cand_legal_form')} <> ${formFamily('co_form')}
`);

  // Evidence, strongest first: a register number or LEI quoted in descr, a website, then names.
  // The descr lines that may quote a number, an LEI or a website (a digit or www.): the patterns run on these only.
  await run(`CREATE OR REPLACE TEMP TABLE coded AS
    SELECT rid, d FROM (SELECT rid, unnest(descr) AS d FROM (${linkable})) WHERE regexp_matches(d, '(?i)[0-9]|www\\.')`);
  const numbers = NUMBER_PATTERNS.map(
    (p) => `SELECT rid, ${sqlString(p.register)} AS register, ${p.id(`regexp_extract(d, ${sqlString(p.pattern)}, 1)`)} AS register_id, 'descr' AS attr, d AS text
      FROM coded WHERE regexp_matches(d, ${sqlString(p.pattern)})`,
  );
  await run(`CREATE OR REPLACE TEMP TABLE evidence AS
    SELECT e.rid, co.register, co.register_id, 'register-number' AS rule, e.attr, e.text, 1.0 AS score, 1 AS tier
    FROM (${numbers.join(' UNION ALL ')}) e JOIN co ON co.register = e.register AND co.register_id = e.register_id
    UNION ALL
    SELECT e.rid, co.register, co.register_id, 'lei', 'descr', e.d, 1.0, 1
    FROM (SELECT rid, d, regexp_extract(upper(d), '\\b([0-9A-Z]{18}[0-9]{2})\\b', 1) AS lei FROM coded) e
    JOIN co ON co.lei = e.lei WHERE e.lei <> ''
    UNION ALL
    SELECT e.rid, co.register, co.register_id, 'domain', 'descr', e.d, 0.97, 2
    FROM (SELECT rid, d, regexp_extract(lower(d), '(?:https?://)?(?:www\\.)([a-z0-9-]+(?:\\.[a-z0-9-]+)+)', 1) AS domain FROM coded) e
    JOIN co ON co.domain = e.domain WHERE e.domain <> ''
    UNION ALL
    SELECT rid, register, register_id, CASE WHEN attr = 'netname' THEN 'netname' WHEN kind = 'other-name' THEN 'other-name' ELSE 'exact-name' END,
      attr, text, CASE WHEN attr = 'netname' THEN 0.85 WHEN kind = 'other-name' THEN 0.93 ELSE 0.97 END,
      CASE WHEN attr = 'netname' THEN 4 ELSE 3 END
    FROM name_hits h WHERE NOT EXISTS (SELECT 1 FROM conflicts x WHERE x.rid = h.rid AND x.register = h.register AND x.register_id = h.register_id)
      -- A netname alone does not name a GLEIF entity: its namesakes abroad make it too weak (0.93 on the medium world).
      AND NOT (h.attr = 'netname' AND h.register = 'gleif-lei')
    UNION ALL
    -- A netname cut short (writers keep 16 to 24 characters of the name): the one company of the
    -- country whose key begins with it, blocked on the key's first characters. Not for GLEIF, whose
    -- namesakes abroad make a prefix too weak (measured 0.79 on the medium world).
    SELECT rid, any_value(register), any_value(register_id), 'netname-prefix', attr, text, 0.8, 6
    FROM (
      SELECT c.rid, c.attr, c.text, c.cand_key, n.register, n.register_id
      FROM cand c JOIN co_names n ON n.country = c.country AND n.prefix = left(c.cand_key, ${PREFIX_CHARS})
      WHERE c.attr = 'netname' AND n.kind = 'name' AND length(c.cand_key) >= ${PREFIX_CHARS} AND starts_with(n.key, c.cand_key)
        AND NOT EXISTS (SELECT 1 FROM co_names x WHERE x.key = c.cand_key AND x.country = c.country))
    GROUP BY rid, attr, text, cand_key HAVING count(*) = 1 AND any_value(register) <> 'gleif-lei'
    UNION ALL
    -- A holder abroad (a customer or PI holder registered in another country than the range's): the
    -- name key must be one company's in the whole lake, and the legal form the WHOIS name carries
    -- must be that company's — names alone collide across countries.
    SELECT c.rid, u.register, u.register_id, 'exact-name-abroad', c.attr, c.text, 0.9, 5
    FROM cand c
    JOIN (SELECT n.key, min(n.register) AS register, min(n.register_id) AS register_id FROM co_names n WHERE n.kind = 'name' GROUP BY n.key HAVING count(DISTINCT (n.register, n.register_id)) = 1) u ON u.key = c.cand_key
    JOIN co ON co.register = u.register AND co.register_id = u.register_id
    WHERE c.attr <> 'netname' AND c.cand_legal_form IS NOT NULL AND c.cand_legal_form = co.name_legal_form
      AND NOT EXISTS (SELECT 1 FROM co_names n WHERE n.key = c.cand_key AND n.country = c.country)`);
  await dropTables(duck, ['cand', 'co_names', 'name_hits', 'conflicts', 'coded']);

  // 5. Decision: the best tier per range; one company there is a link, more is ambiguous.
  await run(`CREATE OR REPLACE TEMP TABLE decided AS
    WITH best AS (SELECT rid, min(tier) AS tier FROM evidence GROUP BY rid),
    top AS (SELECT e.* FROM evidence e JOIN best b USING (rid, tier)),
    per AS (SELECT rid, count(DISTINCT (register, register_id)) AS companies FROM top GROUP BY rid)
    SELECT d.*, co.name AS company_name, co.country AS company_country, co.lei, co.name_key
    FROM (SELECT t.rid, per.companies,
        CASE WHEN per.companies = 1 THEN t.register END AS register,
        CASE WHEN per.companies = 1 THEN t.register_id END AS register_id,
        t.rule, t.attr, t.text, t.score
      FROM (SELECT *, row_number() OVER (PARTITION BY rid ORDER BY score DESC, rule, attr, text) AS k FROM top) t JOIN per USING (rid) WHERE t.k = 1) d
    LEFT JOIN co ON co.register = d.register AND co.register_id = d.register_id`);
  await dropTables(duck, ['evidence', 'co']);

  // 6. Objections: by register number, or by name key (any country).
  await loadObjections(duck, inputs.suppression);

  await run(`COPY (${castToSchema(COMPANY_LINKS, `
    SELECT r.family, r.first_address, r.last_address, r.first_key, r.last_key, r.first_v4, r.last_v4, r.bucket_first, r.bucket_last,
      r.source AS whois_source, CASE r.family WHEN 4 THEN 'inetnum' ELSE 'inet6num' END AS object_class, r.line AS object_line,
      r.netname, r.status, r.country, c.range_class, c.class_rule,
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
      CASE WHEN s.register IS NULL AND d.companies = 1 THEN ${confidenceSql('d.rule', "d.register = 'gleif-lei'")} END AS confidence,
      coalesce(d.companies, 0) AS candidates,
      ${sqlString(RULE_VERSION)} AS rule_version
    FROM ranges r JOIN classes c USING (rid)
    LEFT JOIN decided d USING (rid)
    -- Objections against the companies linked (an objection to a company no range names changes nothing).
    LEFT JOIN (${blockedCompaniesSql('SELECT DISTINCT register, register_id, name_key FROM decided WHERE register IS NOT NULL')}) s
      ON s.register = d.register AND s.register_id = d.register_id
    ORDER BY r.rid`)}
  ) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`);

  const stats = await duck.runAndReadAll(`SELECT outcome, range_class, link_rule, count(*) FROM read_parquet(${sqlString(out)}) GROUP BY ALL`);
  const result: LinkStats = { ranges: 0, linked: 0, ambiguous: 0, suppressed: 0, byClass: {}, byRule: {} };
  for (const [outcome, rangeClass, rule, n] of stats.getRows() as [string, string, string | null, bigint][]) {
    const count = Number(n);
    result.ranges += count;
    if (outcome === 'linked') result.linked += count;
    if (outcome === 'ambiguous') result.ambiguous += count;
    if (outcome === 'suppressed') result.suppressed += count;
    result.byClass[rangeClass] = (result.byClass[rangeClass] ?? 0) + count;
    if (outcome === 'linked' && rule !== null) result.byRule[rule] = (result.byRule[rule] ?? 0) + count;
  }
  return result;
}
