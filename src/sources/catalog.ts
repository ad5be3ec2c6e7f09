/**
 * The catalogue of sources: every folder below src/sources/ that holds a source.json is a source. Its
 * metadata (publisher, real URLs, licence and attribution, cadence, expected record counts, skip
 * budget; for a register, its country, how its numbers are written and quoted, its GLEIF registration
 * authorities) is read from that file, its value tables from the JSON files beside it, and its code
 * (a register's adapter, `register.ts`) is loaded when a step needs it. The pipelines learn of sources
 * from this list, never by importing a source by name: adding a source is adding a folder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IpregError } from '../errors.js';
import type { RegisterAdapter } from '../registers/register.js';

/** The folder the sources' folders are in (src/sources, or dist/src/sources once built). */
const SOURCES_DIR = fileURLToPath(new URL('.', import.meta.url));

/**
 * One file a source publishes: where it is, and which files of the generated world stand for it.
 * `url`, `world` and `archive.member` may hold {snapshot} (YYYY-MM-DD), {month} (YYYY-MM) and
 * {compact} (YYYYMMDD), filled in for a run's snapshot by fileForSnapshot().
 */
export interface SourceFile {
  /** The name it lands under in raw/<source>/<snapshot>/. */
  name: string;
  url: string;
  md5Url?: string;
  gzip: boolean;
  /** The publisher ships it inside a zip: the member to take (a glob: * for any run of characters). */
  archive?: { format: 'zip'; member: string };
  /** Files of a generated world that, concatenated, are this file (as landed: never zipped). */
  world: string[];
}

/** A source's metadata. */
export interface SourceMeta {
  id: string;
  kind: 'ip-allocation' | 'routing' | 'register';
  format: string;
  publisher: string;
  licence: string;
  attribution: string;
  cadence: string;
  encoding: 'ascii' | 'latin1' | 'utf8';
  files: SourceFile[];
  /** RPSL: attributes every dump of a class carries; one missing from a whole file means the format changed. */
  requiredAttributes?: Record<string, string[]>;
  expectedRecords: { min: number; max: number };
  /** The share of records that may be skipped as malformed before a run fails … */
  skipBudget: number;
  /** … or this many, whichever allows more (small files). */
  skipBudgetMinimum: number;
  /** A register's own facts (registers only). */
  register?: RegisterFacts;
  notes?: string;
}

/**
 * What the rest of the system knows of a register, kept with it. SQL templates take `{value}` (the
 * text to read) and `{digits}` (its digits alone).
 */
export interface RegisterFacts {
  /** ISO 3166 alpha-2 of the register; null for a global one (GLEIF). */
  country: string | null;
  /** What this register provides to the others: `lei-crosswalk` (GLEIF: its records name national companies). */
  provides?: string[];
  /** The register's ids in GLEIF's Registration Authorities list (an LEI record names its company by these). */
  gleifAuthorities?: string[];
  /** SQL giving the register's own form of a number written any other way, or NULL when it cannot be one. */
  canonicalId?: string;
  /** RE2 patterns that find the register's number quoted in WHOIS text (the first group is the number). */
  whoisNumbers?: string[];
  /** RE2 alternatives: the words that label such a number at the start of a descr line (it names nobody). */
  whoisLabels?: string[];
}

/** Where a kind's sources come in a run: allocations and routing before the registers that link to them. */
const KIND_ORDER = ['ip-allocation', 'routing', 'register'];
const FORMAT_ORDER = ['delegated', 'rpsl'];

/**
 * The order pipelines take sources in: by kind, delegated statistics before WHOIS dumps, registers
 * that provide to others (GLEIF's LEI crosswalk) before the rest, then by id.
 */
function runOrder(a: SourceMeta, b: SourceMeta): number {
  const rank = (s: SourceMeta) => [KIND_ORDER.indexOf(s.kind), FORMAT_ORDER.indexOf(s.format), (s.register?.provides?.length ?? 0) > 0 ? 0 : 1];
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] ?? 0) - (rb[i] ?? 0);
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Reads and checks one folder's source.json (a folder of SOURCES_DIR, or a path); throws naming the file and the field. */
export function readSource(folder: string): SourceMeta {
  const path = resolve(SOURCES_DIR, folder, 'source.json');
  const name = basename(folder);
  let meta: SourceMeta;
  try {
    meta = JSON.parse(readFileSync(path, 'utf8')) as SourceMeta;
  } catch (err) {
    throw new IpregError('CONFIG_INVALID', `${path}: ${(err as Error).message}`);
  }
  if (meta.id !== name) throw new IpregError('CONFIG_INVALID', `${path}: id "${meta.id}" is not its folder's name "${name}"`, { file: path, field: 'id', value: String(meta.id) });
  if (!KIND_ORDER.includes(meta.kind)) throw new IpregError('CONFIG_INVALID', `${path}: kind "${meta.kind}" is none of ${KIND_ORDER.join(', ')}`);
  if (!Array.isArray(meta.files) || meta.files.length === 0) throw new IpregError('CONFIG_INVALID', `${path}: no files`);
  if (meta.kind === 'register') checkRegisterFacts(path, meta.register);
  return meta;
}

/** Checks a register's facts field by field: a mistyped one fails at start-up naming the file, the field and the value. */
function checkRegisterFacts(path: string, facts: RegisterFacts | undefined): void {
  const fail = (field: string, what: string, value: unknown) => {
    throw new IpregError('CONFIG_INVALID', `${path}: register.${field} ${what} (found ${JSON.stringify(value)})`, { file: path, field: `register.${field}` });
  };
  if (facts === undefined || typeof facts !== 'object' || facts === null) return fail('', 'is missing: a register needs its facts', facts);
  if (facts.country !== null && !(typeof facts.country === 'string' && /^[A-Z]{2}$/.test(facts.country))) fail('country', 'is not an ISO 3166 alpha-2 code or null', facts.country);
  for (const field of ['provides', 'gleifAuthorities', 'whoisNumbers', 'whoisLabels'] as const) {
    const value = facts[field];
    if (value !== undefined && !(Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== ''))) fail(field, 'is not a list of texts', value);
  }
  for (const ra of facts.gleifAuthorities ?? []) if (!/^RA\d{6}$/.test(ra)) fail('gleifAuthorities', 'holds an id that is not RA and six digits', ra);
  if (facts.canonicalId !== undefined && !(typeof facts.canonicalId === 'string' && /\{(value|digits)\}/.test(facts.canonicalId))) fail('canonicalId', 'is not SQL reading {value} or {digits}', facts.canonicalId);
  if ((facts.whoisNumbers ?? []).length > 0 && facts.canonicalId === undefined) fail('canonicalId', 'is missing: the WHOIS numbers need it to be written as register ids', facts.canonicalId);
}

/** Every source folder's metadata, in run order. */
function discover(): SourceMeta[] {
  const folders = readdirSync(SOURCES_DIR, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(join(SOURCES_DIR, e.name, 'source.json')));
  return folders.map((e) => readSource(e.name)).sort(runOrder);
}

/** Every source, in the order pipelines take them. */
export const SOURCES: readonly SourceMeta[] = discover();

/** The registers, in the order the registers pipeline builds them. */
export const REGISTERS: readonly (SourceMeta & { register: RegisterFacts })[] = SOURCES.filter((s): s is SourceMeta & { register: RegisterFacts } => s.kind === 'register' && s.register !== undefined);

const tables = new Map<string, unknown>();

/** A JSON value table kept in a source's folder (legal forms, code lists …), read once; undefined when it has none. */
export function sourceTable<T>(id: string, file: string): T | undefined {
  const path = join(SOURCES_DIR, sourceById(id).id, file);
  if (!tables.has(path)) {
    let table: unknown;
    if (existsSync(path)) {
      try {
        table = JSON.parse(readFileSync(path, 'utf8'));
      } catch (err) {
        throw new IpregError('CONFIG_INVALID', `${path}: ${(err as Error).message}`, { file: path });
      }
    }
    tables.set(path, table);
  }
  return tables.get(path) as T | undefined;
}

/** A register's adapter (its folder's register.ts), loaded on first use. */
export async function registerAdapter(id: string): Promise<RegisterAdapter> {
  const source = sourceById(id);
  if (source.kind !== 'register') throw new IpregError('USAGE', `${id} is not a register`);
  const module = await sourceModule(id, 'register');
  if (module === undefined) throw new IpregError('CONFIG_INVALID', `${join(SOURCES_DIR, id)}: a register without its register.ts`);
  const adapter = module['adapter'] as RegisterAdapter | undefined;
  if (adapter?.id !== id) throw new IpregError('CONFIG_INVALID', `${join(SOURCES_DIR, id)}/register: exports no adapter for ${id}`);
  return adapter;
}

/**
 * A module of a source's folder (`register`: its adapter; `world`: its writer for the synthetic
 * world), or undefined when the folder has none. Built, the folder holds <name>.js; run from source
 * (tsx, vitest), <name>.ts.
 */
export async function sourceModule(id: string, name: 'register' | 'world'): Promise<Record<string, unknown> | undefined> {
  sourceById(id);
  const file = [`${name}.js`, `${name}.ts`].map((f) => join(SOURCES_DIR, id, f)).find((f) => existsSync(f));
  return file === undefined ? undefined : ((await import(pathToFileURL(file).href)) as Record<string, unknown>);
}

/** Fills a SQL template of a register's facts: `{value}` with `value`, `{digits}` with its digits alone. */
export function fillSqlTemplate(template: string, value: string): string {
  return template.replaceAll('{digits}', `regexp_replace(${value}, '[^0-9]', '', 'g')`).replaceAll('{value}', value);
}

/** A file's URL, world paths and archive member for a snapshot (YYYY-MM-DD). */
export function fileForSnapshot(file: SourceFile, snapshot: string): SourceFile {
  const fill = (text: string) => text.replaceAll('{snapshot}', snapshot).replaceAll('{month}', snapshot.slice(0, 7)).replaceAll('{compact}', snapshot.replaceAll('-', ''));
  return { ...file, url: fill(file.url), world: file.world.map(fill), ...(file.archive === undefined ? {} : { archive: { ...file.archive, member: fill(file.archive.member) } }) };
}

/** The source with this id; throws USAGE naming the known ones. */
export function sourceById(id: string): SourceMeta {
  const found = SOURCES.find((s) => s.id === id);
  if (found === undefined) {
    throw new IpregError('USAGE', `unknown source "${id}" (known: ${SOURCES.map((s) => s.id).join(', ')})`, { source: id });
  }
  return found;
}
