/**
 * Latvia, Register of Enterprises open data (`register.csv`): UTF-8, ";"-separated, quoted names with
 * "" inside, dates YYYY-MM-DD, the legal form as a code (`type`: SIA, AS, IK …) and its text. Sole
 * traders (IK), individual enterprises (IND), farms (ZEM) and fisheries (ZVJ) are undertakings of
 * natural persons and are dropped with a counted reason. The file carries no activity code and no
 * contacts. `region` and `city` are address-classifier codes, so the town comes from the free-text
 * address: its street part (the one with a house number) first, then the town, parish and county,
 * the postcode last — how the register's own services write it (see source.json's notes: the order
 * was seen in the register's API, not in a copy of this file, so the reading is tolerant of a town
 * alone or of the parts in another order).
 */
import { csvSource, stagedCsv } from '../../registers/csv.js';
import { elfSql } from '../../registers/legal-forms.js';
import { DROP_COLUMNS, MALFORMED, type RegisterAdapter } from '../../registers/register.js';

export const LV_FILE = 'register.csv';

const REQUIRED = ['regcode', 'name', 'type', 'type_text', 'registered', 'terminated', 'closed', 'address', 'index'];

const KNOWN = [
  ...REQUIRED,
  'sepa',
  'name_before_quotes',
  'name_in_quotes',
  'name_after_quotes',
  'without_quotes',
  'regtype',
  'regtype_text',
  'addressid',
  'region',
  'city',
  'atvk',
  'reregistration_term',
];

/** The type codes of natural persons' undertakings, and what the drop reason calls them. */
const PERSON_TYPES: Record<string, string> = { IK: 'individuālais komersants', IND: 'individuālais uzņēmums', ZEM: 'zemnieku saimniecība', ZVJ: 'zvejnieku saimniecība' };

/** The weights of the registration number's check: Σ wᵢ·dᵢ over all 11 digits is 3 mod 11. */
const WEIGHTS = [9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1];

/** SQL: true when an 11-digit text passes the registration number's check (digits by their code points: no casts). */
export function latvianCheckSql(digits: string): string {
  return `((${WEIGHTS.map((w, i) => `${w} * (unicode(${digits}[${i + 1}]) - 48)`).join(' + ')}) % 11 = 3)`;
}

export const adapter: RegisterAdapter = {
  id: 'lv-ur',
  dialect: { delimiter: ';' },
  async query(files) {
    const { file, header, h } = await stagedCsv(this, files, LV_FILE, REQUIRED, KNOWN);
    const text = (c: string) => h.text(c);
    const code = text('regcode');
    const type = `upper(${text('type')})`;
    const person = `(${type} IN (${Object.keys(PERSON_TYPES).map((t) => `'${t}'`).join(', ')}))`;
    const personReason = `'natural person (' || CASE ${type} ${Object.entries(PERSON_TYPES).map(([t, words]) => `WHEN '${t}' THEN '${words}, ${t}'`).join(' ')} END || ')'`;
    const drop = `CASE
        WHEN NOT regexp_full_match(coalesce(${code}, ''), '[0-9]{11}') OR NOT ${latvianCheckSql(code)} THEN '${MALFORMED}regcode: not 11 digits passing the register''s check'
        WHEN ${person} THEN ${personReason}
        WHEN ${text('name')} IS NULL THEN 'no name'
      END`;
    // Each piece once: the address's parts, then the street, town and county from them; the drop reason, then the bad number from it.
    const sql = `
      SELECT
        register_id, country, name,
        []::VARCHAR[] AS other_names,
        []::VARCHAR[] AS other_name_types,
        legal_form, legal_form_text, legal_form_elf, status, status_published, incorporated, dissolved,
        street, postcode,
        list_filter(_rest, lambda p: NOT regexp_matches(p, '(nov\\.|pag\\.|novads|pagasts)$'))[-1] AS city,
        list_filter(_rest, lambda p: regexp_matches(p, '(nov\\.|novads)$'))[1] AS region,
        NULL::VARCHAR AS address_country,
        NULL::VARCHAR AS industry_scheme,
        []::VARCHAR[] AS industry_codes,
        []::VARCHAR[] AS nace_codes,
        NULL::VARCHAR AS website,
        NULL::VARCHAR AS domain,
        NULL::VARCHAR AS lei,
        ${DROP_COLUMNS}
      FROM (
        SELECT *, CASE WHEN street IS NULL THEN _parts ELSE _parts[2:] END AS _rest
        FROM (
          SELECT *, CASE WHEN len(_parts) >= 2 AND regexp_matches(_parts[1], '[0-9]') THEN _parts[1] END AS street
          FROM (
            SELECT
              ${code} AS register_id,
              'LV' AS country,
              ${text('name')} AS name,
              ${type} AS legal_form,
              ${text('type_text')} AS legal_form_text,
              ${elfSql('lv-ur', { text: text('type_text'), code: type })} AS legal_form_elf,
              -- terminated: the entity is struck off; closed without a date: being wound up.
              CASE WHEN ${text('terminated')} IS NOT NULL THEN 'dissolved' WHEN ${text('closed')} IS NOT NULL THEN 'inactive' ELSE 'active' END AS status,
              ${text('closed')} AS status_published,
              try_strptime(${text('registered')}, '%Y-%m-%d')::DATE AS incorporated,
              try_strptime(${text('terminated')}, '%Y-%m-%d')::DATE AS dissolved,
              list_filter(list_transform(string_split(coalesce(${text('address')}, ''), ','), lambda p: trim(p)), lambda p: p <> '' AND NOT regexp_full_match(p, '(LV-[0-9]{4}|Latvija)')) AS _parts,
              CASE WHEN regexp_full_match(coalesce(${text('index')}, ''), '[0-9]{4}') THEN 'LV-' || ${text('index')} END AS postcode,
              ${person} AS _person,
              ${drop} AS _drop
            FROM ${csvSource(file.path, header, this.dialect)}
          )
        )
      )`;
    return { sql, records: LV_FILE, added: { [LV_FILE]: h.added } };
  },
};
