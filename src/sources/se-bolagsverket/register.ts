/**
 * Sweden: Bolagsverket's bulk file joined with SCB's business register file by organisation number.
 * Bolagsverket's (UTF-8, ";") gives the legal facts — the number, the names, the form, registration and
 * deregistration, the postal address — with several values packed in one column with "$"; SCB's
 * (Latin-1, tab) gives the activity (SNI 2007 codes, NACE Rev. 2 in their first four digits), the
 * economic status and the advertising opt-out, and holds the public bodies Bolagsverket does not
 * register. A company in either file is kept (a full join); a natural person on either side is dropped:
 * a sole trader's number is the owner's personal identity number. Read by name (see source.json's
 * notes for what was confirmed and where).
 */
import { csvSource, stagedCsv } from '../../registers/csv.js';
import { elfSql, legalFormSql } from '../../registers/legal-forms.js';
import { DROP_COLUMNS, MALFORMED, type RegisterAdapter } from '../../registers/register.js';

export const BV_FILE = 'bolagsverket_bulkfil.txt';
export const SCB_FILE = 'scb_bulkfil.txt';

const BV_REQUIRED = ['organisationsidentitet', 'organisationsnamn', 'organisationsform', 'avregistreringsdatum', 'registreringsdatum', 'postadress'];
const BV_KNOWN = [...BV_REQUIRED, 'namnskyddslopnummer', 'registreringsland', 'avregistreringsorsak', 'pagandeAvvecklingsEllerOmstruktureringsforfarande', 'verksamhetsbeskrivning'];

const SCB_NAMED = ['COAdress', 'Foretagsnamn', 'FtgStat', 'Gatuadress', 'JEStat', 'JurForm', 'Namn', 'Ng1', 'Ng2', 'Ng3', 'Ng4', 'Ng5', 'PostNr', 'PostOrt', 'RegDatKtid', 'Reklamsparrtyp'];
const SCB_REQUIRED = ['PeOrgNr', 'Namn', 'Foretagsnamn', 'JurForm', 'FtgStat', 'Ng1', 'Gatuadress', 'PostNr', 'PostOrt', 'Reklamsparrtyp'];
// The 'm' column beside each named one (its meaning is not documented where we looked: not read).
const SCB_KNOWN = [...SCB_REQUIRED, 'ForAndrTyp', ...SCB_NAMED, ...SCB_NAMED.map((c) => `m${c}`)];

/** SQL: true when a 10-digit text passes the Luhn check (Swedish organisation and personal identity numbers). */
export function luhnSql(digits: string): string {
  const d = (i: number) => `(unicode(${digits}[${i}]) - 48)`;
  const terms = Array.from({ length: 10 }, (_x, k) => (k % 2 === 0 ? `(2 * ${d(k + 1)} - CASE WHEN ${d(k + 1)} >= 5 THEN 9 ELSE 0 END)` : d(k + 1)));
  return `((${terms.join(' + ')}) % 10 = 0)`;
}

/** The columns of each side's stage besides the flags (_person, _valid, and _in: the side has the row): null in a person's row. */
const BV_STAGED = ['nr', 'nr_type', 'form', '_raw_names', '_raw_addr', 'registrerad', 'avregistrerad', 'orsak', 'pagande'];
const SCB_STAGED = ['pe', 'nr', 'name', 'jur_form', 'ftg_stat', 'sni', 'street', 'postcode', 'city', 'registrerad', 'reklam'];

/** A side's rows with a person's columns blanked: only that it is a person's row reaches the stage's file. */
function blankPersons(rows: string, columns: readonly string[]): string {
  return `SELECT ${columns.map((c) => `CASE WHEN _person THEN NULL ELSE ${c} END AS ${c}`).join(', ')}, _person, _valid, true AS _in FROM (${rows})`;
}

/** Bytes of the two files per partition of the stages: about 1.1 M rows of each side per pass. */
const PARTITION_BYTES = 300 << 20;

/** The kind of each other name Bolagsverket lists (the rest keep their code). */
const NAME_TYPES: Record<string, string> = { 'SARS_FORNAMN-ORGNAM': 'trading', 'FORNAMN_FRSPRAK-ORGNAM': 'other language' };

export const adapter: RegisterAdapter = {
  id: 'se-bolagsverket',
  dialect: { delimiter: ';' },
  async query(files) {
    const bv = await stagedCsv(this, files, BV_FILE, BV_REQUIRED, BV_KNOWN);
    const scbDialect = { delimiter: '\t', encoding: 'latin-1' } as const;
    const scb = await stagedCsv({ id: this.id, dialect: scbDialect }, files, SCB_FILE, SCB_REQUIRED, SCB_KNOWN);
    const b = (c: string) => bv.h.text(c);
    const s = (c: string) => scb.h.text(c);
    const ng = ['Ng1', 'Ng2', 'Ng3', 'Ng4', 'Ng5'].filter((c) => scb.h.has(c)).map(s);
    const nameTypes = `CASE p[2] ${Object.entries(NAME_TYPES).map(([k, v]) => `WHEN '${k}' THEN '${v}'`).join(' ')} ELSE lower(regexp_replace(p[2], '-ORGNAM$', '')) END`;
    // A 10-digit number whose third digit is below 2 is a date's month: a personal identity number.
    const personalShape = (nr: string) => `(length(${nr}) = 12 OR (length(${nr}) = 10 AND ${nr}[3] < '2'))`;
    // Each file parsed once into a stage, split by the number: the ranking of repeated numbers and
    // the full join hold every column they are given, and the whole of both files spilled past
    // DuckDB's 1 GB (73 s against 25 s with 4 GB). A person's row is staged as its flags alone.
    const bvStage = blankPersons(`SELECT *,
        (nr_type = 'PERSON-IDORG' OR form = 'E' OR ${personalShape('nr')}) AS _person,
        (regexp_full_match(nr, '[0-9]{10}') AND ${luhnSql('nr')}) AS _valid
      FROM (
        SELECT
          regexp_replace(split_part(coalesce(${b('organisationsidentitet')}, ''), '$', 1), '[^0-9]', '', 'g') AS nr,
          split_part(coalesce(${b('organisationsidentitet')}, ''), '$', 2) AS nr_type,
          regexp_replace(${b('organisationsform')}, '-ORGFO$', '') AS form,
          -- The packed names and address as read: unpacked after the ranking and the join, which
          -- hold every column they are given (lists take more room than their text).
          ${b('organisationsnamn')} AS _raw_names,
          ${b('postadress')} AS _raw_addr,
          try_strptime(${b('registreringsdatum')}, '%Y-%m-%d')::DATE AS registrerad,
          try_strptime(${b('avregistreringsdatum')}, '%Y-%m-%d')::DATE AS avregistrerad,
          ${bv.h.has('avregistreringsorsak') ? b('avregistreringsorsak') : 'NULL::VARCHAR'} AS orsak,
          ${bv.h.has('pagandeAvvecklingsEllerOmstruktureringsforfarande') ? `nullif(trim(${b('pagandeAvvecklingsEllerOmstruktureringsforfarande')}, '|'), '')` : 'NULL::VARCHAR'} AS pagande
        FROM ${csvSource(bv.file.path, bv.header, this.dialect)}
      )`, BV_STAGED);
    const scbStage = blankPersons(`SELECT *,
        (jur_form = '10' OR regexp_full_match(pe, '(19|20)[0-9]{10}') OR (length(pe) = 10 AND ${personalShape('pe')})) AS _person,
        (nr IS NOT NULL AND ${luhnSql('nr')}) AS _valid
      FROM (
        SELECT
          coalesce(${s('PeOrgNr')}, '') AS pe,
          CASE WHEN regexp_full_match(coalesce(${s('PeOrgNr')}, ''), '16[0-9]{10}') THEN substr(${s('PeOrgNr')}, 3) WHEN regexp_full_match(coalesce(${s('PeOrgNr')}, ''), '[0-9]{10}') THEN ${s('PeOrgNr')} END AS nr,
          coalesce(${s('Foretagsnamn')}, ${s('Namn')}) AS name,
          ${s('JurForm')} AS jur_form,
          ${s('FtgStat')} AS ftg_stat,
          list_filter([${ng.join(', ')}], lambda c: c IS NOT NULL AND c <> '00000') AS sni,
          ${s('Gatuadress')} AS street,
          ${s('PostNr')} AS postcode,
          ${s('PostOrt')} AS city,
          ${scb.h.has('RegDatKtid') ? `coalesce(try_strptime(${s('RegDatKtid')}, '%Y-%m-%d'), try_strptime(${s('RegDatKtid')}, '%Y%m%d'))::DATE` : 'NULL::DATE'} AS registrerad,
          ${s('Reklamsparrtyp')} AS reklam
        FROM ${csvSource(scb.file.path, scb.header, scbDialect)}
      )`, SCB_STAGED);
    const sql = `
      WITH bv AS (
        SELECT *, CASE WHEN NOT _person AND _valid THEN nr END AS _key,
          -- By the number itself (an invalid one included; a person's is blanked, each its own).
          row_number() OVER (PARTITION BY nr ORDER BY avregistrerad NULLS FIRST, registrerad DESC NULLS LAST, _raw_names, _raw_addr) AS _rn
        FROM $stage:bv
      ),
      scb AS (
        SELECT *, CASE WHEN NOT _person AND _valid THEN nr END AS _key,
          row_number() OVER (PARTITION BY pe ORDER BY name, street) AS _rn
        FROM $stage:scb
      ),
      joined AS (
        SELECT
          b.nr AS b_nr, b.nr_type, b.form, b._raw_names, b._raw_addr, b.registrerad AS b_registrerad, b.avregistrerad, b.orsak, b.pagande,
          b._person AS b_person, b._valid AS b_valid, b._rn AS b_rn, b._in IS NOT NULL AS in_bv,
          s.pe, s.nr AS s_nr, s.name AS s_name, s.jur_form, s.ftg_stat, s.sni AS s_sni, s.street AS s_street, s.postcode AS s_postcode, s.city AS s_city,
          s.registrerad AS s_registrerad, s.reklam, s._person AS s_person, s._valid AS s_valid, s._rn AS s_rn, s._in IS NOT NULL AS in_scb
        FROM bv b FULL OUTER JOIN scb s ON b._key = s._key
      ),
      unpacked AS (
        SELECT *,
          -- The primary name: the registered one (FORETAGSNAMN, or NAMN for an association), else the first listed.
          coalesce(list_filter(names, lambda p: p[2] IN ('FORETAGSNAMN-ORGNAM', 'NAMN-ORGNAM'))[1], names[1]) AS primary_name
        FROM (
          SELECT * EXCLUDE (_raw_names, _raw_addr),
            -- Most rows hold one name: the entries are unpacked only where there are several ('|').
            CASE WHEN contains(_raw_names, '|')
              THEN list_filter(list_transform(string_split(_raw_names, '|'), lambda x: list_transform(string_split(x, '$'), lambda v: trim(v))), lambda p: p[1] <> '')
              WHEN _raw_names IS NOT NULL THEN [list_transform(string_split(_raw_names, '$'), lambda v: trim(v))]
              ELSE [] END AS names,
            list_transform(string_split(coalesce(_raw_addr, ''), '$'), lambda v: nullif(trim(v), '')) AS addr
          FROM joined)
      )
      SELECT
        register_id, 'SE' AS country, name, other_names, other_name_types,
        legal_form, ${legalFormSql('se-bolagsverket', 'legal_form', 'text')} AS legal_form_text,
        ${elfSql('se-bolagsverket', { code: 'legal_form' })} AS legal_form_elf,
        status, status_published, incorporated, dissolved, street, postcode, city,
        NULL::VARCHAR AS region, NULL::VARCHAR AS address_country,
        CASE WHEN len(sni) > 0 THEN 'SNI 2007' END AS industry_scheme,
        sni AS industry_codes,
        list_filter(_classes, lambda c, i: list_position(_classes, c) = i) AS nace_codes,
        NULL::VARCHAR AS website, NULL::VARCHAR AS domain, NULL::VARCHAR AS lei,
        CASE WHEN reklam IS NULL THEN NULL ELSE starts_with(reklam, '2') END AS marketing_opt_out,
        CASE WHEN _drop LIKE '${MALFORMED}organisationsidentitet%' THEN '${BV_FILE}' WHEN _drop LIKE '${MALFORMED}PeOrgNr%' THEN '${SCB_FILE}' END AS _file,
        ${DROP_COLUMNS}
      FROM (
        SELECT *,
          -- The NACE Rev. 2 class of each SNI code (its first four digits), in SNI's order, each once.
          list_transform(list_filter(sni, lambda c: regexp_full_match(c, '[0-9]{5}')), lambda c: substr(c, 1, 2) || '.' || substr(c, 3, 2)) AS _classes,
          CASE
            WHEN _person THEN 'natural person (a sole trader: personal identity number, Bolagsverket form E or SCB JurForm 10)'
            WHEN in_bv AND NOT b_valid THEN '${MALFORMED}organisationsidentitet: not 10 digits with their check digit'
            WHEN in_scb AND NOT s_valid THEN '${MALFORMED}PeOrgNr: not 16 and 10 digits with their check digit'
            WHEN coalesce(b_rn, 1) > 1 OR coalesce(s_rn, 1) > 1 THEN 'a repeated organisation number (its first row kept)'
            WHEN name IS NULL THEN 'no name'
          END AS _drop
        FROM (
          SELECT *,
            coalesce(b_person, false) OR coalesce(s_person, false) AS _person,
            CASE WHEN in_bv AND b_valid THEN b_nr WHEN in_scb AND s_valid THEN s_nr WHEN in_bv THEN b_nr ELSE pe END AS register_id,
            coalesce(primary_name[1], s_name) AS name,
            coalesce(list_transform(list_filter(names, lambda p: p[1] <> primary_name[1]), lambda p: p[1]), []) AS other_names,
            coalesce(list_transform(list_filter(names, lambda p: p[1] <> primary_name[1]), lambda p: ${nameTypes}), []) AS other_name_types,
            coalesce(form, jur_form) AS legal_form,
            CASE WHEN avregistrerad IS NOT NULL THEN 'dissolved'
                 WHEN pagande IS NOT NULL THEN 'inactive'
                 WHEN NOT in_bv AND ftg_stat IN ('0', '9') THEN 'inactive'
                 ELSE 'active' END AS status,
            coalesce(orsak, split_part(pagande, '$', 1), CASE WHEN ftg_stat IS NOT NULL THEN 'FtgStat ' || ftg_stat END) AS status_published,
            coalesce(b_registrerad, s_registrerad) AS incorporated,
            avregistrerad AS dissolved,
            -- Bolagsverket's postal address (street, care-of, town, postcode, country), else SCB's; a postcode where the town should be is taken as one.
            CASE WHEN addr[1] IS NOT NULL THEN addr[1] ELSE s_street END AS street,
            CASE WHEN regexp_full_match(coalesce(addr[4], ''), '[0-9]{3} ?[0-9]{2}') THEN addr[4]
                 WHEN regexp_full_match(coalesce(addr[3], ''), '[0-9]{3} ?[0-9]{2}') THEN addr[3] ELSE s_postcode END AS postcode,
            CASE WHEN regexp_full_match(coalesce(addr[3], ''), '[0-9]{3} ?[0-9]{2}') THEN coalesce(addr[4], s_city) ELSE coalesce(addr[3], s_city) END AS city,
            coalesce(s_sni, []) AS sni
          FROM unpacked
        )
      )`;
    return {
      sql,
      stages: [
        { name: 'bv', sql: bvStage, partitionBy: 'nr' },
        { name: 'scb', sql: scbStage, partitionBy: 'nr' },
      ],
      partitionBytes: PARTITION_BYTES,
      records: BV_FILE,
      added: { [BV_FILE]: bv.h.added, [SCB_FILE]: scb.h.added },
    };
  },
};
