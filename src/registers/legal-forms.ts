/**
 * Legal forms as registers publish them (a code, or a text), with the register's text for a code and
 * the ISO 20275 ELF code of the form: by the register's code where it has its own (SIRENE), by the
 * form's words or the list's abbreviation where the register uses those (Companies House, KBO,
 * Brønnøysund, Estonia). The tables are data in each register's folder (legal-forms.json), ELF codes
 * taken from GLEIF's ELF code list (version 2026-02-19, CC0): a form is mapped only where the list
 * names the same form for the same jurisdiction, so an unmapped form stays null rather than guessed.
 * Where a register's form was merged into another on the list (SASU into SAS, 2020), the note says so.
 */
import { sqlString } from '../lake/sql.js';
import { sourceTable } from '../sources/catalog.js';

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

/** One active entry of GLEIF's ELF code list: the code, its local names and abbreviations (any language). */
export interface ElfEntry {
  elf: string;
  names: readonly string[];
  abbreviations?: readonly string[];
  note?: string;
}

/** A register's legal-forms.json: its forms as it publishes them, and the ELF entries of its country. */
export interface LegalFormTable {
  /** Where the ELF entries come from (the list and its version). */
  source: string;
  /** Active ELF entries of the country whose register publishes a form as words or the list's abbreviation. */
  elf?: ElfEntry[];
  /** The register's own codes (SIRENE's catégories juridiques), with their text and ELF code. */
  codes?: RegisterLegalForm[];
}

/** The legal-forms.json of a register's folder (empty when it has none). */
export function legalForms(register: string): LegalFormTable {
  return sourceTable<LegalFormTable>(register, 'legal-forms.json') ?? { source: '' };
}

/**
 * A SQL CASE giving the ELF code of a legal form published as words (`text`, any of the list's
 * languages, case and blanks ignored) or as the list's abbreviation (`code`); null when neither
 * matches an entry of the country.
 */
export function elfSql(register: string, forms: { text?: string; code?: string }): string {
  const entries = legalForms(register).elf ?? [];
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

/** A SQL CASE giving the text or ELF code of the legal form in `expression` (null when unknown). */
export function legalFormSql(register: string, expression: string, what: 'text' | 'elf'): string {
  const forms = (legalForms(register).codes ?? []).filter((f) => f[what] !== undefined);
  if (forms.length === 0) return 'NULL::VARCHAR';
  return `CASE ${expression} ${forms.map((f) => `WHEN ${sqlString(f.code)} THEN ${sqlString(f[what] as string)}`).join(' ')} END`;
}
