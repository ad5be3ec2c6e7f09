/**
 * Finland, the Business Information System's open data (`all_companies`): one JSON array of companies
 * in the v3 API's shape, read by DuckDB's JSON reader with the fields named (no sampling, keys it does
 * not know ignored). The business ID is held to its check digit; the current company name (type 1,
 * no end date) is the name, former names and the other current ones are kept beside it; the form as
 * its code with the file's Finnish text; the industry a TOL code — TOL 2008 (NACE Rev. 2 with a fifth
 * digit) mapped to its NACE class, TOL 2025 (NACE Rev. 2.1, from 2026) kept unmapped;
 * the street address before the postal one, the town in Finnish. Sole traders (form 26) and deceased
 * persons' estates (53) are natural persons and dropped. See source.json's notes for what was
 * confirmed.
 */
import { IpregError } from '../../errors.js';
import { sqlString } from '../../lake/sql.js';
import { elfSql, legalFormSql } from '../../registers/legal-forms.js';
import { DROP_COLUMNS, MALFORMED, type RegisterAdapter } from '../../registers/register.js';

export const FI_FILE = 'all_companies.json';

const DESCRIPTIONS = 'STRUCT(languageCode VARCHAR, description VARCHAR)[]';

/** The fields read, with their types: nothing else of a record is looked at. */
const COLUMNS: Record<string, string> = {
  businessId: 'STRUCT(value VARCHAR, registrationDate VARCHAR)',
  names: 'STRUCT(name VARCHAR, type VARCHAR, registrationDate VARCHAR, endDate VARCHAR)[]',
  companyForms: `STRUCT(type VARCHAR, descriptions ${DESCRIPTIONS}, registrationDate VARCHAR, endDate VARCHAR)[]`,
  mainBusinessLine: `STRUCT(type VARCHAR, typeCodeSet VARCHAR, descriptions ${DESCRIPTIONS}, registrationDate VARCHAR)`,
  website: 'JSON',
  addresses: 'STRUCT(type VARCHAR, street VARCHAR, buildingNumber VARCHAR, entrance VARCHAR, apartmentNumber VARCHAR, postOfficeBox VARCHAR, postCode VARCHAR, postOffices STRUCT(city VARCHAR, languageCode VARCHAR)[], co VARCHAR, country VARCHAR, endDate VARCHAR)[]',
  tradeRegisterStatus: 'VARCHAR',
  status: 'VARCHAR',
  registrationDate: 'VARCHAR',
  endDate: 'VARCHAR',
};

/** The forms of natural persons: a sole trader, a deceased person's estate. */
const PERSON_FORMS: Record<string, string> = { '26': 'yksityinen elinkeinonharjoittaja', '53': 'kuolinpesä' };

/** SQL: true when an ID `nnnnnnn-c` carries its check digit (Σ wᵢ·dᵢ mod 11 with w = 7 9 10 5 8 4 2: 0 gives 0, 1 none, r gives 11 − r). */
export function businessIdCheckSql(id: string): string {
  const sum = [7, 9, 10, 5, 8, 4, 2].map((w, i) => `${w} * (unicode(${id}[${i + 1}]) - 48)`).join(' + ');
  return `(CASE (${sum}) % 11 WHEN 0 THEN 0 WHEN 1 THEN -1 ELSE 11 - (${sum}) % 11 END = unicode(${id}[9]) - 48)`;
}

const date = (e: string) => `try_strptime(${e}, '%Y-%m-%d')::DATE`;

export const adapter: RegisterAdapter = {
  id: 'fi-prh',
  dialect: { delimiter: ',' },
  async query(files) {
    const file = files.get(FI_FILE);
    if (file === undefined) throw new IpregError('FETCH_FAILED', `fi-prh: ${FI_FILE} was not staged`);
    const columns = `{${Object.entries(COLUMNS).map(([k, v]) => `${k}: ${sqlString(v)}`).join(', ')}}`;
    const source = `read_json(${sqlString(file.path)}, format='array', columns=${columns}, maximum_object_size=16777216)`;
    const form = `_form.type`;
    const fi = (list: string) => `coalesce(list_filter(${list}, lambda d: d.languageCode = '1')[1].description, ${list}[1].description)`;
    const person = `(${form} IN (${Object.keys(PERSON_FORMS).map((f) => `'${f}'`).join(', ')}))`;
    const sql = `
      SELECT
        register_id, 'FI' AS country, name,
        list_transform(_others, lambda n: n.name) AS other_names,
        list_transform(_others, lambda n: CASE WHEN n.endDate IS NOT NULL THEN 'previous' ELSE 'trading' END) AS other_name_types,
        legal_form, legal_form_text, ${elfSql('fi-prh', { code: 'legal_form' })} AS legal_form_elf,
        status, status_published, incorporated, dissolved,
        street, postcode, city,
        NULL::VARCHAR AS region, NULL::VARCHAR AS address_country,
        industry_scheme, industry_codes, nace_codes,
        website,
        NULL::VARCHAR AS domain, NULL::VARCHAR AS lei,
        ${DROP_COLUMNS}
      FROM (
        SELECT *,
          CASE
            WHEN ${person} THEN 'natural person (' || CASE ${form} ${Object.entries(PERSON_FORMS).map(([f, w]) => `WHEN '${f}' THEN '${w}, form ${f}'`).join(' ')} END || ')'
            WHEN NOT regexp_full_match(coalesce(register_id, ''), '[0-9]{7}-[0-9]') OR NOT ${businessIdCheckSql('register_id')} THEN '${MALFORMED}businessId: not seven digits and their check digit'
            WHEN name IS NULL THEN 'no name'
          END AS _drop,
          ${person} AS _person,
          list_filter(names, lambda n: n.name IS NOT NULL AND trim(n.name) <> '' AND n.name <> name) AS _others
        FROM (
          SELECT *,
            -- The company name in force: type 1 without an end date, else any name without one, else the latest.
            coalesce(list_filter(names, lambda n: n.type = '1' AND n.endDate IS NULL)[1].name, list_filter(names, lambda n: n.endDate IS NULL)[1].name, names[1].name) AS name,
            _form.type AS legal_form,
            coalesce(${fi('_form.descriptions')}, ${legalFormSql('fi-prh', '_form.type', 'text')}) AS legal_form_text,
            CASE WHEN endDate IS NOT NULL THEN 'dissolved' ELSE 'active' END AS status,
            tradeRegisterStatus AS status_published,
            ${date('coalesce(businessId.registrationDate, registrationDate)')} AS incorporated,
            ${date('endDate')} AS dissolved,
            nullif(trim(concat_ws(' ', _address.street, _address.buildingNumber, _address.entrance, _address.apartmentNumber)), '') AS street,
            nullif(trim(_address.postCode), '') AS postcode,
            coalesce(list_filter(_address.postOffices, lambda p: p.languageCode = '1')[1].city, _address.postOffices[1].city) AS city,
            CASE WHEN _tol IS NOT NULL THEN CASE WHEN _tol2008 THEN 'TOL 2008' WHEN _tol2025 THEN 'TOL 2025' ELSE mainBusinessLine.typeCodeSet END END AS industry_scheme,
            CASE WHEN _tol IS NOT NULL THEN [_tol] ELSE []::VARCHAR[] END AS industry_codes,
            -- TOL 2008 is NACE Rev. 2 with a national fifth digit: its first four are the class. TOL 2025 follows
            -- NACE Rev. 2.1, whose classes are not all Rev. 2's (62.01 became 62.10): not mapped without the
            -- correspondence table.
            CASE WHEN _tol2008 AND regexp_full_match(_tol, '[0-9]{4,5}') THEN [substr(_tol, 1, 2) || '.' || substr(_tol, 3, 2)] ELSE []::VARCHAR[] END AS nace_codes,
            nullif(trim(CASE json_type(_website) WHEN 'OBJECT' THEN _website->>'url' WHEN 'VARCHAR' THEN _website->>'$' END), '') AS website
          FROM (
            SELECT * EXCLUDE (status, website), status AS _prh_status, website AS _website,
              trim(businessId.value) AS register_id,
              coalesce(list_filter(companyForms, lambda f: f.endDate IS NULL)[1], companyForms[1]) AS _form,
              -- The street address (type 1) before the postal one (2), a current one before an ended one.
              coalesce(list_filter(addresses, lambda a: a.type = '1' AND a.endDate IS NULL)[1], list_filter(addresses, lambda a: a.endDate IS NULL)[1], addresses[1]) AS _address,
              nullif(nullif(trim(mainBusinessLine.type), ''), '00000') AS _tol,
              -- The lines were coded again in TOL 2025 on 2026-01-01 (a real record's line 96999, a class only NACE Rev. 2.1 has, dated so).
              coalesce(mainBusinessLine.typeCodeSet = 'TOIMI4' AND ${date('mainBusinessLine.registrationDate')} < DATE '2026-01-01', false) AS _tol2008,
              coalesce(mainBusinessLine.typeCodeSet = 'TOIMI4' AND ${date('mainBusinessLine.registrationDate')} >= DATE '2026-01-01', false) AS _tol2025
            FROM ${source}
          )
        )
      )`;
    return { sql, records: FI_FILE, added: {} };
  },
};
