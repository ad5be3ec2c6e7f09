/**
 * What a network is, kept as data (src/links/data/, provenance in its README): the words that say
 * what a holder is, in the languages of the five RIR regions (`class-words.csv`), and the network
 * operators whose class is known (`operators.csv`: by AS number, WHOIS organisation handle or a name
 * pattern, each with where that was established). Users extend the operators with a file of the same
 * shape. No name of a company is written in code; these files are read, checked line by line, and
 * turned into RE2 patterns for DuckDB here.
 */
import { readFileSync } from 'node:fs';
import { IpregError } from '../errors.js';
import { csvRows } from '../formats/csv-line.js';
import { sqlString } from '../lake/sql.js';
import type { RangeClass } from './class-rules.js';

/** The classes a network can be given from its words or an operator list (unknown is no evidence). */
export const NETWORK_CLASSES = ['isp', 'mobile', 'hosting', 'education', 'government', 'business'] as const satisfies readonly RangeClass[];
export type NetworkClass = (typeof NETWORK_CLASSES)[number];

/** Words of one language that say what a holder is. */
export interface ClassWords {
  class: NetworkClass;
  language: string;
  /** word: the whole word; stem: a word that begins so; substring: anywhere (scripts written without spaces). */
  kind: 'word' | 'stem' | 'substring';
  /** Alternatives, lower case, accents stripped (RE2 fragments). */
  words: readonly string[];
  line: number;
}

/** A network operator whose class is known. */
export interface Operator {
  by: 'asn' | 'org' | 'name';
  /** asn: the number; org: a WHOIS organisation handle; name: an RE2 pattern over the lower-case, accent-stripped name. */
  value: string;
  class: NetworkClass;
  established: string;
  line: number;
}

function classOf(value: string, file: string, line: number): NetworkClass {
  if (!(NETWORK_CLASSES as readonly string[]).includes(value)) throw new IpregError('CONFIG_INVALID', `${file} line ${line}: class "${value}" is not one of ${NETWORK_CLASSES.join(', ')}`, { file, line, field: 'class', value });
  return value as NetworkClass;
}

/** Fails unless `pattern` compiles (RE2's syntax is, for what these files use, JavaScript's with the u flag). */
function checkPattern(pattern: string, file: string, line: number, field: string): void {
  try {
    new RegExp(pattern, 'u');
  } catch (err) {
    throw new IpregError('CONFIG_INVALID', `${file} line ${line}: ${field} "${pattern}" is not a regular expression (${(err as Error).message})`, { file, line, field, value: pattern });
  }
}

const KINDS = ['word', 'stem', 'substring'] as const;

export function parseClassWords(text: string, file: string): ClassWords[] {
  return csvRows(text, file, ['class', 'language', 'kind', 'text', 'note']).map(({ line, fields }) => {
    const [klass, language, kind, words, note] = fields as [string, string, string, string, string];
    if (!(KINDS as readonly string[]).includes(kind)) throw new IpregError('CONFIG_INVALID', `${file} line ${line}: kind "${kind}" is not one of ${KINDS.join(', ')}`, { file, line, field: 'kind', value: kind });
    if (language === '' || note === '') throw new IpregError('CONFIG_INVALID', `${file} line ${line}: the language and the note must be given`, { file, line });
    const alternatives = words.split('|').map((w) => w.trim());
    if (alternatives.some((w) => w === '')) throw new IpregError('CONFIG_INVALID', `${file} line ${line}: text "${words}" has an empty alternative`, { file, line, field: 'text', value: words });
    checkPattern(alternatives.join('|'), file, line, 'text');
    return { class: classOf(klass, file, line), language, kind: kind as ClassWords['kind'], words: alternatives, line };
  });
}

const BY = ['asn', 'org', 'name'] as const;

export function parseOperators(text: string, file: string): Operator[] {
  const seen = new Map<string, number>();
  return csvRows(text, file, ['by', 'value', 'class', 'established']).map(({ line, fields }) => {
    const [by, value, klass, established] = fields as [string, string, string, string];
    if (!(BY as readonly string[]).includes(by)) throw new IpregError('CONFIG_INVALID', `${file} line ${line}: by "${by}" is not one of ${BY.join(', ')}`, { file, line, field: 'by', value: by });
    if (value === '') throw new IpregError('CONFIG_INVALID', `${file} line ${line}: the value is empty`, { file, line, field: 'value' });
    if (by === 'asn' && !/^(AS)?\d{1,10}$/i.test(value)) throw new IpregError('CONFIG_INVALID', `${file} line ${line}: value "${value}" is not an AS number`, { file, line, field: 'value', value });
    if (by === 'name') checkPattern(value, file, line, 'value');
    if (established === '') throw new IpregError('CONFIG_INVALID', `${file} line ${line}: say where the class was established`, { file, line, field: 'established' });
    const normalized = by === 'asn' ? value.replace(/^AS/i, '') : by === 'org' ? value.toUpperCase() : value;
    const key = `${by}\u0000${normalized}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new IpregError('CONFIG_INVALID', `${file} line ${line}: ${by} "${value}" is listed on line ${earlier} already`, { file, line, field: 'value', value });
    seen.set(key, line);
    return { by: by as Operator['by'], value: normalized, class: classOf(klass, file, line), established, line };
  });
}

const dataFile = (name: string) => new URL(`data/${name}`, import.meta.url);

let builtinWords: ClassWords[] | undefined;
let builtinOperatorList: Operator[] | undefined;

/** The class words shipped with ipreg (src/links/data/class-words.csv). */
export function builtinClassWords(): readonly ClassWords[] {
  builtinWords ??= parseClassWords(readFileSync(dataFile('class-words.csv'), 'utf8'), 'src/links/data/class-words.csv');
  return builtinWords;
}

/** The known network operators shipped with ipreg (src/links/data/operators.csv). */
export function builtinOperators(): readonly Operator[] {
  builtinOperatorList ??= parseOperators(readFileSync(dataFile('operators.csv'), 'utf8'), 'src/links/data/operators.csv');
  return builtinOperatorList;
}

/** A name as the operator patterns see it: lower case, accents stripped, runs of spaces one (punctuation kept: "at&t", "s.a."). */
export const foldedNameSql = (name: string) => `regexp_replace(strip_accents(lower(${name})), '\\s+', ' ', 'g')`;

/**
 * A name as the class words see it: lower case, accents stripped, every run of what is neither letter
 * nor digit one space, a space at each end — so a word is a plain " word " and the patterns are
 * literal alternations, which RE2 runs in one pass however many there are.
 */
export const spacedNameSql = (name: string) => `' ' || trim(regexp_replace(strip_accents(lower(${name})), '[^\\pL\\pN]+', ' ', 'g')) || ' '`;

/** The RE2 pattern of one row of class words, over a spaced name (spacedNameSql). */
export function wordsPattern(w: ClassWords): string {
  const words = `(${w.words.join('|')})`;
  if (w.kind === 'substring') return words;
  // Over a spaced name (spacedNameSql): a word is between spaces, a stem after one.
  return w.kind === 'word' ? ` ${words} ` : ` ${words}`;
}

/**
 * SQL: the first class words matching the spaced name `spaced` (spacedNameSql) in `order` of
 * classes, as 'class|words-class|language', or NULL.
 */
export function classWordsSql(spaced: string, words: readonly ClassWords[], order: readonly NetworkClass[]): string {
  return firstMatchSql(
    spaced,
    order.flatMap((klass) => words.filter((w) => w.class === klass).map((w) => [wordsPattern(w), `${klass}|words-${klass}|${w.language}`] as const)),
    true,
  );
}

/** An operator's name pattern, matched as whole words: "entel" is not inside "Rentelcor". */
export function operatorPattern(o: Operator): string {
  return `(^|[^\\pL\\pN])(?:${o.value})([^\\pL\\pN]|$)`;
}

/**
 * A CASE over `arms` (pattern, result), first match wins; with `prefilter`, behind one test of all the
 * patterns at once — most names match none, and for literal patterns RE2 tests one alternation of
 * them far faster than each in turn (not for patterns with Unicode classes, whose union is slow).
 */
function firstMatchSql(text: string, arms: readonly (readonly [string, string])[], prefilter: boolean): string {
  if (arms.length === 0) return 'NULL';
  const each = `CASE ${arms.map(([pattern, result]) => `WHEN regexp_matches(${text}, ${sqlString(pattern)}) THEN ${sqlString(result)}`).join(' ')} END`;
  if (!prefilter) return each;
  return `CASE WHEN regexp_matches(${text}, ${sqlString(arms.map(([pattern]) => `(?:${pattern})`).join('|'))}) THEN ${each} END`;
}

/** SQL: the first operator listed by name whose pattern matches `folded` (whole words), as 'class|operator-name|pattern', or NULL. */
export function operatorNameSql(folded: string, operators: readonly Operator[]): string {
  return firstMatchSql(
    folded,
    operators.filter((o) => o.by === 'name').map((o) => [operatorPattern(o), `${o.class}|operator-name|${o.value.slice(0, 40)}`] as const),
    false,
  );
}

/** SQL rows (key_kind, value, class) of the operators listed by AS number or organisation handle, for a join. */
export function operatorKeysSql(operators: readonly Operator[]): string {
  const keyed = operators.filter((o) => o.by !== 'name');
  if (keyed.length === 0) return `SELECT NULL::VARCHAR AS key_kind, NULL::VARCHAR AS value, NULL::VARCHAR AS class WHERE false`;
  return `SELECT * FROM (VALUES ${keyed.map((o) => `(${sqlString(o.by)}, ${sqlString(o.value)}, ${sqlString(o.class)})`).join(', ')}) AS t(key_kind, value, class)`;
}

/** What a register's industry code says a company is: a NACE Rev. 2 code or code prefix and its class. */
export interface IndustryClass {
  /** A NACE Rev. 2 division ("61") or class ("61.20"); the longest that a company's main code begins with wins. */
  nace: string;
  class: NetworkClass;
  title: string;
  line: number;
}

export function parseIndustryClasses(text: string, file: string): IndustryClass[] {
  return csvRows(text, file, ['nace', 'class', 'title']).map(({ line, fields }) => {
    const [nace, klass, title] = fields as [string, string, string];
    if (!/^\d{2}(\.\d{1,2})?$/.test(nace)) throw new IpregError('CONFIG_INVALID', `${file} line ${line}: nace "${nace}" is not a NACE Rev. 2 division or class (61, 61.2, 61.20)`, { file, line, field: 'nace', value: nace });
    if (title === '') throw new IpregError('CONFIG_INVALID', `${file} line ${line}: the title (where the code's meaning comes from) is empty`, { file, line, field: 'title' });
    return { nace, class: classOf(klass, file, line), title, line };
  });
}

let builtinIndustry: IndustryClass[] | undefined;

/** The NACE → class map shipped with ipreg (src/links/data/industry-classes.csv). */
export function builtinIndustryClasses(): readonly IndustryClass[] {
  builtinIndustry ??= parseIndustryClasses(readFileSync(dataFile('industry-classes.csv'), 'utf8'), 'src/links/data/industry-classes.csv');
  return builtinIndustry;
}
