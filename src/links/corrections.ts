/**
 * Class corrections: what a user knows better than the rules ("report as ISP"). `corrections/classes.csv`
 * in the lake, one correction a line — by a range (a CIDR prefix or "first - last": every WHOIS range
 * inside it), by a WHOIS organisation handle (every range of that organisation), or by a register
 * company (every range linked to it) — to a class, with the reason. Linking applies them after its own
 * classes (a range correction before an organisation's, before a company's); a range corrected to isp
 * or mobile is never linked. The index build applies range and company corrections again, so one filed
 * since the links were made holds at the next build, as objections do.
 */
import { readFile } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { IpregError } from '../errors.js';
import { addressKeyHex } from '../ip/address.js';
import { csvRows } from '../formats/csv-line.js';
import { parseInet6numKey, parseInetnumKey } from '../formats/inetnum-key.js';
import { minimallyQuoted } from '../output-file.js';
import { CORRECTIONS_KEY } from '../lake/paths.js';
import { sqlString } from '../lake/sql.js';
import { NotFoundError, PreconditionFailedError } from '../errors.js';
import type { ObjectStore } from '../store/store.js';
import { CLASSES } from '../index-file/layout.js';

/** What a correction names. */
export const CORRECTION_KINDS = ['range', 'org', 'register'] as const;
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];

export interface Correction {
  by: CorrectionKind;
  /** range: a prefix or "first - last"; org: the organisation handle; register: "register:register_id". */
  value: string;
  class: string;
  reason: string;
}

const HEADER = 'by,value,class,reason';

/** The address range of a range correction, or the reason it is none. */
function rangeOf(value: string): { first: string; last: string } | { reason: string } {
  const range = value.includes(':') ? parseInet6numKey(value) : parseInetnumKey(value);
  if ('reason' in range) return range;
  return { first: addressKeyHex(range.family, range.first), last: addressKeyHex(range.family, range.last) };
}

/** Why a correction is not one, or undefined when it is sound. */
export function correctionProblem(c: Correction): string | undefined {
  if (!(CORRECTION_KINDS as readonly string[]).includes(c.by)) return `by "${c.by}" is not one of ${CORRECTION_KINDS.join(', ')}`;
  if (!(CLASSES as readonly string[]).includes(c.class)) return `class "${c.class}" is not one of ${CLASSES.join(', ')}`;
  if (c.value.trim() === '') return 'value is empty';
  if (c.reason.trim() === '') return 'reason is empty: say why, for whoever reads the list next';
  if (c.by === 'range') {
    const range = rangeOf(c.value);
    if ('reason' in range) return `value "${c.value}" is not an address range (${range.reason})`;
  }
  if (c.by === 'register') {
    const colon = c.value.indexOf(':');
    if (colon < 1 || c.value.slice(colon + 1).trim() === '') return `value "${c.value}" is not register:register_id (e.g. gb-companies-house:01234567)`;
  }
  return undefined;
}

/** The corrections of a CSV text; a line that is not a sound correction fails naming the file, line, field and value. */
export function parseCorrections(text: string, file = CORRECTIONS_KEY): Correction[] {
  const out: Correction[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of csvRows(text, file, HEADER.split(','))) {
    const [by, value, klass, reason] = fields as [string, string, string, string];
    const c = { by: by as CorrectionKind, value, class: klass, reason };
    const problem = correctionProblem(c);
    if (problem !== undefined) throw new IpregError('CONFIG_INVALID', `${file} line ${line}: ${problem}`, { file, line });
    // Two corrections of one thing would leave the class to chance: one line each.
    const key = `${c.by}\u0000${c.value.toLowerCase()}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new IpregError('CONFIG_INVALID', `${file} line ${line}: ${c.by} "${c.value}" is corrected on line ${earlier} already`, { file, line });
    seen.set(key, line);
    out.push(c);
  }
  return out;
}

export function formatCorrections(list: readonly Correction[]): string {
  return `${HEADER}\n${list.map((c) => [c.by, c.value, c.class, c.reason].map((v) => minimallyQuoted(v)).join(',')).join('\n')}${list.length > 0 ? '\n' : ''}`;
}

/** The lake's corrections with the ETag they were read at (undefined: no list yet). */
export async function readCorrections(store: ObjectStore): Promise<{ list: Correction[]; etag: string | undefined }> {
  const head = await store.head(CORRECTIONS_KEY);
  if (head === undefined) return { list: [], etag: undefined };
  try {
    return { list: parseCorrections((await store.getBytes(CORRECTIONS_KEY)).toString('utf8')), etag: head.etag };
  } catch (err) {
    if (err instanceof NotFoundError) return { list: [], etag: undefined };
    throw err;
  }
}

/**
 * Changes the lake's list: `change` gets the list and returns the new one; written only if nobody
 * wrote it meanwhile (put-if-match, put-if-absent), else read again and retried.
 */
export async function updateCorrections(store: ObjectStore, change: (list: Correction[]) => Correction[]): Promise<Correction[]> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { list, etag } = await readCorrections(store);
    const next = change(list);
    const body = formatCorrections(next);
    // Nothing changed: nothing written (no empty list made where there was none).
    if (etag === undefined ? next.length === 0 : body === formatCorrections(list)) return next;
    try {
      if (etag === undefined) await store.putIfAbsent(CORRECTIONS_KEY, body);
      else await store.putIfMatch(CORRECTIONS_KEY, body, etag);
      return next;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
    }
  }
  throw new IpregError('LOCKED', `${CORRECTIONS_KEY} kept changing while it was being written; try again`);
}

/**
 * Creates the temp table `corrections(by, value, class, reason, first_key, last_key, register,
 * register_id)` from the CSV at `path` (empty when undefined); checks every line first.
 */
export async function loadCorrections(duck: DuckDBConnection, path: string | undefined): Promise<number> {
  const list = path === undefined ? [] : parseCorrections(await readFile(path, 'utf8'), CORRECTIONS_KEY);
  const rows = list.map((c) => {
    const range = c.by === 'range' ? (rangeOf(c.value) as { first: string; last: string }) : undefined;
    const colon = c.value.indexOf(':');
    const company = c.by === 'register' ? [c.value.slice(0, colon), c.value.slice(colon + 1)] : undefined;
    return `(${[c.by, c.value, c.class, c.reason].map(sqlString).join(', ')}, ${range === undefined ? 'NULL, NULL' : `from_hex(${sqlString(range.first)}), from_hex(${sqlString(range.last)})`}, ${company === undefined ? 'NULL, NULL' : company.map(sqlString).join(', ')})`;
  });
  await duck.run(`CREATE OR REPLACE TEMP TABLE corrections (kind VARCHAR, value VARCHAR, class VARCHAR, reason VARCHAR, first_key BLOB, last_key BLOB, register VARCHAR, register_id VARCHAR)`);
  if (rows.length > 0) await duck.run(`INSERT INTO corrections VALUES ${rows.join(', ')}`);
  return list.length;
}
