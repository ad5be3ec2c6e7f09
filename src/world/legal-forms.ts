/**
 * Legal forms per register as each register publishes them (code and text), with the suffix a
 * company's registered name carries and the spellings WHOIS writers use for the same form.
 */

/** What kind of person a legal form is. */
export type EntityKind = 'company' | 'natural-person' | 'public-body';

/** One legal form of one register. */
export interface LegalForm {
  /** The register's code (SIRENE catégorie juridique, Brreg organisasjonsform, KBO JuridicalForm …). */
  code: string;
  /** The register's text for it. */
  text: string;
  /** The suffix of registered names in this form ("" when names do not carry it). */
  nameSuffix: string;
  /** How WHOIS objects write the form after a name. */
  whoisVariants: readonly string[];
  kind: EntityKind;
  weight: number;
}

function form(
  code: string,
  text: string,
  nameSuffix: string,
  whoisVariants: readonly string[],
  weight: number,
  kind: EntityKind = 'company',
): LegalForm {
  return { code, text, nameSuffix, whoisVariants, kind, weight };
}

/** The registers of the world. */
export type RegisterId = 'gb-companies-house' | 'fr-sirene' | 'no-brreg' | 'be-kbo' | 'ee-rik' | 'lv-ur' | 'lt-jar' | 'cz-res' | 'se-bolagsverket' | 'ie-cro' | 'fi-prh';

export const LEGAL_FORMS: Record<RegisterId, readonly LegalForm[]> = {
  'gb-companies-house': [
    form('Private Limited Company', 'Private Limited Company', 'LIMITED', ['Ltd', 'Ltd.', 'Limited', 'LTD', 'LIMITED'], 85),
    form('Private Limited Company', 'Private Limited Company', 'LTD', ['Ltd', 'Ltd.', 'Limited', 'LTD'], 5),
    form('PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)', 'PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)', 'LIMITED', ['Ltd', 'Limited'], 3),
    form('Public Limited Company', 'Public Limited Company', 'PLC', ['plc', 'PLC', 'Plc', 'p.l.c.'], 0.5),
    form('Limited Liability Partnership', 'Limited Liability Partnership', 'LLP', ['LLP', 'L.L.P.'], 1),
    form('Community Interest Company', 'Community Interest Company', 'C.I.C.', ['CIC', 'C.I.C.'], 0.5),
    form('Limited Partnership', 'Limited Partnership', 'LP', ['LP', 'L.P.'], 0.5),
  ],
  'fr-sirene': [
    form('1000', 'Entrepreneur individuel', '', [], 60, 'natural-person'),
    form('5710', 'SAS, société par actions simplifiée', '', ['SAS', 'S.A.S.', 'S.A.S', 'sas'], 14),
    form('5720', 'Société par actions simplifiée à associé unique', '', ['SASU', 'S.A.S.U.'], 6),
    form('5499', 'Société à responsabilité limitée (sans autre indication)', '', ['SARL', 'S.A.R.L.', 'Sarl'], 10),
    form('5498', 'SARL unipersonnelle', '', ['EURL', 'E.U.R.L.'], 3),
    form('5599', 'SA à conseil d\'administration (s.a.i.)', '', ['SA', 'S.A.'], 1),
    form('6540', 'Société civile immobilière', '', ['SCI'], 5),
    form('9220', 'Association déclarée', '', [], 1),
    form('7383', 'Établissement public national à caractère scientifique culturel et professionnel', '', [], 0, 'public-body'),
    form('7210', 'Commune et commune nouvelle', '', [], 0, 'public-body'),
  ],
  'no-brreg': [
    form('AS', 'Aksjeselskap', 'AS', ['AS', 'A/S', 'as'], 55),
    form('ENK', 'Enkeltpersonforetak', '', [], 30, 'natural-person'),
    form('ASA', 'Allmennaksjeselskap', 'ASA', ['ASA'], 0.3),
    form('NUF', 'Norskregistrert utenlandsk foretak', 'NUF', ['NUF'], 3),
    form('DA', 'Ansvarlig selskap med delt ansvar', 'DA', ['DA'], 2),
    form('STI', 'Stiftelse', '', [], 1),
    form('ORGL', 'Organisasjonsledd', '', [], 0, 'public-body'),
    form('KOMM', 'Kommune', '', [], 0, 'public-body'),
  ],
  'be-kbo': [
    form('', 'Natuurlijk persoon', '', [], 45, 'natural-person'),
    form('015', 'Besloten vennootschap', '', ['BV', 'B.V.', 'BVBA', 'SRL', 'SPRL', 'bv'], 35),
    form('014', 'Naamloze vennootschap', '', ['NV', 'N.V.', 'SA', 'S.A.'], 8),
    form('016', 'Coöperatieve vennootschap', '', ['CV', 'SC', 'CVBA'], 2),
    form('017', 'Vereniging zonder winstoogmerk', '', ['VZW', 'ASBL'], 5),
    form('124', 'Openbare instelling', '', [], 0, 'public-body'),
  ],
  'ee-rik': [
    form('Osaühing', 'Osaühing', 'OÜ', ['OÜ', 'OU', 'Ou', 'OY'], 75),
    form('Aktsiaselts', 'Aktsiaselts', 'AS', ['AS', 'A/S'], 5),
    form('Füüsilisest isikust ettevõtja', 'Füüsilisest isikust ettevõtja', 'FIE', [], 12, 'natural-person'),
    form('Mittetulundusühing', 'Mittetulundusühing', 'MTÜ', ['MTU', 'MTÜ'], 6),
    form('Täisühing', 'Täisühing', 'TÜ', ['TU'], 1),
  ],
  // The form leads the registered name: SIA "Norvalo".
  'lv-ur': [
    form('SIA', 'Sabiedrība ar ierobežotu atbildību', 'SIA', ['SIA', 'Ltd', 'LLC'], 68),
    form('AS', 'Akciju sabiedrība', 'AS', ['AS', 'A/S', 'JSC'], 4),
    form('IK', 'Individuālais komersants', 'IK', [], 12, 'natural-person'),
    form('ZEM', 'Zemnieku saimniecība', 'Z/S', [], 5, 'natural-person'),
    form('BDR', 'Biedrība', '', [], 6),
    form('KS', 'Komandītsabiedrība', 'KS', ['KS'], 1),
    form('PS', 'Pilnsabiedrība', 'PS', ['PS'], 1),
  ],
  // Codes as the register's file writes them (310 UAB per its readers; the others are not confirmed).
  'lt-jar': [
    form('310', 'Uždaroji akcinė bendrovė', 'UAB', ['UAB', 'Ltd', 'JSC'], 70),
    form('320', 'Akcinė bendrovė', 'AB', ['AB', 'PLC', 'JSC'], 3),
    form('110', 'Individuali įmonė', 'IĮ', [], 8, 'natural-person'),
    form('960', 'Mažoji bendrija', 'MB', ['MB'], 12),
    form('720', 'Viešoji įstaiga', 'VšĮ', ['VsI', 'VšĮ'], 5),
    form('810', 'Asociacija', '', [], 2),
  ],
  // The ČSÚ's statistical codes (list 56): natural persons 10x; 112 and 121 assumed (fixtures/PROVENANCE.md).
  'cz-res': [
    form('112', 'Společnost s ručením omezeným', 's.r.o.', ['s.r.o.', 'sro', 's. r. o.', 'spol. s r.o.', 'Ltd'], 34),
    form('121', 'Akciová společnost', 'a.s.', ['a.s.', 'a. s.', 'as'], 3),
    form('101', 'Fyzická osoba podnikající dle živnostenského zákona', '', [], 55, 'natural-person'),
    form('706', 'Spolek', 'z.s.', ['z.s.', 'z. s.'], 6),
    form('205', 'Družstvo', 'družstvo', [], 2),
  ],
  // Bolagsverket's organisationsform codes (AB, HB, KB, E confirmed; EK assumed): sole traders (E) are natural
  // persons. Public bodies are not registered with Bolagsverket: SCB's file alone holds them (JurForm 81, 82).
  'se-bolagsverket': [
    form('AB', 'Aktiebolag', 'AB', ['AB', 'Aktiebolag', 'Ab', '(publ)'], 62),
    form('HB', 'Handelsbolag', 'HB', ['HB', 'Handelsbolag'], 4),
    form('KB', 'Kommanditbolag', 'KB', ['KB', 'Kommanditbolag'], 2),
    form('EK', 'Ekonomisk förening', 'ek. för.', ['ek. för.', 'ekonomisk förening'], 3),
    form('E', 'Enskild näringsverksamhet', '', [], 29, 'natural-person'),
    form('82', 'Kommuner', '', [], 0, 'public-body'),
  ],
  // The CRO's company types, "ABBREVIATION - text" (1153 LTD seen in a real row; the other codes assumed).
  // The CRO registers companies only: a sole trader's business name is in another register.
  'ie-cro': [
    form('1153', 'LTD - Private Company Limited by Shares', 'LIMITED', ['Limited', 'Ltd', 'Ltd.'], 70),
    form('1157', 'DAC - Designated Activity Company', 'DESIGNATED ACTIVITY COMPANY', ['DAC', 'Designated Activity Company'], 8),
    form('1155', 'PLC - Public Limited Company', 'PLC', ['PLC', 'plc'], 3),
    form('1154', 'CLG - Company Limited by Guarantee', 'CLG', ['CLG', 'Company Limited by Guarantee'], 14),
    form('1161', 'ULC - Private Unlimited Company', 'UNLIMITED COMPANY', ['Unlimited Company', 'ULC'], 5),
  ],
  // PRH's company form codes (Statistics Finland's yritysmuoto list, fixtures/PROVENANCE.md): 26 sole traders.
  'fi-prh': [
    form('16', 'Osakeyhtiö', 'Oy', ['Oy', 'Ltd', 'Oy Ltd'], 55),
    form('17', 'Julkinen osakeyhtiö', 'Oyj', ['Oyj', 'Plc', 'Abp'], 2),
    form('13', 'Kommandiittiyhtiö', 'Ky', ['Ky', 'Kb'], 5),
    form('5', 'Avoin yhtiö', 'Ay', ['Ay', 'Ab'], 3),
    form('14', 'Osuuskunta', 'osk', ['osk', 'Osuuskunta'], 3),
    form('26', 'Yksityinen elinkeinonharjoittaja', '', [], 32, 'natural-person'),
    form('41', 'Kunta', '', [], 0, 'public-body'),
  ],
};

/** The country of each register. */
export const REGISTER_COUNTRY: Record<RegisterId, string> = {
  'gb-companies-house': 'GB',
  'fr-sirene': 'FR',
  'no-brreg': 'NO',
  'be-kbo': 'BE',
  'ee-rik': 'EE',
  'lv-ur': 'LV',
  'lt-jar': 'LT',
  'cz-res': 'CZ',
  'se-bolagsverket': 'SE',
  'ie-cro': 'IE',
  'fi-prh': 'FI',
};

/** The register of a country, where the world has one. */
export function registerOfCountry(country: string): RegisterId | undefined {
  return (Object.keys(REGISTER_COUNTRY) as RegisterId[]).find((r) => REGISTER_COUNTRY[r] === country);
}

/** How companies of countries without a register in the world write their legal forms. */
export const FOREIGN_FORMS: Record<string, readonly string[]> = {
  DE: ['GmbH', 'AG', 'GmbH & Co. KG', 'UG'],
  NL: ['B.V.', 'BV', 'Besloten Vennootschap', 'N.V.'],
  IT: ['S.r.l.', 'S.p.A.'],
  ES: ['S.L.', 'S.A.'],
  US: ['Inc.', 'LLC', 'Corp.'],
  JP: ['K.K.', 'Co., Ltd.'],
  ZA: ['(Pty) Ltd'],
  BR: ['Ltda.', 'S.A.'],
};
