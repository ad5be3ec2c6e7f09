/**
 * Legal forms as registers publish them (a code, or a text), with the register's text for a code and
 * the ISO 20275 ELF code of the form. ELF codes are taken from GLEIF's ELF code list (version
 * 2026-02-19, CC0): a form is mapped only where the list names the same form for the same
 * jurisdiction, so an unmapped form stays null rather than guessed. Where a register's form was
 * merged into another on the list (SASU into SAS, 2020), the note says so.
 */
import { sqlString } from '../names/name-key-sql.js';

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
