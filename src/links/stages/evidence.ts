/**
 * Stage 4, evidence: the companies to match (national registers, and the global register's entities
 * no national register of the lake holds), then every piece of evidence naming one for a linkable
 * range, strongest first: register numbers, LEIs and websites quoted in descr; names from org-name,
 * descr and netname reduced to the name key and matched to companies' names and other names in the
 * country. Makes `co` and `evidence` (rid, register, register_id, rule, attr, text, score, tier).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { withNameKeyOnce } from '../../names/name-key-sql.js';
import { sqlString } from '../../lake/sql.js';
import { fillSqlTemplate, REGISTERS } from '../../sources/catalog.js';
import { LEAF_RULES } from '../class-rules.js';
import { dropTables, GLOBAL_REGISTERS, parquet } from './sql.js';

/** A netname cut short must keep this many characters of the key; candidates are blocked on them. */
const PREFIX_CHARS = 12;

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

export async function gatherEvidence(duck: DuckDBConnection, inputs: { companies: readonly string[] }): Promise<void> {
  const run = (sql: string) => duck.run(sql);
  // 4. Companies to match: national registers, and GLEIF entities no national register of this lake holds.
  // The name key is recomputed here, with this version's rules, so both sides always share them
  // (a companies partition may have been written by an earlier version).
  // The name key and legal form as the registers pipeline computed them (the same rules, src/names).
  // The GLEIF records a national company of the lake stands for are left out: found by joining the
  // GLEIF records that name one (hashed, the smaller side) to the national numbers, in place.
  await run(`CREATE OR REPLACE TEMP TABLE co AS
    SELECT register, register_id, name, country, other_names, domain, lei, name_key, name_legal_form, same_as_register, same_as_id, nace_codes[1] AS nace_main FROM ${parquet(inputs.companies)}`);
  await run(`DELETE FROM co WHERE register IN ${GLOBAL_REGISTERS} AND register_id IN (
      SELECT g.register_id FROM co g JOIN co n ON n.register = g.same_as_register AND n.register_id = g.same_as_id
      WHERE g.register IN ${GLOBAL_REGISTERS} AND g.same_as_id IS NOT NULL AND n.register NOT IN ${GLOBAL_REGISTERS})`);
  await run(`CREATE OR REPLACE TEMP TABLE co_names AS
    SELECT *, left(key, ${PREFIX_CHARS}) AS prefix FROM (
    SELECT register, register_id, country, name_key AS key, 'name' AS kind FROM co WHERE name_key IS NOT NULL AND name_key <> ''
    UNION ALL
    SELECT register, register_id, country, other_key, 'other-name' FROM (${withNameKeyOnce(`SELECT register, register_id, country, unnest(other_names) AS other FROM co`, 'other', 'country', 'other')}))`);
  // Filtered after the keying, never in its statement: see withNameKeyOnce.
  await run(`DELETE FROM co_names WHERE key IS NULL OR key = ''`);

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
    )})`);
  await run(`DELETE FROM cand WHERE cand_key IS NULL OR cand_key = ''`);
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
    WHERE kind = 'name' AND register NOT IN ${GLOBAL_REGISTERS} AND cand_legal_form IS NOT NULL AND co_form IS NOT NULL AND ${formFamily('cand_legal_form')} <> ${formFamily('co_form')}
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
      AND NOT (h.attr = 'netname' AND h.register IN ${GLOBAL_REGISTERS})
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
    GROUP BY rid, attr, text, cand_key HAVING count(*) = 1 AND any_value(register) NOT IN ${GLOBAL_REGISTERS}
    UNION ALL
    -- A holder abroad (a customer or PI holder registered in another country than the range's): the
    -- name key must be one company's in the whole lake, and the legal form the WHOIS name carries
    -- must be that company's — names alone collide across countries. Only the keys some WHOIS name
    -- of the kind has are grouped (every company name of the lake took 57 s on the full world), and
    -- "one company" is its smallest and largest register and number being the same (no distinct count).
    SELECT c.rid, u.register, u.register_id, 'exact-name-abroad', c.attr, c.text, 0.9, 5
    FROM cand c
    JOIN (SELECT n.key, min(n.register) AS register, min(n.register_id) AS register_id FROM co_names n
      SEMI JOIN (SELECT DISTINCT cand_key FROM cand WHERE attr <> 'netname' AND cand_legal_form IS NOT NULL) k ON k.cand_key = n.key
      WHERE n.kind = 'name' GROUP BY n.key HAVING min(n.register) = max(n.register) AND min(n.register_id) = max(n.register_id)) u ON u.key = c.cand_key
    JOIN co ON co.register = u.register AND co.register_id = u.register_id
    WHERE c.attr <> 'netname' AND c.cand_legal_form IS NOT NULL AND c.cand_legal_form = co.name_legal_form
      AND NOT EXISTS (SELECT 1 FROM co_names n WHERE n.key = c.cand_key AND n.country = c.country)`);
  await dropTables(duck, ['cand', 'co_names', 'name_hits', 'conflicts', 'coded']);
}
