/**
 * Register CSV files as DuckDB reads them: by header name, never by position. The header is read
 * here (byte-order mark, quotes and the blanks some publishers put around names removed), checked
 * against the columns an adapter needs — a missing one fails naming it, added ones are reported once —
 * and handed to read_csv as the column list, so DuckDB guesses nothing.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { IpregError } from '../errors.js';
import { sqlString } from '../lake/sql.js';
import { splitCsvLine } from '../formats/csv-line.js';
import type { LocalFile, RegisterAdapter } from './register.js';

/** How a register writes its CSV. */
export interface CsvDialect {
  delimiter: ',' | ';' | '|' | '\t';
  /** The file's encoding when it is not UTF-8 (SCB's file is Latin-1). */
  encoding?: 'latin-1';
}

/** Bytes read at most to find a header line. */
const HEADER_BYTES = 256 << 10;

/** The header of a CSV file (plain or gzip), as trimmed column names. */
export async function readCsvHeader(path: string, dialect: CsvDialect): Promise<string[]> {
  const head = await readHead(path);
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const end = text.search(/\r?\n/);
  if (end === -1 && head.length >= HEADER_BYTES) throw new IpregError('FORMAT_CHANGED', `${path}: no header line in its first 256 KiB`);
  try {
    return splitHeader(end === -1 ? text : text.slice(0, end), dialect.delimiter);
  } catch (err) {
    throw new IpregError('FORMAT_CHANGED', `${path} line 1 (the header): ${(err as Error).message}`);
  }
}

/** The first HEADER_BYTES bytes of a file, gunzipped when it is gzip. */
async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  let magic: Buffer;
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    magic = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (!(magic[0] === 0x1f && magic[1] === 0x8b)) return magic;
  const chunks: Buffer[] = [];
  let length = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= HEADER_BYTES || chunk.includes(0x0a)) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, HEADER_BYTES);
}

/** Splits a header line (quoted names may hold the delimiter) into trimmed names. */
function splitHeader(line: string, delimiter: string): string[] {
  // A trailing delimiter leaves a nameless column: give it a name no register uses.
  return splitCsvLine(line, delimiter).map((n, i) => (n.trim() === '' ? `_unnamed_${i + 1}` : n.trim()));
}

/** A checked header: the columns a register added, and the SQL name of each column an adapter reads. */
export interface Header {
  /** Columns the file has that this version does not know (to report once). */
  added: string[];
  /** Whether the file has the column. */
  has(name: string): boolean;
  /** The quoted SQL identifier of a column the file has (as the file spells it); throws if absent. */
  col(name: string): string;
  /** The column as trimmed text, null when empty or a publisher's placeholder for withheld data. */
  text(name: string): string;
}

/** Options of a header check. */
export interface HeaderOptions {
  /** Match names without regard to case (a register whose header has been seen lower-cased). */
  ignoreCase?: boolean;
  /** Values that stand for "withheld" and read as null (SIRENE's "[ND]"). */
  placeholders?: readonly string[];
}

/**
 * Checks that `header` has every `required` column; throws FORMAT_CHANGED naming the file and the
 * missing columns. `known` are the columns this version knows of (used or not): the rest are new.
 */
export function checkHeader(file: string, header: readonly string[], required: readonly string[], known: readonly string[], options: HeaderOptions = {}): Header {
  const fold = (name: string) => (options.ignoreCase === true ? name.toLowerCase() : name);
  const present = new Map(header.map((h) => [fold(h), h]));
  const missing = required.filter((c) => !present.has(fold(c)));
  if (missing.length > 0) {
    throw new IpregError('FORMAT_CHANGED', `${file}: column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} missing from its header — the register changed its format`, {
      file,
      field: missing.join(','),
    });
  }
  const knownSet = new Set([...known, ...required].map(fold));
  const placeholders = (options.placeholders ?? []).map(sqlString);
  const col = (name: string): string => {
    const actual = present.get(fold(name));
    if (actual === undefined) throw new Error(`${file}: column "${name}" is not in the header (check has() first)`);
    return ident(actual);
  };
  return {
    added: header.filter((c) => !knownSet.has(fold(c)) && !c.startsWith('_unnamed_')),
    has: (name) => present.has(fold(name)),
    col,
    text: (name) => {
      const trimmed = `nullif(trim(${col(name)}), '')`;
      return placeholders.length === 0 ? trimmed : `CASE WHEN trim(${col(name)}) IN (${placeholders.join(', ')}) THEN NULL ELSE ${trimmed} END`;
    },
  };
}

/** A SQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The read_csv call for a file with this header: every column VARCHAR under its trimmed name; a line
 * that does not parse is rejected into DuckDB's reject tables (counted and reported by the caller),
 * not fatal.
 */
export function csvSource(path: string, header: readonly string[], dialect: CsvDialect): string {
  const columns = `{${header.map((h) => `${sqlString(h)}: 'VARCHAR'`).join(', ')}}`;
  const encoding = dialect.encoding === undefined ? '' : `, encoding=${sqlString(dialect.encoding)}`;
  return `read_csv(${sqlString(path)}, columns=${columns}, header=true, delim=${sqlString(dialect.delimiter)}, quote='"', escape='"'${encoding}, strict_mode=true, ignore_errors=true, store_rejects=true, auto_detect=false)`;
}

/** A staged file of a register with its checked header. */
export interface StagedCsv {
  file: LocalFile;
  header: string[];
  h: Header;
}

/** The staged file `name` of `adapter`, its header read and checked (a missing file or column fails). */
export async function stagedCsv(
  adapter: Pick<RegisterAdapter, 'id' | 'dialect'>,
  files: ReadonlyMap<string, LocalFile>,
  name: string,
  required: readonly string[],
  known: readonly string[],
  options: HeaderOptions = {},
): Promise<StagedCsv> {
  const file = files.get(name);
  if (file === undefined) throw new Error(`${adapter.id}: ${name} was not staged`);
  const header = await readCsvHeader(file.path, adapter.dialect);
  return { file, header, h: checkHeader(name, header, required, known, options) };
}
