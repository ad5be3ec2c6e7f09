/**
 * The name key: what a company name is reduced to for linking — lower case, accents and other marks
 * removed, letters transliterated, punctuation out, the legal form recognised (for the country) and
 * moved to its own column, noise words dropped. This is the JavaScript form of name-rules.ts; the SQL
 * form (name-key-sql.ts) gives the same answers, and the tests hold them to it.
 */
import { COUNTRY_LEGAL_FORMS, GENERIC_LEGAL_FORMS, JOINING, NOISE_WORDS, SEPARATOR, TRANSLITERATIONS, type LegalFormSpelling } from './name-rules.js';

/** A name's key and the legal form its name carries (canonical word), if any. */
export interface NameKey {
  key: string;
  legalForm: string | null;
}

/** The legal forms tried for a country: its own first, then the generic ones not spelled the same. */
export function legalFormsOf(country: string | null | undefined): LegalFormSpelling[] {
  const own = COUNTRY_LEGAL_FORMS[(country ?? '').toUpperCase()] ?? [];
  const taken = new Set(own.flatMap((f) => f.spellings));
  return [...own, ...GENERIC_LEGAL_FORMS.map((f) => ({ canonical: f.canonical, spellings: f.spellings.filter((s) => !taken.has(s)) })).filter((f) => f.spellings.length > 0)];
}

/** The alternation of every spelling, longest first (RE2 and JavaScript both try alternatives in order). */
export function spellingAlternation(forms: readonly LegalFormSpelling[]): string {
  return [...new Set(forms.flatMap((f) => f.spellings))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).join('|');
}

/** The patterns that find a legal form at the end of a normalized name, and at its start. */
export function legalFormPatterns(forms: readonly LegalFormSpelling[]): { suffix: string; prefix: string } {
  const alternation = spellingAlternation(forms);
  return { suffix: `^(.+) (${alternation})$`, prefix: `^(${alternation}) (.+)$` };
}

const MARKS = /\p{M}/gu;
const JOINING_RE = new RegExp(JOINING, 'gu');
const SEPARATOR_RE = new RegExp(SEPARATOR, 'gu');
const NOISE = new Set(NOISE_WORDS);

/** A name normalized: lower case, no marks, transliterated, dots and apostrophes joined, words single-spaced. */
export function normalizeName(name: string): string {
  let s = name.toLowerCase().normalize('NFD').replace(MARKS, '');
  for (const [from, to] of TRANSLITERATIONS) if (s.includes(from)) s = s.replaceAll(from, to);
  return s.replace(JOINING_RE, '').replace(SEPARATOR_RE, ' ').trim();
}

interface CountryMatcher {
  suffix: RegExp;
  prefix: RegExp;
  canonical: Map<string, string>;
}

const matchers = new Map<string, CountryMatcher>();

function matcherOf(country: string | null | undefined): CountryMatcher {
  const code = (country ?? '').toUpperCase();
  let m = matchers.get(code);
  if (m === undefined) {
    const forms = legalFormsOf(code);
    const { suffix, prefix } = legalFormPatterns(forms);
    const canonical = new Map<string, string>();
    for (const form of forms) for (const s of form.spellings) if (!canonical.has(s)) canonical.set(s, form.canonical);
    m = { suffix: new RegExp(suffix, 'u'), prefix: new RegExp(prefix, 'u'), canonical };
    matchers.set(code, m);
  }
  return m;
}

/** The key of a company name registered (or written) in `country` (ISO 3166 alpha-2, or null when unknown). */
export function nameKey(name: string, country: string | null | undefined): NameKey {
  const normalized = normalizeName(name);
  const m = matcherOf(country);
  let rest = normalized;
  let spelling: string | undefined;
  const suffix = m.suffix.exec(normalized);
  if (suffix !== null) {
    rest = suffix[1] as string;
    spelling = suffix[2];
  } else {
    const prefix = m.prefix.exec(normalized);
    if (prefix !== null) {
      spelling = prefix[1];
      rest = prefix[2] as string;
    }
  }
  const words = rest.split(' ').filter((w) => !NOISE.has(w));
  const key = words.join(' ') || rest || normalized;
  return { key, legalForm: spelling === undefined ? null : (m.canonical.get(spelling) ?? spelling) };
}
