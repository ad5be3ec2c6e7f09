/**
 * Whether a register's CSV file arrived whole. A file cut short by a broken download or a full disk
 * still parses: its last row is cut in a field (kept with a shortened value) or into fewer fields
 * (one malformed line, inside any budget), and a file with only its header builds an empty
 * partition. None of that is a bad record: it is a bad file, and the register fails before anything is
 * published, naming the file, the line and what is wrong.
 *
 * A `.json` file (Finland's one array) is whole when the array is closed (checkJsonArrayWhole); a
 * record inside it that does not parse fails the file (unreadableJson): DuckDB's JSON reader cannot
 * skip a record of an array, as its CSV reader skips a line.
 * Checked for every staged `.csv`, `.txt` (Sweden's) and gzipped such file: it ends with a line end (the records file has a
 * data row after its header too), and, when the CSV reader rejected lines of it, its last record is
 * not one of them (a record cut at the end, an unterminated quote). A gzip file is read to its end
 * once, through zlib, which also checks its length and CRC.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { IpregError } from '../errors.js';
import type { LocalFile } from './register.js';

/** A line the CSV reader rejected: its file's path and line (1 is the header). */
export interface RejectedLine {
  path: string;
  line: number;
  error: string;
}

/** Bytes read from the start of a file to find its first data row. */
const HEAD_BYTES = 1 << 20;

/** What the check needs of a file: its size, whether a data row follows the header, its last byte, and (lazily) its lines. */
export interface Shape {
  size: number;
  dataRow: boolean;
  last: number | undefined;
  lines(): Promise<number>;
}

/** What checkFilesWhole learnt of each file, by path, for checkLastRecords (a gzip file is not read twice). */
export type FileShapes = ReadonlyMap<string, Shape>;

/**
 * Throws IpregError FILE_TRUNCATED for the first staged CSV file (plain or gzip) that is not whole;
 * run before the build reads their rows. `records`: the file of the register's records, which must
 * have a data row (others, such as an update set's deletions, may be empty).
 */
export async function checkFilesWhole(source: string, files: ReadonlyMap<string, LocalFile>, records: string | undefined): Promise<FileShapes> {
  for (const file of [...files.values()].filter((f) => /\.json$/i.test(f.name))) await checkJsonArrayWhole(source, file);
  const shapes = new Map<string, Shape>();
  for (const file of csvFiles(files)) {
    const context = { source, file: file.name };
    const shape = await shapeOf(source, file);
    shapes.set(file.path, shape);
    if (!shape.dataRow && file.name === records) {
      throw new IpregError('FILE_TRUNCATED', `${source}: ${file.name} has no data rows, only ${shape.size === 0 ? 'nothing' : 'its header'} (${shape.size} bytes): the file is empty or was cut short; nothing was published`, context);
    }
    if (shape.last !== 0x0a) {
      const line = (await shape.lines()) + 1;
      throw new IpregError('FILE_TRUNCATED', `${source}: ${file.name} line ${line}: the last line has no line end — the file was cut short at byte ${shape.size}; nothing was published`, { ...context, line });
    }
  }
  return shapes;
}

/**
 * Throws IpregError FILE_TRUNCATED when the CSV reader rejected a file's last record (a record cut at
 * the end into fewer fields, an unterminated quote); run after the build read the files.
 */
export async function checkLastRecords(source: string, files: ReadonlyMap<string, LocalFile>, shapes: FileShapes, rejected: readonly RejectedLine[]): Promise<void> {
  for (const file of csvFiles(files)) {
    const own = rejected.filter((r) => r.path === file.path);
    const shape = shapes.get(file.path);
    if (own.length === 0 || shape === undefined) continue;
    const lines = await shape.lines();
    const cut = own.find((r) => r.line >= lines);
    if (cut !== undefined) {
      throw new IpregError('FILE_TRUNCATED', `${source}: ${file.name} line ${cut.line}: the last record does not parse (${cut.error}) — the file was cut short, or ends inside a quote; nothing was published`, { source, file: file.name, line: cut.line });
    }
  }
}

/**
 * A JSON file holding one array (Finland's all_companies) is whole when its first character (past
 * blanks and a byte-order mark) opens the array and its last closes it: a file cut short ends inside
 * a record, or after one with a comma or without the array's end. Only the first and last bytes are read.
 */
async function checkJsonArrayWhole(source: string, file: LocalFile): Promise<void> {
  const handle = await open(file.path, 'r');
  try {
    const size = (await handle.stat()).size;
    const span = Math.min(size, 4096);
    const head = Buffer.alloc(span);
    const tail = Buffer.alloc(span);
    await handle.read(head, 0, span, 0);
    await handle.read(tail, 0, span, size - span);
    const first = head.toString('utf8').replace(/^\uFEFF/, '').trimStart()[0];
    const last = tail.toString('utf8').trimEnd().at(-1);
    if (first !== '[') {
      throw new IpregError('FORMAT_CHANGED', `${source}: ${file.name} does not start with a JSON array (first character ${JSON.stringify(first ?? '')}): the publisher changed its format; nothing was published`, { source, file: file.name });
    }
    if (last !== ']') {
      throw new IpregError('FILE_TRUNCATED', `${source}: ${file.name}: the JSON array is not closed (the file ends with ${JSON.stringify(last ?? '')} at byte ${size}) — the file was cut short; nothing was published`, { source, file: file.name });
    }
  } finally {
    await handle.close();
  }
}

function csvFiles(files: ReadonlyMap<string, LocalFile>): LocalFile[] {
  return [...files.values()].filter((f) => /\.(csv|txt)(\.gz)?$/i.test(f.name));
}

async function shapeOf(source: string, file: LocalFile): Promise<Shape> {
  return (await isGzip(file.path)) ? gzipShape(source, file) : plainShape(file.path);
}

/** Whether a file starts with gzip's magic bytes (a staged file keeps its source name, whatever it holds). */
async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** A plain file: its head and last byte read in place; its lines counted only when asked. */
async function plainShape(path: string): Promise<Shape> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(1);
    if (size > 0) await handle.read(tail, 0, 1, size - 1);
    return { size, dataRow: hasDataRow(head, size), last: size > 0 ? tail[0] : undefined, lines: () => countLines(createReadStream(path, { highWaterMark: 1 << 20 })) };
  } finally {
    await handle.close();
  }
}

/** A gzip file, read to its end once (a member cut short fails here, by zlib's check of its length and CRC). */
async function gzipShape(source: string, file: LocalFile): Promise<Shape> {
  let size = 0;
  let lines = 0;
  let last: number | undefined;
  let head = Buffer.alloc(0);
  try {
    for await (const chunk of createReadStream(file.path).pipe(createGunzip()) as AsyncIterable<Buffer>) {
      if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) lines++;
      size += chunk.length;
      if (chunk.length > 0) last = chunk[chunk.length - 1];
    }
  } catch (err) {
    throw new IpregError('FILE_TRUNCATED', `${source}: ${file.name}: the gzip stream breaks off after ${size} bytes (${(err as Error).message}) — the file was cut short; nothing was published`, { source, file: file.name });
  }
  return { size, dataRow: hasDataRow(head, size), last, lines: () => Promise.resolve(lines) };
}

/** Whether the bytes hold a non-blank line after the first (the header); `size`: the whole file's. */
function hasDataRow(head: Buffer, size: number): boolean {
  const end = head.indexOf(0x0a);
  if (end < 0) return false;
  for (let i = end + 1; i < head.length; i++) {
    const b = head[i] as number;
    if (b !== 0x0a && b !== 0x0d && b !== 0x20 && b !== 0x09) return true;
  }
  // Only blanks in the first MiB: a longer file is given the benefit of the doubt (its rows are counted anyway).
  return size > head.length;
}

/** The line ends in a stream. */
async function countLines(stream: AsyncIterable<Buffer>): Promise<number> {
  let n = 0;
  for await (const chunk of stream) {
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) n++;
  }
  return n;
}

/**
 * DuckDB's error for a record of a JSON array that does not parse ("Malformed JSON in file <path>, at
 * byte B in record/value N", counting the array's opening as value 1), as ours: the source, the file's
 * name, which record, what is wrong — never the record's contents. Undefined for any other error.
 */
export function unreadableJson(source: string, files: ReadonlyMap<string, LocalFile>, err: unknown): IpregError | undefined {
  const m = /Malformed JSON in file "([^"]+)", at byte (\d+) in record\/value (\d+): ([^.\n]+)/.exec(err instanceof Error ? err.message : '');
  if (m === null) return undefined;
  const [, path, byte, value, what] = m as unknown as [string, string, string, string, string];
  const name = [...files.values()].find((f) => f.path === path)?.name ?? basename(path);
  const record = Number(value) - 1;
  return new IpregError(
    'FILE_MALFORMED',
    `${source}: ${name}: record ${record} of its JSON array does not parse (${what.trim()} at byte ${byte} of the record) — a JSON array cannot be read past a broken record, so the file is refused; nothing was published`,
    { source, file: name, record },
    { cause: err },
  );
}
