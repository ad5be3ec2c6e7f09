/**
 * Lithuania, Register of Legal Entities (`JAR_IREGISTRUOTI.csv`, the registered entities): UTF-8,
 * "|"-separated, dates YYYY-MM-DD, the legal form as a code and its text, a status code (0: nothing
 * noted). Legal persons only — but an individual enterprise (individuali įmonė) is one natural person's
 * undertaking, usually named after its owner, and is dropped as a natural person with a counted
 * reason. The address is read town first ("Vilnius, Gedimino pr. 1"); a town alone reads as the town.
 * No activity code and no contacts are in the file.
 */
import { csvSource, stagedCsv } from '../../registers/csv.js';
import { elfSql } from '../../registers/legal-forms.js';
import { DROP_COLUMNS, MALFORMED, type RegisterAdapter } from '../../registers/register.js';

export const LT_FILE = 'JAR_IREGISTRUOTI.csv';

const REQUIRED = ['ja_kodas', 'ja_pavadinimas', 'adresas', 'ja_reg_data', 'form_kodas', 'form_pavadinimas', 'stat_kodas'];

const KNOWN = [...REQUIRED, 'stat_pavadinimas', 'stat_data_nuo', 'formavimo_data'];

export const adapter: RegisterAdapter = {
  id: 'lt-jar',
  dialect: { delimiter: '|' },
  async query(files) {
    const { file, header, h } = await stagedCsv(this, files, LT_FILE, REQUIRED, KNOWN);
    const text = (c: string) => h.text(c);
    const code = text('ja_kodas');
    const form = text('form_pavadinimas');
    const person = `(lower(${form}) = 'individuali įmonė')`;
    const drop = `CASE
        WHEN NOT regexp_full_match(coalesce(${code}, ''), '[0-9]{9}') THEN '${MALFORMED}ja_kodas: not 9 digits'
        WHEN ${person} THEN 'natural person (individuali įmonė, IĮ)'
        WHEN ${text('ja_pavadinimas')} IS NULL THEN 'no name'
      END`;
    const sql = `
      SELECT
        register_id, country, name,
        []::VARCHAR[] AS other_names,
        []::VARCHAR[] AS other_name_types,
        legal_form, legal_form_text, legal_form_elf, status, status_published, incorporated,
        NULL::DATE AS dissolved,
        CASE WHEN len(_parts) >= 2 THEN array_to_string(_parts[2:], ', ') END AS street,
        NULL::VARCHAR AS postcode,
        _parts[1] AS city,
        NULL::VARCHAR AS region,
        NULL::VARCHAR AS address_country,
        NULL::VARCHAR AS industry_scheme,
        []::VARCHAR[] AS industry_codes,
        []::VARCHAR[] AS nace_codes,
        NULL::VARCHAR AS website,
        NULL::VARCHAR AS domain,
        NULL::VARCHAR AS lei,
        ${DROP_COLUMNS}
      FROM (
        SELECT
          ${code} AS register_id,
          'LT' AS country,
          ${text('ja_pavadinimas')} AS name,
          ${text('form_kodas')} AS legal_form,
          ${form} AS legal_form_text,
          ${elfSql('lt-jar', { text: form })} AS legal_form_elf,
          -- 0: no status noted; any other code is bankruptcy, liquidation or reorganisation.
          CASE WHEN coalesce(${text('stat_kodas')}, '0') = '0' THEN 'active' ELSE 'inactive' END AS status,
          ${h.has('stat_pavadinimas') ? text('stat_pavadinimas') : 'NULL::VARCHAR'} AS status_published,
          try_strptime(${text('ja_reg_data')}, '%Y-%m-%d')::DATE AS incorporated,
          list_filter(list_transform(string_split(coalesce(${text('adresas')}, ''), ','), lambda p: trim(p)), lambda p: p <> '') AS _parts,
          ${person} AS _person,
          ${drop} AS _drop
        FROM ${csvSource(file.path, header, this.dialect)}
      )`;
    return { sql, records: LT_FILE, added: { [LT_FILE]: h.added } };
  },
};
