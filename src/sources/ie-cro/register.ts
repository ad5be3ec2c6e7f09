/**
 * Ireland, the Companies Registration Office's open data (`companies.csv`): UTF-8, comma-separated,
 * one row per company and name — a company renamed has a row for each of its names, dated by
 * `company_name_eff_date`: the latest is its name, the others its previous names. Dissolved companies
 * stay in the file (about half of it). The type is "LTD - Private Company Limited by Shares"; the
 * activity a NACE Rev. 2 class written as a float (6420.0); the office's address in four lines, or a
 * placeholder of asterisks where the CRO has none. Companies only: no natural person is in this file.
 */
import { csvSource, stagedCsv } from '../../registers/csv.js';
import { elfSql } from '../../registers/legal-forms.js';
import { DROP_COLUMNS, MALFORMED, type RegisterAdapter } from '../../registers/register.js';

export const IE_FILE = 'companies.csv';

const REQUIRED = ['company_num', 'company_name', 'company_status', 'company_type', 'company_reg_date', 'company_address_1', 'comp_dissolved_date', 'nace_v2_code', 'eircode'];

const KNOWN = [
  ...REQUIRED,
  'company_status_code',
  'company_type_code',
  'last_ar_date',
  'company_address_2',
  'company_address_3',
  'company_address_4',
  'nard',
  'last_accounts_date',
  'company_status_date',
  'company_name_eff_date',
  'company_type_eff_date',
  'princ_object_code',
];

/** The CRO's text for an office it holds no address of. */
const NO_ADDRESS = '^\\*+\\s*NO ADDRESS DETAILS\\s*\\*+$';

export const adapter: RegisterAdapter = {
  id: 'ie-cro',
  dialect: { delimiter: ',' },
  async query(files) {
    const { file, header, h } = await stagedCsv(this, files, IE_FILE, REQUIRED, KNOWN);
    const text = (c: string) => (h.has(c) ? h.text(c) : 'NULL::VARCHAR');
    const date = (c: string) => `try_strptime(${text(c)}, '%Y-%m-%d')::DATE`;
    const lines = [1, 2, 3, 4].map((i) => `CASE WHEN regexp_matches(coalesce(${text(`company_address_${i}`)}, ''), '${NO_ADDRESS}') THEN NULL ELSE ${text(`company_address_${i}`)} END`);
    const named = `
        SELECT
          ${text('company_num')} AS _num,
          coalesce(ltrim(${text('company_num')}, '0'), ${text('company_num')}) AS register_id,
          regexp_replace(${text('company_name')}, '\\s+', ' ', 'g') AS name,
          ${date('company_name_eff_date')} AS _name_from,
          nullif(trim(split_part(${text('company_type')}, ' - ', 1)), '') AS legal_form,
          CASE WHEN ${text('company_type')} LIKE '% - %' THEN trim(substr(${text('company_type')}, strpos(${text('company_type')}, ' - ') + 3)) END AS legal_form_text,
          CASE WHEN ${date('comp_dissolved_date')} IS NOT NULL OR lower(${text('company_status')}) LIKE 'dissolved%' THEN 'dissolved'
               WHEN lower(${text('company_status')}) = 'normal' THEN 'active'
               ELSE 'inactive' END AS status,
          ${text('company_status')} AS status_published,
          ${date('company_reg_date')} AS incorporated,
          ${date('comp_dissolved_date')} AS dissolved,
          list_filter([${lines.join(', ')}], lambda l: l IS NOT NULL) AS _lines,
          upper(regexp_replace(${text('eircode')}, '\\s', '', 'g')) AS postcode,
          -- NACE Rev. 2 class written as a float: 6420.0 → 6420 (a leading zero lost by the float put back).
          CASE WHEN regexp_full_match(coalesce(${text('nace_v2_code')}, ''), '[0-9]{3,4}(\\.0+)?') THEN lpad(split_part(${text('nace_v2_code')}, '.', 1), 4, '0') END AS _nace
        FROM ${csvSource(file.path, header, this.dialect)}
`;
    const sql = `
      SELECT
        register_id, 'IE' AS country, name,
        list_filter(_others, lambda n, i: list_position(_others, n) = i) AS other_names,
        list_transform(list_filter(_others, lambda n, i: list_position(_others, n) = i), lambda n: 'previous') AS other_name_types,
        legal_form, legal_form_text, ${elfSql('ie-cro', { code: 'legal_form', text: 'legal_form_text' })} AS legal_form_elf,
        status, status_published, incorporated, dissolved,
        -- The office: its first line (two when there are four), the town before the county on the last.
        CASE WHEN len(_lines) >= 4 THEN _lines[1] || ', ' || _lines[2] WHEN len(_lines) >= 2 THEN _lines[1] END AS street,
        postcode,
        trim(CASE WHEN len(_lines) = 0 THEN NULL
             WHEN regexp_matches(_lines[-1], '^(CO\\.?|COUNTY) ', 'i') AND len(_lines) >= 2 THEN string_split(_lines[-2], ',')[1]
             ELSE string_split(_lines[-1], ',')[1] END) AS city,
        trim(CASE WHEN regexp_matches(coalesce(_lines[-1], ''), '^(CO\\.?|COUNTY) ', 'i') THEN _lines[-1]
             WHEN _lines[-1] LIKE '%,%' THEN string_split(_lines[-1], ',')[-1] END) AS region,
        NULL::VARCHAR AS address_country,
        CASE WHEN _nace IS NOT NULL THEN 'NACE Rev. 2' END AS industry_scheme,
        CASE WHEN _nace IS NOT NULL THEN [_nace] ELSE []::VARCHAR[] END AS industry_codes,
        CASE WHEN _nace IS NOT NULL THEN [substr(_nace, 1, 2) || '.' || substr(_nace, 3, 2)] ELSE []::VARCHAR[] END AS nace_codes,
        NULL::VARCHAR AS website, NULL::VARCHAR AS domain, NULL::VARCHAR AS lei,
        ${DROP_COLUMNS}
      FROM (
        SELECT *,
          CASE
            WHEN NOT regexp_full_match(coalesce(_num, ''), '[0-9]{1,7}') OR ltrim(_num, '0') = '' THEN '${MALFORMED}company_num: not a number'
            WHEN name IS NULL THEN 'no name'
            WHEN _rn > 1 THEN 'an earlier name of a company (kept as its previous name)'
          END AS _drop,
          false AS _person,
          list_filter(_names, lambda n: n <> name) AS _others
        FROM (
          SELECT *,
            -- One row per number: the name in force (the latest effective date); the number's names latest
            -- first, sorted as a list: a window list ordered by the date took 30 s of the full file's 36, a
            -- join of the renamed numbers' names 4 s, this 0.4 s.
            row_number() OVER (PARTITION BY register_id ORDER BY _name_from DESC NULLS LAST, name) AS _rn,
            list_transform(list_reverse_sort(list(struct_pack(d := coalesce(_name_from, DATE '0001-01-01'), n := name)) OVER (PARTITION BY register_id)), lambda x: x.n) AS _names
          FROM (${named})
        )
      )`;
    return { sql, records: IE_FILE, added: { [IE_FILE]: h.added } };
  },
};
