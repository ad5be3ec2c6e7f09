/**
 * Writing a lake table: rows are streamed to temporary CSV files (cheap to write from JavaScript),
 * DuckDB turns each into zstd Parquet with the table's exact column types (its CSV reader is several
 * times faster than appending value by value), and the store receives the files, each in one atomic
 * put. A table of more than PART_ROWS rows becomes several part files, and each full part is converted
 * while the next is being filled: DuckDB's work runs on another core, beside the parse feeding it.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileDigest } from '../file-digest.js';
import { OutputFile } from '../output-file.js';
import { listAll, type ObjectStore } from '../store/store.js';
import type { Column, TableSchema } from './table-schema.js';

/** One row: values in column order; null for SQL NULL, Buffer (or its hex text) for BLOB, string[] for VARCHAR[]. */
export type Row = readonly (string | number | bigint | Buffer | readonly string[] | null)[];

/** One part file written to the store. */
export interface WrittenPart {
  key: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** What was written: the part files of one table (one partition), in order. */
export interface WrittenTable {
  folder: string;
  parts: WrittenPart[];
  rows: number;
  bytes: number;
}

/** Rows per Parquet row group: DuckDB's own row-group size, which keeps the conversion's memory flat. */
export const ROW_GROUP_SIZE = 122_880;

/** Rows per part file: eight row groups (files of tens of MB, as Athena likes them). */
export const PART_ROWS = ROW_GROUP_SIZE * 8;

/** The store key of part `n` of a table folder. */
export function partKey(folder: string, n: number): string {
  return `${folder}/part-${String(n).padStart(5, '0')}.parquet`;
}

const PART_FILE = /\/part-\d{5}\.parquet$/;

const NULL = '\\N';

/** DuckDB's CSV read buffer: 4 MiB (not its 32 MiB default) keeps a conversion beside a parse under 512 MB. */
const CSV_BUFFER_BYTES = 4 << 20;

/** Options of a table writer. */
export interface TableWriterOptions {
  /** Rows per part file (PART_ROWS unless a test wants small parts). */
  partRows?: number;
}

/**
 * The Parquet files of one table, filled row by row (several can be filled in one pass over a
 * source) and written to the store by finish(). Until then nothing is in the store.
 */
export class ParquetTableWriter {
  private rows = 0;
  private partRows = 0;
  private readonly encoder: CsvRowEncoder;
  /** The CSV of the part being filled (undefined once sealed). */
  private csv: OutputFile | undefined;
  /** Conversions of full parts, in part order: each resolves to the part's Parquet path and rows. */
  private readonly conversions: Promise<{ path: string; rows: number }>[] = [];
  private failure: unknown;

  private constructor(
    readonly table: TableSchema,
    private readonly dir: string,
    private readonly maxPartRows: number,
  ) {
    this.encoder = new CsvRowEncoder(table);
    this.csv = this.newCsv();
  }

  /** Starts the files of `table` in a new temporary folder. */
  static async open(table: TableSchema, options: TableWriterOptions = {}): Promise<ParquetTableWriter> {
    const dir = await mkdtemp(join(tmpdir(), 'ipreg-parquet-'));
    return new ParquetTableWriter(table, dir, Math.max(1, options.partRows ?? PART_ROWS));
  }

  /** Rows added so far. */
  get count(): number {
    return this.rows;
  }

  /**
   * Adds one row (values in column order). Returns a promise only when the temporary files need to
   * catch up: callers await it then (`const wait = writer.add(row); if (wait) await wait;`), so the
   * millions of rows of a dump cost no await each.
   */
  add(row: Row): Promise<void> | undefined {
    const line = this.encoder.encode(row);
    return this.addEncoded(line, 1);
  }

  /**
   * Adds rows already encoded by a CsvRowEncoder of this table (whole lines, as text or UTF-8 bytes:
   * what a worker thread sends). A part may end up to one call's rows over its size.
   */
  addEncoded(lines: string | Uint8Array, count: number): Promise<void> | undefined {
    if (this.csv === undefined) throw new Error(`${this.table.name}: rows added after the table was sealed`);
    if (this.failure !== undefined) throw this.failure;
    this.rows += count;
    this.partRows += count;
    const wait = typeof lines !== 'string' ? this.csv.writeEncoded(lines, count) : count === 1 ? this.csv.writeLine(lines) : this.csv.write(lines);
    if (this.partRows < this.maxPartRows) return wait;
    // A full part: convert it in the background and fill the next; wait only for the part before it.
    const previous = this.conversions.at(-1);
    this.startConversion();
    this.csv = this.newCsv();
    return Promise.all([wait, previous]).then(() => undefined);
  }

  /**
   * Ends the rows: the last part starts converting in the background (so it overlaps whatever the
   * caller does next). finish() seals a table that is not sealed yet.
   */
  seal(): void {
    if (this.csv === undefined) return;
    if (this.partRows > 0 || this.conversions.length === 0) this.startConversion();
    else void this.csv.close().catch(() => undefined);
    this.csv = undefined;
  }

  /**
   * Waits for every part's conversion and puts the parts at `<folder>/part-NNNNN.parquet`, then
   * deletes part files of an earlier write of the same folder that this one did not replace. The
   * temporary files are removed whatever happens.
   */
  async finish(store: ObjectStore, folder: string): Promise<WrittenTable> {
    try {
      this.seal();
      const parts = await putParts(store, folder, await Promise.all(this.conversions));
      return { folder, parts, rows: this.rows, bytes: parts.reduce((n, p) => n + p.bytes, 0) };
    } finally {
      await this.discard();
    }
  }

  /** Drops the files without writing anything to the store (after any conversion under way ends). */
  async discard(): Promise<void> {
    const csv = this.csv;
    this.csv = undefined;
    await csv?.close().catch(() => undefined);
    await Promise.allSettled(this.conversions);
    await rm(this.dir, { recursive: true, force: true });
  }

  private newCsv(): OutputFile {
    return OutputFile.create(join(this.dir, `part-${this.conversions.length}.csv`), { encoding: 'utf8', noDigests: true });
  }

  /** Closes the part being filled and converts it once the part before it is done (one DuckDB at a time). */
  private startConversion(): void {
    const csv = this.csv as OutputFile;
    const rows = this.partRows;
    const n = this.conversions.length;
    const previous = this.conversions.at(-1);
    const parquet = join(this.dir, `part-${n}.parquet`);
    const conversion = (async () => {
      await csv.close();
      await previous;
      await convert(rows === 0 ? undefined : csv.path, parquet, this.table);
      await rm(csv.path, { force: true });
      return { path: parquet, rows };
    })();
    // Remembered for the next add() to throw; finish() and discard() await it themselves.
    conversion.catch((err: unknown) => {
      this.failure ??= err;
    });
    this.conversions.push(conversion);
    this.partRows = 0;
  }
}

/**
 * Puts local Parquet files, in order, at `<folder>/part-NNNNN.parquet`, then deletes part files of an
 * earlier write of the folder that these did not replace.
 */
export async function putParts(store: ObjectStore, folder: string, files: readonly { path: string; rows: number }[]): Promise<WrittenPart[]> {
  const parts: WrittenPart[] = [];
  for (const [n, { path, rows }] of files.entries()) {
    const { sha256, bytes } = await fileDigest(path);
    const key = partKey(folder, n);
    await store.put(key, createReadStream(path));
    parts.push({ key, rows, bytes, sha256 });
  }
  const written = new Set(parts.map((p) => p.key));
  for await (const old of listAll(store, `${folder}/`)) {
    if (PART_FILE.test(old.key) && !written.has(old.key)) await store.delete(old.key);
  }
  return parts;
}

/** Writes `rows` as the Parquet part files of `table` in `folder` of the store. */
export async function writeParquet(store: ObjectStore, folder: string, table: TableSchema, rows: AsyncIterable<Row> | Iterable<Row>, options: TableWriterOptions = {}): Promise<WrittenTable> {
  const writer = await ParquetTableWriter.open(table, options);
  try {
    for await (const row of rows) {
      const wait = writer.add(row);
      if (wait !== undefined) await wait;
    }
  } catch (err) {
    await writer.discard();
    throw err;
  }
  return writer.finish(store, folder);
}

/** Encodes rows of one table as lines of the temporary CSV that DuckDB reads. */
export class CsvRowEncoder {
  private readonly encoders: readonly Encoder[];
  private readonly fields: string[];

  constructor(readonly table: TableSchema) {
    this.encoders = table.columns.map(encoderOf);
    this.fields = new Array<string>(table.columns.length).fill('');
  }

  /** The CSV line of a row, with its line break; throws when the row does not fit the table. */
  encode(row: Row): string {
    const encoders = this.encoders;
    if (row.length !== encoders.length) {
      throw new Error(`${this.table.name}: a row has ${row.length} values for ${encoders.length} columns`);
    }
    const fields = this.fields;
    for (let i = 0; i < encoders.length; i++) {
      const value = row[i] as Row[number];
      fields[i] = value === null ? NULL : (encoders[i] as Encoder)(value);
    }
    // join() makes one flat string: rows waiting in a buffer are single objects, cheap for the GC.
    return `${fields.join(',')}\n`;
  }
}

/** Writes one non-null value of a column as a CSV field. */
type Encoder = (value: NonNullable<Row[number]>) => string;

/** The CSV encoder of a column: chosen once per column, not once per value. */
function encoderOf(column: Column): Encoder {
  switch (column.type) {
    case 'VARCHAR':
      return (value) => {
        if (typeof value !== 'string') return quote(String(value));
        if (value === NULL) throw new Error(`${column.name}: the value ${NULL} is reserved`);
        return quote(value);
      };
    case 'BLOB':
      // A Buffer, or its bytes already as hex text (the range columns' fast path).
      return (value) => (typeof value === 'string' ? value : (value as Buffer).toString('hex'));
    case 'VARCHAR[]':
      return (value) => quote(JSON.stringify(value));
    default:
      return (value) => (typeof value === 'string' ? quote(value) : String(value));
  }
}

/** A CSV field, quoted only when it must be (a separator, quote, line break, backslash, or empty). */
function quote(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13 || c === 92) return `"${text.replace(/"/g, '""')}"`;
  }
  return text === '' ? '""' : text;
}

function selectExpression(c: Column): string {
  const name = `"${c.name}"`;
  switch (c.type) {
    case 'VARCHAR':
      return name;
    case 'BLOB':
      return `unhex(${name}) AS ${name}`;
    case 'VARCHAR[]':
      return `CAST(from_json(${name}, '["VARCHAR"]') AS VARCHAR[]) AS ${name}`;
    default:
      return `CAST(${name} AS ${c.type}) AS ${name}`;
  }
}

/** Converts the CSV to Parquet; with no CSV (no rows) writes an empty file that still has the table's columns. */
async function convert(csv: string | undefined, parquet: string, table: TableSchema): Promise<void> {
  // Loaded here, not with the module: the RPSL worker threads import this module for CsvRowEncoder,
  // and a native addon loaded in a worker that is then terminated can abort the whole process.
  const { openDuckDb } = await import('./duckdb.js');
  const connection = await openDuckDb({ memoryLimit: '256MB', threads: 1 });
  try {
    const columns = `{${table.columns.map((c) => `'${c.name}': 'VARCHAR'`).join(', ')}}`;
    const source =
      csv === undefined
        ? `(SELECT ${table.columns.map((c) => `CAST(NULL AS VARCHAR) AS "${c.name}"`).join(', ')} WHERE false)`
        : `read_csv('${csv}', columns=${columns}, header=false, delim=',', quote='"', escape='"', nullstr='${NULL}', strict_mode=true, buffer_size=${CSV_BUFFER_BYTES})`;
    await connection.run(
      `COPY (SELECT ${table.columns.map(selectExpression).join(', ')} FROM ${source}) TO '${parquet}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`,
    );
  } finally {
    connection.closeSync();
  }
}
