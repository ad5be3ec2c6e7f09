/**
 * The name key as DuckDB SQL, made from the same rules as the JavaScript form (name-rules.ts), for
 * keying tens of millions of register names where they are: in a query. `withNameKey` wraps a query
 * and adds the key and legal-form columns; the three stages are nested SELECTs so that each
 * intermediate value is computed once per row.
 */
import { COUNTRY_LEGAL_FORMS, JOINING, NOISE_WORDS, SEPARATOR, TRANSLITERATIONS } from './name-rules.js';
import { legalFormPatterns, legalFormsOf } from './name-key.js';
import { sqlString } from '../lake/sql.js';


/** A name lower-cased with its marks removed: the first step of normalizeName (a column to build on). */
function foldedNameSql(expr: string): string {
  return `strip_accents(lower(${expr}))`;
}

/** Any letter TRANSLITERATIONS spell out. */
const TRANSLITERATED = `[${TRANSLITERATIONS.map(([from]) => from).join('')}]`;

/**
 * The normalized name (same as normalizeName) of a folded one (`foldedNameSql`, referenced by name:
 * it is read three times). The transliterations run only on names holding one of their letters (one
 * in two hundred register names): twelve replace() calls on every name took 60 % of the keying.
 */
function normalizedFoldedSql(folded: string): string {
  let s = folded;
  for (const [from, to] of TRANSLITERATIONS) s = `replace(${s}, ${sqlString(from)}, ${sqlString(to)})`;
  s = `CASE WHEN regexp_matches(${folded}, ${sqlString(TRANSLITERATED)}) THEN ${s} ELSE ${folded} END`;
  return `trim(regexp_replace(regexp_replace(${s}, ${sqlString(JOINING)}, '', 'g'), ${sqlString(SEPARATOR)}, ' ', 'g'))`;
}

/** Countries with forms of their own; every other country (and null) uses the generic forms. */
const COUNTRIES = Object.keys(COUNTRY_LEGAL_FORMS);

/** A CASE over the country, one branch per country with forms of its own, generic otherwise. */
function perCountry(country: string, branch: (code: string | null) => string): string {
  return `CASE ${COUNTRIES.map((c) => `WHEN ${country} = ${sqlString(c)} THEN ${branch(c)}`).join(' ')} ELSE ${branch(null)} END`;
}

/**
 * The legal form a normalized name (column `n`) carries at its end, else at its start, split off in
 * one regular-expression pass each (a struct of `form` and `rest`, both '' when there is none): the
 * suffix first, the prefix only for names without one. Matching and then extracting, per column, took
 * four passes of these long alternations over every name.
 */
function splitSql(n: string, country: string): { suffix: string; prefix: string } {
  return {
    suffix: perCountry(country, (code) => `regexp_extract(${n}, ${sqlString(legalFormPatterns(legalFormsOf(code)).suffix)}, ['rest', 'form'])`),
    prefix: perCountry(country, (code) => `regexp_extract(${n}, ${sqlString(legalFormPatterns(legalFormsOf(code)).prefix)}, ['form', 'rest'])`),
  };
}

/** The canonical word of a spelling, for the country. */
function canonicalSql(spelling: string, country: string): string {
  return perCountry(country, (code) => {
    const pairs = new Map<string, string>();
    for (const form of legalFormsOf(code)) for (const s of form.spellings) if (!pairs.has(s)) pairs.set(s, form.canonical);
    const renamed = [...pairs].filter(([s, c]) => s !== c);
    return renamed.length === 0 ? spelling : `CASE ${spelling} ${renamed.map(([s, c]) => `WHEN ${sqlString(s)} THEN ${sqlString(c)}`).join(' ')} ELSE ${spelling} END`;
  });
}

/** The key of the rest (noise words out; the rest, or the whole name, when nothing would be left). */
function keySql(rest: string, n: string): string {
  const noise = NOISE_WORDS.map(sqlString).join(', ');
  return `coalesce(nullif(array_to_string(list_filter(string_split(${rest}, ' '), lambda w: w NOT IN (${noise})), ' '), ''), nullif(${rest}, ''), ${n})`;
}

/**
 * Wraps `query` (any SELECT) and adds `<prefix>_key` and `<prefix>_legal_form` for the name column
 * `name` and the country column (or literal) `country`. The staging columns start with `_nk_`.
 *
 * Never filter on the key or form in the statement that computes them (`WHERE name_key <> ''`): DuckDB
 * pushes the filter down through the stages, writing each stage's expression into it in place of the
 * column, and the stages read each other several times over — the filter became a 2 MB expression of
 * the legal-form patterns and took the WHOIS names' keying from 2 s to 24 s. Make the table, then
 * DELETE; or join on the key, which is not pushed down.
 */
export function withNameKey(query: string, name: string, country: string, prefix = 'name'): string {
  const folded = `SELECT *, ${foldedNameSql(name)} AS _nk_f FROM (${query})`;
  const normalized = `SELECT * EXCLUDE (_nk_f), ${normalizedFoldedSql('_nk_f')} AS _nk_n FROM (${folded})`;
  const { suffix, prefix: leading } = splitSql('_nk_n', country);
  const suffixed = `SELECT *, ${suffix} AS _nk_s FROM (${normalized})`;
  const prefixed = `SELECT *, CASE WHEN _nk_s.form = '' THEN ${leading} END AS _nk_p FROM (${suffixed})`;
  const split = `SELECT * EXCLUDE (_nk_s, _nk_p),
      CASE WHEN _nk_s.form <> '' THEN _nk_s.form WHEN _nk_p.form <> '' THEN _nk_p.form END AS _nk_form,
      CASE WHEN _nk_s.form <> '' THEN _nk_s.rest WHEN _nk_p.form <> '' THEN _nk_p.rest ELSE _nk_n END AS _nk_rest
    FROM (${prefixed})`;
  return `SELECT * EXCLUDE (_nk_n, _nk_form, _nk_rest), ${keySql('_nk_rest', '_nk_n')} AS ${prefix}_key, ${canonicalSql('_nk_form', country)} AS ${prefix}_legal_form FROM (${split})`;
}

/**
 * withNameKey computed once per distinct (name, country) of the query and joined back: the same rows
 * and columns, for queries where names repeat (every range of an organisation carries its name).
 */
export function withNameKeyOnce(query: string, name: string, country: string, prefix = 'name'): string {
  // Plain equality joins hash; a null country is keyed as '' (no country's forms: the generic ones, as for null).
  const keyed = withNameKey(`SELECT DISTINCT ${name} AS _nk_name, coalesce(${country}, '') AS _nk_country FROM _nk_src WHERE ${name} IS NOT NULL`, '_nk_name', '_nk_country', prefix);
  return `WITH _nk_src AS MATERIALIZED (${query}), _nk_keyed AS MATERIALIZED (${keyed})
    SELECT s.*, k.${prefix}_key, k.${prefix}_legal_form FROM _nk_src s
    LEFT JOIN _nk_keyed k ON k._nk_name = s.${name} AND k._nk_country = coalesce(s.${country}, '')`;
}
