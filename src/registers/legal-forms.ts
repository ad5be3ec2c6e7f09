/**
 * Legal forms as registers publish them (a code, or a text), with the register's text for a code and
 * the ISO 20275 ELF code of the form: by the register's code where it has its own (SIRENE), by the
 * form's words or the list's abbreviation where the register uses those (Companies House, KBO,
 * Brønnøysund, Estonia). ELF codes are taken from GLEIF's ELF code list (version
 * 2026-02-19, CC0): a form is mapped only where the list names the same form for the same
 * jurisdiction, so an unmapped form stays null rather than guessed. Where a register's form was
 * merged into another on the list (SASU into SAS, 2020), the note says so.
 */
import { sqlString } from '../lake/sql.js';

/** One published legal form. */
export interface RegisterLegalForm {
  /** The value in the register's legal-form column. */
  code: string;
  /** The register's text for it. */
  text: string;
  /** The ISO 20275 ELF code, where the list has the same form. */
  elf?: string;
  note?: string;
}

/** INSEE catégories juridiques (niveau III) of the commercial and civil forms most units have. */
const FR_SIRENE: readonly RegisterLegalForm[] = [
  { code: '1000', text: 'Entrepreneur individuel', elf: 'ZY9X' },
  { code: '5202', text: 'Société en nom collectif', elf: 'H1U2' },
  { code: '5306', text: 'Société en commandite simple', elf: 'VD7Z' },
  { code: '5308', text: 'Société en commandite par actions', elf: 'DEG4' },
  { code: '5385', text: "Société d'exercice libéral en commandite par actions", elf: '6KWU' },
  { code: '5460', text: 'Autre SARL coopérative', elf: '4DZU' },
  { code: '5485', text: "Société d'exercice libéral à responsabilité limitée", elf: 'J9OZ' },
  { code: '5498', text: 'SARL unipersonnelle', elf: 'V9QP', note: 'the ELF list ended its own code (JN2P) in 2020: an EURL is a SARL' },
  { code: '5499', text: 'Société à responsabilité limitée (sans autre indication)', elf: 'V9QP' },
  { code: '5599', text: "SA à conseil d'administration (s.a.i.)", elf: 'K65D' },
  { code: '5699', text: 'SA à directoire (s.a.i.)', elf: '5VCF' },
  { code: '5710', text: 'SAS, société par actions simplifiée', elf: '6CHY' },
  {
    code: '5720',
    text: 'Société par actions simplifiée à associé unique ou société par actions simplifiée unipersonnelle',
    elf: '6CHY',
    note: 'the ELF list ended its own code (LARO) in 2020: a SASU is a SAS',
  },
  { code: '5785', text: "Société d'exercice libéral par action simplifiée", elf: '3FCU' },
  { code: '5800', text: 'Société européenne', elf: 'TPNT' },
  { code: '6210', text: "Groupement européen d'intérêt économique (GEIE)", elf: '6RUE' },
  { code: '6220', text: "Groupement d'intérêt économique (GIE)", elf: 'R0B6' },
  { code: '6533', text: "Groupement agricole d'exploitation en commun (GAEC)", elf: 'QCWO' },
  { code: '6540', text: 'Société civile immobilière', elf: 'FY0F' },
  { code: '6589', text: 'Société civile de moyens', elf: 'M1BJ' },
  { code: '6597', text: "Société civile d'exploitation agricole", elf: 'M673' },
  { code: '6598', text: 'Exploitation agricole à responsabilité limitée', elf: 'BAK2' },
  { code: '6599', text: 'Autre société civile', elf: '1L24' },
  { code: '7210', text: 'Commune et commune nouvelle', elf: 'FFQL' },
  { code: '7383', text: 'Établissement public national à caractère scientifique culturel et professionnel', elf: 'K7XQ' },
  { code: '9220', text: 'Association déclarée', elf: 'BEWI' },
  { code: '9300', text: 'Fondation', elf: '9T5S' },
];

/** One active entry of GLEIF's ELF code list: the code, its local names and abbreviations (any language). */
export interface ElfEntry {
  elf: string;
  names: readonly string[];
  abbreviations?: readonly string[];
}

/**
 * Active ELF entries (list of 2026-02-19) of the countries whose registers publish a legal form as
 * words or as the list's own abbreviation — Great Britain (Companies House's CompanyCategory), Belgium
 * (KBO's code.csv texts), Norway (Brønnøysund's organisasjonsform code and text), Estonia (the form
 * in words). Branch-only entries the list has
 * ended (Norway's NUF, 2023) are left out: they are not legal forms.
 */
export const ELF_ENTRIES: Readonly<Record<string, readonly ElfEntry[]>> = {
  GB: [
    { elf: 'H0PO', names: ['Private Limited Company', 'cyfyngedig'] },
    { elf: 'B6ES', names: ['Public Limited Company', 'Cwmni Cyfyngedig Cyhoeddus'] },
    // Companies House's category for it; the list ended G12F ("…/No Share Capital") as a duplicate of 4GJI in 2026.
    { elf: '4GJI', names: ['Private Limited by Guarantee', 'PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)'] },
    { elf: 'Z0EY', names: ['Limited Liability Partnership', 'Partneriaeth Atebolrwydd Cyfyngedig'] },
    { elf: 'ID30', names: ['Limited Partnership'] },
    { elf: '4HTX', names: ['Private Fund Limited Partnership'] },
    { elf: '17R0', names: ['Community Interest Company'] },
    { elf: '57V7', names: ['Private Unlimited'] },
    { elf: '60IF', names: ['Private Unlimited/No Share Capital'] },
    { elf: '7T8N', names: ['Charitable Incorporated Organisation'] },
    { elf: 'ZQ6S', names: ['Old Public Company'] },
    { elf: 'XLZV', names: ['Registered Society'] },
    { elf: 'VV0W', names: ['Investment Company with Variable Capital'] },
    { elf: '9B78', names: ['Royal Charter Company'] },
    { elf: 'TT2H', names: ['Protected Cell Company'] },
    { elf: '468Q', names: ['United Kingdom Societas'] },
    { elf: 'VYF8', names: ['United Kingdom Economic Interest Grouping'] },
    { elf: 'NBTW', names: ['Scottish Partnership'] },
    { elf: 'STX7', names: ['Scottish Charitable Incorporated Organisation'] },
    { elf: 'E12O', names: ['Building Society'] },
    { elf: 'BX6Y', names: ['Friendly Society'] },
    { elf: 'WBQU', names: ['Credit Union'] },
    { elf: 'IYXU', names: ['Community Benefit Society'] },
    { elf: 'ZZGG', names: ['Co-operative Society'] },
    { elf: '8CF0', names: ['Assurance Company'] },
    { elf: 'Q0M5', names: ['Unregistered Company'] },
    { elf: 'AVYY', names: ['Government Entity'] },
    { elf: 'TRWS', names: ['Unincorporated Association'] },
  ],
  BE: [
    { elf: '3W7E', names: ['Besloten Vennootschap', 'Société à responsabilité limitée', 'Gesellschaft mit beschränkter Haftung'], abbreviations: ['BV', 'SRL'] },
    { elf: 'R85P', names: ['Naamloze vennootschap', 'Société anonyme', 'Aktiengesellschaft'], abbreviations: ['NV', 'SA'] },
    { elf: 'W3WH', names: ['Vereniging zonder winstoogmerk', 'Association sans but lucratif', 'Vereinigung ohne Gewinnerzielungsabsicht'], abbreviations: ['VZW', 'ASBL'] },
    { elf: 'V03J', names: ['Internationale vereniging zonder winstoogmerk', 'Association internationale sans but lucratif'], abbreviations: ['IVZW', 'AISBL'] },
    { elf: 'QZIS', names: ['Openbare instelling', 'Etablissement public', 'Öffentliche Einrichtung'] },
    { elf: 'UW1Y', names: ['Vennootschap onder firma', 'Société en nom collectif', 'Offene Handelsgesellschaft'], abbreviations: ['VOF', 'SNC'] },
    { elf: 'MQH3', names: ['Commanditaire vennootschap', 'Société en commandite', 'Kommanditgesellschaft'], abbreviations: ['CommV', 'SComm'] },
    { elf: 'LWV6', names: ['Gewone commanditaire vennootschap', 'Société en commandite simple', 'Einfache Kommanditgesellschaft'] },
    { elf: 'U2PN', names: ['Commanditaire vennootschap op aandelen', 'Société en commandite par actions', 'Kommanditgesellschaft auf Aktien'] },
    { elf: 'N5NT', names: ['Besloten vennootschap met beperkte aansprakelijkheid', 'Société privée à responsabilité limitée', 'Privatgesellschaft mit beschränkter Haftung'], abbreviations: ['BVBA', 'SPRL'] },
    { elf: '8E2A', names: ['Coöperatieve vennootschap met beperkte aansprakelijkheid', 'Société coopérative à responsabilité limitée'], abbreviations: ['CVBA', 'SCRL'] },
    { elf: 'LWHF', names: ['Coöperatieve vennootschap met onbeperkte aansprakelijkheid', 'Société coopérative à responsabilité illimitée'], abbreviations: ['CVOA', 'SCRI'] },
    { elf: 'Y1Q4', names: ['Private stichting', 'Fondation privée', 'Privatstiftung'] },
    { elf: 'KM6O', names: ['Maatschap', 'Société de droit commun', 'Gesellschaft des allgemeinen Rechts'] },
    { elf: 'J5OU', names: ['Economisch samenwerkingsverband', "Groupement d'intérêt économique", 'Wirtschaftliche Interessenvereinigung'] },
    { elf: '7SJP', names: ['Europees economisch samenwerkingsverband', "Groupement européen d'intérêt économique"] },
    { elf: 'YBHM', names: ['Europese Coöperatieve Vennootschap', 'Société coopérative européenne'] },
    { elf: 'JAM3', names: ['Coöperatieve vennootschap van publiek recht', 'Société coopérative de droit public'] },
    { elf: 'L05H', names: ['Besloten Vennootschap van publiek recht', 'Société à responsabilité limitée de droit public'] },
    { elf: 'TPTU', names: ['Naamloze vennootschap van publiek recht', 'Société anonyme de droit public'] },
    { elf: 'EDMK', names: ['Vereniging zonder winstoogmerk van publiek recht', 'Association sans but lucratif de droit public'] },
    { elf: '8YLB', names: ['Instelling zonder winstoogmerk', 'Institution sans but lucratif'] },
    { elf: '4L1X', names: ['Autonoom gemeentebedrijf', 'Régie communale autonome'] },
  ],
  NO: [
    { elf: 'YI42', names: ['Aksjeselskap'], abbreviations: ['AS'] },
    { elf: 'IQGE', names: ['Allmennaksjeselskap'], abbreviations: ['ASA'] },
    { elf: '326Y', names: ['Ansvarlig selskap'], abbreviations: ['ANS'] },
    { elf: 'CF5L', names: ['Ansvarlig selskap, delt ansvar'], abbreviations: ['DA'] },
    { elf: 'EXD7', names: ['Enkeltpersonforetak'], abbreviations: ['ENK'] },
    { elf: '3C7U', names: ['Stiftelse'] },
    { elf: 'K5P8', names: ['Samvirkeforetak'], abbreviations: ['SA'] },
    { elf: 'M9IQ', names: ['Kommandittselskap'], abbreviations: ['KS'] },
    { elf: 'Q0Q1', names: ['Selskap med begrenset ansvar'], abbreviations: ['BA'] },
    { elf: 'O0EU', names: ['Borettslag'], abbreviations: ['BRL'] },
    { elf: '9DI1', names: ['Boligbyggelag'], abbreviations: ['BBL'] },
    { elf: '3L58', names: ['Kommunalt foretak'], abbreviations: ['KF'] },
    { elf: '5ZTZ', names: ['Fylkeskommunalt foretak'], abbreviations: ['FKF'] },
    { elf: '50TD', names: ['Statsforetak'], abbreviations: ['SF'] },
    { elf: 'YTMC', names: ['Interkommunalt selskap'], abbreviations: ['IKS'] },
    { elf: '5V5S', names: ['Kommune'] },
    { elf: 'KX7D', names: ['Fylkeskommune'] },
    { elf: '8S9H', names: ['Gjensidig forsikringsselskap'] },
    { elf: 'AEV1', names: ['Partrederi'] },
    { elf: 'BJ65', names: ['Pensjonskasse'] },
    { elf: 'DRPL', names: ['Europeisk økonomisk foretaksgruppe'], abbreviations: ['EØFG'] },
    { elf: 'FSBD', names: ['Forening'] },
    { elf: 'LJJW', names: ['Verdipapirfond'] },
    { elf: 'O7LB', names: ['Europeisk samvirkeforetak'], abbreviations: ['SCE'] },
    { elf: 'PB3V', names: ['Konkursbo'] },
    { elf: 'R71C', names: ['Sparebank'] },
    { elf: 'V06W', names: ['Europeisk selskap'], abbreviations: ['SE'] },
    { elf: 'ZQ0Q', names: ['Eierseksjonssameie'] },
  ],
  EE: [
    { elf: 'JC0Y', names: ['Osaühing'], abbreviations: ['OÜ'] },
    { elf: '9LJA', names: ['Aktsiaselts'], abbreviations: ['AS'] },
    { elf: 'PRTB', names: ['Mittetulundusühing'], abbreviations: ['MTÜ'] },
    { elf: 'I1UP', names: ['Täisühing'], abbreviations: ['TÜ'] },
    { elf: 'LVEQ', names: ['Usaldusühing'], abbreviations: ['UÜ'] },
    { elf: 'VSEV', names: ['Tulundusühistu'], abbreviations: ['TÜH'] },
    { elf: '1NKP', names: ['Sihtasutus'], abbreviations: ['SA'] },
    { elf: '3UPJ', names: ['Füüsilisest isikust ettevõtja'], abbreviations: ['FIE'] },
    { elf: '8ZQE', names: ['Korteriühistu'], abbreviations: ['KÜ'] },
    { elf: '6I0P', names: ['Hooneühistu'], abbreviations: ['HÜ'] },
    { elf: '752Q', names: ['Euroopa äriühing'], abbreviations: ['SE'] },
    { elf: 'LA47', names: ['Euroopa majandushuviühing'], abbreviations: ['EMHÜ'] },
    { elf: 'RXTT', names: ['Euroopa ühistu'], abbreviations: ['SCE'] },
    { elf: 'J34T', names: ['Ametiühing'], abbreviations: ['AÜ'] },
    { elf: 'GA3A', names: ['Erakond'] },
    { elf: 'CKOS', names: ['Usuline ühendus'] },
    { elf: 'PMOF', names: ['Loomeliit'] },
    { elf: 'BE56', names: ['Avalik-õiguslik juriidiline isik'] },
  ],
};

/**
 * A SQL CASE giving the ELF code of a legal form published as words (`text`, any of the list's
 * languages, case and blanks ignored) or as the list's abbreviation (`code`); null when neither
 * matches an entry of the country.
 */
export function elfSql(country: string, forms: { text?: string; code?: string }): string {
  const entries = ELF_ENTRIES[country] ?? [];
  const arms: string[] = [];
  const fold = (e: string) => `lower(trim(${e}))`;
  if (forms.text !== undefined) {
    for (const e of entries) arms.push(`WHEN ${fold(forms.text)} IN (${e.names.map((n) => sqlString(n.toLowerCase())).join(', ')}) THEN ${sqlString(e.elf)}`);
  }
  if (forms.code !== undefined) {
    // An abbreviation two entries share (Norway's SA, Estonia's SA and AS) is not a key: only unique ones are.
    const count = new Map<string, number>();
    for (const e of entries) for (const a of e.abbreviations ?? []) count.set(a.toLowerCase(), (count.get(a.toLowerCase()) ?? 0) + 1);
    for (const e of entries) {
      const own = (e.abbreviations ?? []).filter((a) => count.get(a.toLowerCase()) === 1);
      if (own.length > 0) arms.push(`WHEN ${fold(forms.code)} IN (${own.map((a) => sqlString(a.toLowerCase())).join(', ')}) THEN ${sqlString(e.elf)}`);
    }
  }
  return arms.length === 0 ? 'NULL::VARCHAR' : `CASE ${arms.join(' ')} END`;
}

/** Published legal forms by register id. */
export const REGISTER_LEGAL_FORMS: Readonly<Record<string, readonly RegisterLegalForm[]>> = {
  'fr-sirene': FR_SIRENE,
};

/** A SQL CASE giving the text or ELF code of the legal form in `expression` (null when unknown). */
export function legalFormSql(register: string, expression: string, what: 'text' | 'elf'): string {
  const forms = (REGISTER_LEGAL_FORMS[register] ?? []).filter((f) => f[what] !== undefined);
  if (forms.length === 0) return 'NULL::VARCHAR';
  return `CASE ${expression} ${forms.map((f) => `WHEN ${sqlString(f.code)} THEN ${sqlString(f[what] as string)}`).join(' ')} END`;
}
