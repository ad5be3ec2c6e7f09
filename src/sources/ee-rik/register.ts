/**
 * Estonia, e-Business Register basic data (`ettevotja_rekvisiidid__lihtandmed.csv`): UTF-8 with a
 * byte-order mark, ";"-separated, dates dd.mm.yyyy, the legal form in words. Sole traders (FIE,
 * füüsilisest isikust ettevõtja) are natural persons and are dropped with a counted reason. The file
 * carries no activity code and no contacts.
 */
import { csvSource, stagedCsv } from '../../registers/csv.js';
import { elfSql } from '../../registers/legal-forms.js';
import { MALFORMED, type RegisterAdapter } from '../../registers/register.js';

export const EE_FILE = 'ettevotja_rekvisiidid__lihtandmed.csv';

const REQUIRED = [
  'nimi',
  'ariregistri_kood',
  'ettevotja_oiguslik_vorm',
  'ettevotja_staatus',
  'ettevotja_staatus_tekstina',
  'ettevotja_esmakande_kpv',
  'asukoht_ettevotja_aadressis',
  'asukoha_ehak_tekstina',
  'indeks_ettevotja_aadressis',
];

const KNOWN = [
  ...REQUIRED,
  'ettevotja_oigusliku_vormi_alaliik',
  'kmkr_nr',
  'ettevotja_aadress',
  'asukoha_ehak_kood',
  'ads_adr_id',
  'ads_ads_oid',
  'ads_normaliseeritud_taisaadress',
  'teabesysteemi_link',
];

export const adapter: RegisterAdapter = {
  id: 'ee-rik',
  dialect: { delimiter: ';' },
  async query(files) {
    const { file, header, h } = await stagedCsv(this, files, EE_FILE, REQUIRED, KNOWN);
    const text = (c: string) => h.text(c);
    const code = text('ariregistri_kood');
    const form = text('ettevotja_oiguslik_vorm');
    // "Haabersti linnaosa, Tallinn, Harju maakond": the county last, the town before it.
    const places = `string_split(${text('asukoha_ehak_tekstina')}, ', ')`;
    const soleTrader = `(lower(${form}) LIKE 'füüsilisest isikust ettevõtja%' OR upper(${form}) = 'FIE')`;
    const drop = `CASE
        WHEN NOT regexp_full_match(coalesce(${code}, ''), '[0-9]{8}') THEN '${MALFORMED}ariregistri_kood: not 8 digits'
        WHEN ${soleTrader} THEN 'natural person (füüsilisest isikust ettevõtja, FIE)'
        WHEN ${text('nimi')} IS NULL THEN 'no name'
      END`;
    const sql = `
      SELECT
        ${code} AS register_id,
        'EE' AS country,
        ${text('nimi')} AS name,
        []::VARCHAR[] AS other_names,
        []::VARCHAR[] AS other_name_types,
        ${form} AS legal_form,
        NULL::VARCHAR AS legal_form_text,
        ${elfSql('ee-rik', { text: form })} AS legal_form_elf,
        -- R registered; L in liquidation, N bankrupt; K deleted.
        CASE upper(${text('ettevotja_staatus')}) WHEN 'R' THEN 'active' WHEN 'L' THEN 'inactive' WHEN 'N' THEN 'inactive' WHEN 'K' THEN 'dissolved' END AS status,
        ${text('ettevotja_staatus_tekstina')} AS status_published,
        try_strptime(${text('ettevotja_esmakande_kpv')}, '%d.%m.%Y')::DATE AS incorporated,
        NULL::DATE AS dissolved,
        ${text('asukoht_ettevotja_aadressis')} AS street,
        ${text('indeks_ettevotja_aadressis')} AS postcode,
        CASE WHEN len(${places}) >= 2 THEN ${places}[len(${places}) - 1] END AS city,
        ${places}[len(${places})] AS region,
        NULL::VARCHAR AS address_country,
        NULL::VARCHAR AS industry_scheme,
        []::VARCHAR[] AS industry_codes,
        []::VARCHAR[] AS nace_codes,
        NULL::VARCHAR AS website,
        NULL::VARCHAR AS domain,
        NULL::VARCHAR AS lei,
        ${drop} AS _drop,
        CASE WHEN starts_with(${drop}, '${MALFORMED}') AND NOT coalesce(${soleTrader}, false) THEN ${code} END AS _bad
      FROM ${csvSource(file.path, header, this.dialect)}`;
    return { sql, records: EE_FILE, added: { [EE_FILE]: h.added } };
  },
};
