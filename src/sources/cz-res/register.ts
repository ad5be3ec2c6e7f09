/**
 * Czechia, the ČSÚ Business Register (`res_data.csv`): UTF-8, CRLF, comma-separated, one row per IČO,
 * the statistical legal form as a code (FORMA, ČSÚ list 56), the main activity as CZ-NACE at any level,
 * the registered office in parts. Natural persons are never kept: FORMA 10x, and the dissolved ones,
 * which the office publishes with only their number and date. IČO numbers are held to their check
 * digit. Read by name: the column order and the date format are not confirmed (see source.json).
 */
import { csvSource, stagedCsv } from '../../registers/csv.js';
import { elfSql } from '../../registers/legal-forms.js';
import { DROP_COLUMNS, MALFORMED, type RegisterAdapter } from '../../registers/register.js';

export const CZ_FILE = 'res_data.csv';

const REQUIRED = ['ICO', 'DDATVZN', 'DDATZAN', 'FORMA', 'NACE', 'FIRMA', 'PSC', 'OBEC_TEXT', 'ULICE_TEXT', 'CDOM', 'TEXTADR'];

const KNOWN = [...REQUIRED, 'OKRESLAU', 'ZPZAN', 'DDATPAKT', 'ROSFORMA', 'KATPO', 'NACE2025', 'ICZUJ', 'CISS2010', 'KODADM', 'COBCE_TEXT', 'TYPCDOM', 'COR', 'DATPLAT', 'PRIZNAK'];

/** SQL: true when an 8-digit IČO carries its check digit, (11 − Σ wᵢ·dᵢ mod 11) mod 10 with w = 8 … 2. */
export function icoCheckSql(digits: string): string {
  const sum = [8, 7, 6, 5, 4, 3, 2].map((w, i) => `${w} * (unicode(${digits}[${i + 1}]) - 48)`).join(' + ');
  return `((11 - (${sum}) % 11) % 10 = unicode(${digits}[8]) - 48)`;
}

const date = (e: string) => `coalesce(try_strptime(${e}, '%Y-%m-%d'), try_strptime(${e}, '%d.%m.%Y'))::DATE`;

export const adapter: RegisterAdapter = {
  id: 'cz-res',
  dialect: { delimiter: ',' },
  async query(files) {
    const { file, header, h } = await stagedCsv(this, files, CZ_FILE, REQUIRED, KNOWN);
    const text = (c: string) => h.text(c);
    const code = text('ICO');
    const form = text('FORMA');
    const nace = text('NACE');
    // FORMA 10x: natural persons; a dissolved one is published with its number and date only.
    const person = `(regexp_full_match(coalesce(${form}, ''), '10[0-9]') OR (${form} IS NULL AND ${text('FIRMA')} IS NULL))`;
    const drop = `CASE
        WHEN NOT regexp_full_match(coalesce(${code}, ''), '[0-9]{8}') OR NOT ${icoCheckSql(code)} THEN '${MALFORMED}ICO: not 8 digits with their check digit'
        WHEN ${person} THEN 'natural person (FORMA 10x, or dissolved with its number only)'
        WHEN ${text('FIRMA')} IS NULL THEN 'no name'
      END`;
    const house = `concat_ws('/', ${text('CDOM')}, ${h.has('COR') ? text('COR') : 'NULL'})`;
    const sql = `
      SELECT
        register_id, country, name,
        []::VARCHAR[] AS other_names,
        []::VARCHAR[] AS other_name_types,
        legal_form, legal_form_text, legal_form_elf, status, status_published, incorporated, dissolved,
        street, postcode, city,
        NULL::VARCHAR AS region,
        NULL::VARCHAR AS address_country,
        industry_scheme, industry_codes, nace_codes,
        NULL::VARCHAR AS website,
        NULL::VARCHAR AS domain,
        NULL::VARCHAR AS lei,
        ${DROP_COLUMNS}
      FROM (
        SELECT
          ${code} AS register_id,
          'CZ' AS country,
          ${text('FIRMA')} AS name,
          ${form} AS legal_form,
          NULL::VARCHAR AS legal_form_text,
          ${elfSql('cz-res', { code: form })} AS legal_form_elf,
          CASE WHEN ${text('DDATZAN')} IS NOT NULL THEN 'dissolved' ELSE 'active' END AS status,
          ${h.has('ZPZAN') ? text('ZPZAN') : 'NULL::VARCHAR'} AS status_published,
          ${date(text('DDATVZN'))} AS incorporated,
          ${date(text('DDATZAN'))} AS dissolved,
          -- The office's address parts; a text address where it gives only that (town first, street, postcode).
          CASE WHEN ${text('ULICE_TEXT')} IS NOT NULL THEN trim(${text('ULICE_TEXT')} || ' ' || ${house})
               WHEN ${text('OBEC_TEXT')} IS NULL AND ${text('TEXTADR')} IS NOT NULL THEN trim(string_split(${text('TEXTADR')}, ',')[2]) END AS street,
          coalesce(${text('PSC')}, regexp_extract(${text('TEXTADR')}, '([0-9]{3} ?[0-9]{2})$', 1)) AS postcode,
          coalesce(${text('OBEC_TEXT')}, trim(string_split(${text('TEXTADR')}, ',')[1])) AS city,
          CASE WHEN ${nace} IS NOT NULL AND ${nace} <> '00' THEN 'CZ-NACE' END AS industry_scheme,
          CASE WHEN ${nace} IS NOT NULL AND ${nace} <> '00' THEN [${nace}] ELSE []::VARCHAR[] END AS industry_codes,
          -- A class (nn.nn) where the code reaches one: 4 or 5 digits.
          CASE WHEN regexp_full_match(coalesce(${nace}, ''), '[0-9]{4,5}') THEN [substr(${nace}, 1, 2) || '.' || substr(${nace}, 3, 2)] ELSE []::VARCHAR[] END AS nace_codes,
          ${person} AS _person,
          ${drop} AS _drop
        FROM ${csvSource(file.path, header, this.dialect)}
      )`;
    return { sql, records: CZ_FILE, added: { [CZ_FILE]: h.added } };
  },
};
