/**
 * Norway, Brønnøysund Enhetsregisteret `enheter`: one gzipped CSV, every field quoted, columns that
 * grow between editions (54 in 2024, 90 in 2026) and are read by name. Sole proprietorships (ENK) are
 * natural persons and are dropped with a counted reason; the e-mail, phone and mobile columns of the
 * 2026 edition and the postal address (a proprietor's home, often) are never selected. An
 * organisation number that fails its mod-11 check is a malformed record.
 */
import { csvSource, stagedCsv, type Header } from '../../registers/csv.js';
import { MALFORMED, type RegisterAdapter } from '../../registers/register.js';
import { elfSql } from '../../registers/legal-forms.js';
import { domainSql, websiteSql } from '../../registers/web.js';

export const BRREG_FILE = 'enheter.csv.gz';

const REQUIRED = [
  'organisasjonsnummer',
  'navn',
  'organisasjonsform.kode',
  'organisasjonsform.beskrivelse',
  'naeringskode1.kode',
  'hjemmeside',
  'forretningsadresse.adresse',
  'forretningsadresse.poststed',
  'forretningsadresse.postnummer',
  'forretningsadresse.kommune',
  'forretningsadresse.landkode',
  'registreringsdatoenhetsregisteret',
  'stiftelsesdato',
  'konkurs',
  'underAvvikling',
  'underTvangsavviklingEllerTvangsopplosning',
];

/** Every column of the 2026 edition (the 2024 one is a subset), so that new ones are recognised. */
const KNOWN = [
  ...REQUIRED,
  ...['naeringskode1.beskrivelse', 'naeringskode2.kode', 'naeringskode2.beskrivelse', 'naeringskode3.kode', 'naeringskode3.beskrivelse'],
  ...['hjelpeenhetskode.kode', 'hjelpeenhetskode.beskrivelse', 'harRegistrertAntallAnsatte', 'antallAnsatte'],
  ...['registreringsdatoAntallAnsatteEnhetsregisteret', 'registreringsdatoantallansatteNAVAaregisteret', 'epostadresse', 'telefon', 'mobil'],
  ...['adresse', 'poststed', 'postnummer', 'kommune', 'kommunenummer', 'land', 'landkode'].map((c) => `postadresse.${c}`),
  'forretningsadresse.kommunenummer',
  'forretningsadresse.land',
  ...['institusjonellSektorkode.kode', 'institusjonellSektorkode.beskrivelse', 'sisteInnsendteAarsregnskap', 'registrertIMvaRegisteret'],
  ...['registreringsdatoMerverdiavgiftsregisteret', 'registreringsdatoMerverdiavgiftsregisteretEnhetsregisteret', 'frivilligMvaRegistrertBeskrivelser'],
  ...['registreringsdatoFrivilligMerverdiavgiftsregisteret', 'registrertIFrivillighetsregisteret', 'registreringsdatoFrivillighetsregisteret'],
  ...['registrertIForetaksregisteret', 'registreringsdatoForetaksregisteret', 'registrertIStiftelsesregisteret', 'registrertIPartiregisteret'],
  ...['registreringsdatoPartiregisteret', 'konkursdato', 'underAvviklingDato', 'tvangsopplostPgaManglendeDagligLederDato'],
  ...['tvangsopplostPgaManglendeRevisorDato', 'tvangsopplostPgaManglendeRegnskapDato', 'tvangsopplostPgaMangelfulltStyreDato'],
  ...['tvangsavvikletPgaManglendeSlettingDato', 'overordnetEnhet', 'maalform', 'vedtektsdato', 'vedtektsfestetFormaal', 'aktivitet', 'paategninger'],
  ...['underUtenlandskInsolvensbehandlingDato', 'underRekonstruksjonsforhandlingDato', 'fravalgRevisjonDato', 'fravalgRevisjonBeslutningsDato', 'erIKonsern'],
  ...['belop', 'antallAksjer', 'type', 'bundet', 'valuta', 'innbetalt', 'fulltInnbetalt', 'innfortDato'].map((c) => `kapital.${c}`),
  ...['registreringsnummerIHjemlandet', 'utenlandskRegisterNavn', 'utenlandskRegisterAdresse.land', 'utenlandskRegisterAdresse.poststed'],
  ...['utenlandskRegisterAdresse.adresse', 'underlagtLovgivningLand', 'underlagtLovgivningLandKode'],
  ...['foretaksformIHjemlandet.kode', 'foretaksformIHjemlandet.beskrivelse', 'foretaksformIHjemlandet.beskrivelseBokmaal'],
];

/** Organisation numbers: nine digits, the last a mod-11 check digit (weights 3 2 7 6 5 4 3 2). */
function orgNumberValid(column: string): string {
  const digit = (i: number) => `CAST(substr(${column}, ${i}, 1) AS INTEGER)`;
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  const sum = weights.map((w, i) => `${w} * ${digit(i + 1)}`).join(' + ');
  return `(regexp_full_match(${column}, '[0-9]{9}') AND CASE (${sum}) % 11 WHEN 0 THEN 0 WHEN 1 THEN -1 ELSE 11 - (${sum}) % 11 END = ${digit(9)})`;
}

const truthy = (h: Header, column: string) => `coalesce(lower(${h.text(column)}) = 'true', false)`;

export const adapter: RegisterAdapter = {
  id: 'no-brreg',
  dialect: { delimiter: ',' },
  async query(files) {
    const { file, header, h } = await stagedCsv(this, files, BRREG_FILE, REQUIRED, KNOWN);
    const text = (c: string) => h.text(c);
    const number = text('organisasjonsnummer');
    const form = text('organisasjonsform.kode');
    const codes = ['naeringskode1.kode', 'naeringskode2.kode', 'naeringskode3.kode'].filter((c) => h.has(c));
    const industry = `list_filter([${codes.map(text).join(', ')}], lambda x: x IS NOT NULL)`;
    // Multi-line addresses arrive joined by a literal "/n" (or a real line break).
    const street = `nullif(trim(regexp_replace(${text('forretningsadresse.adresse')}, '\\s*(/n|\\r?\\n)\\s*', ', ', 'g')), '')`;
    const drop = `CASE
        WHEN NOT coalesce(${orgNumberValid(number)}, false) THEN '${MALFORMED}organisasjonsnummer: not nine digits with a valid mod-11 check digit'
        WHEN upper(${form}) = 'ENK' THEN 'natural person (enkeltpersonforetak, ENK)'
        WHEN ${text('navn')} IS NULL THEN 'no name'
      END`;
    const status = `CASE
        WHEN ${truthy(h, 'konkurs')} THEN 'konkurs'
        WHEN ${truthy(h, 'underTvangsavviklingEllerTvangsopplosning')} THEN 'underTvangsavviklingEllerTvangsopplosning'
        WHEN ${truthy(h, 'underAvvikling')} THEN 'underAvvikling'
      END`;
    const sql = `
      SELECT
        ${number} AS register_id,
        'NO' AS country,
        ${text('navn')} AS name,
        []::VARCHAR[] AS other_names,
        []::VARCHAR[] AS other_name_types,
        ${form} AS legal_form,
        ${text('organisasjonsform.beskrivelse')} AS legal_form_text,
        ${elfSql('no-brreg', { text: text('organisasjonsform.beskrivelse'), code: form })} AS legal_form_elf,
        -- Bankrupt or being wound up: still registered, no longer trading.
        CASE WHEN ${status} IS NULL THEN 'active' ELSE 'inactive' END AS status,
        ${status} AS status_published,
        coalesce(try_strptime(${text('stiftelsesdato')}, '%Y-%m-%d'), try_strptime(${text('registreringsdatoenhetsregisteret')}, '%Y-%m-%d'))::DATE AS incorporated,
        NULL::DATE AS dissolved,
        ${street} AS street,
        ${text('forretningsadresse.postnummer')} AS postcode,
        ${text('forretningsadresse.poststed')} AS city,
        ${text('forretningsadresse.kommune')} AS region,
        ${text('forretningsadresse.landkode')} AS address_country,
        'SN2007' AS industry_scheme,
        ${industry} AS industry_codes,
        -- SN2007 is NACE Rev. 2 with a fifth, national digit: nn.nnn → nn.nn.
        list_transform(list_filter(${industry}, lambda c: regexp_full_match(c, '[0-9]{2}\\.[0-9]{3}')), lambda c: substr(c, 1, 5)) AS nace_codes,
        ${websiteSql(text('hjemmeside'))} AS website,
        ${domainSql(text('hjemmeside'))} AS domain,
        NULL::VARCHAR AS lei,
        ${drop} AS _drop,
        CASE WHEN starts_with(${drop}, '${MALFORMED}') AND coalesce(upper(${form}), '') <> 'ENK' THEN ${number} END AS _bad
      FROM ${csvSource(file.path, header, this.dialect)}`;
    return { sql, records: BRREG_FILE, added: { [BRREG_FILE]: h.added } };
  },
};
