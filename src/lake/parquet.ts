/**
 * Writing a lake table file: rows are streamed to a temporary CSV (cheap to write from JavaScript),
 * DuckDB turns it into zstd Parquet with the table's exact column types (its CSV reader is several
 * times faster than appending value by value), and the store receives the file in one atomic put.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { OutputFile } from '../output-file.js';
import type { ObjectStore } from '../store/store.js';
import type { Column, TableSchema } from './table-schema.js';

/** One row: values in column order; null for SQL NULL, Buffer for BLOB, string[] for VARCHAR[]. */
export type Row = readonly (string | number | bigint | Buffer | readonly string[] | null)[];

/** What was written. */
export interface WrittenTable {
  key: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** Rows per Parquet row group: DuckDB's own row-group size, which keeps the conversion's memory flat. */
export const ROW_GROUP_SIZE = 122_880;

const NULL = '\\N';

/**
 * A Parquet file of one table, filled row by row (several can be filled in one pass over a source)
 * and written to the store by finish(). Until then nothing is in the store.
 */
export class ParquetTableWriter {
  private rows = 0;
  private csvClosed = false;

  private constructor(
    readonly table: TableSchema,
    private readonly dir: string,
    private readonly csv: OutputFile,
  ) {}

  /** Starts a file of `table` in a new temporary folder. */
  static async open(table: TableSchema): Promise<ParquetTableWriter> {
    const dir = await mkdtemp(join(tmpdir(), 'ipreg-parquet-'));
    return new ParquetTableWriter(table, dir, await OutputFile.open(join(dir, 'rows.csv'), { encoding: 'utf8', noDigests: true }));
  }

  /** Rows added so far. */
  get count(): number {
    return this.rows;
  }

  /** Adds one row (values in column order). */
  async add(row: Row): Promise<void> {
    if (row.length !== this.table.columns.length) {
      throw new Error(`${this.table.name}: a row has ${row.length} values for ${this.table.columns.length} columns`);
    }
    this.rows++;
    await this.csv.write(`${row.map((v, i) => csvField(v, this.table.columns[i] as Column)).join(',')}\n`);
  }

  /** Converts to Parquet and puts it at `key`; the temporary files are removed whatever happens. */
  async finish(store: ObjectStore, key: string): Promise<WrittenTable> {
    try {
      await this.closeCsv();
      const parquet = join(this.dir, 'table.parquet');
      await convert(this.rows === 0 ? undefined : join(this.dir, 'rows.csv'), parquet, this.table);
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of createReadStream(parquet)) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
      await store.put(key, createReadStream(parquet));
      return { key, rows: this.rows, bytes, sha256: hash.digest('hex') };
    } finally {
      await this.discard();
    }
  }

  /** Drops the file without writing anything to the store. */
  async discard(): Promise<void> {
    await this.closeCsv().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  private async closeCsv(): Promise<void> {
    if (this.csvClosed) return;
    this.csvClosed = true;
    await this.csv.close();
  }
}

/** Writes `rows` as a Parquet file of `table` to `key` in the store. */
export async function writeParquet(store: ObjectStore, key: string, table: TableSchema, rows: AsyncIterable<Row> | Iterable<Row>): Promise<WrittenTable> {
  const writer = await ParquetTableWriter.open(table);
  try {
    for await (const row of rows) await writer.add(row);
  } catch (err) {
    await writer.discard();
    throw err;
  }
  return writer.finish(store, key);
}

function csvField(value: Row[number], column: Column): string {
  if (value === null) return NULL;
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (Array.isArray(value)) return quote(JSON.stringify(value));
  if (typeof value === 'string') {
    if (column.type === 'VARCHAR' && value === NULL) throw new Error(`${column.name}: the value ${NULL} is reserved`);
    return quote(value);
  }
  return String(value);
}

function quote(text: string): string {
  return /[",\n\r\\]/.test(text) || text === '' ? `"${text.replace(/"/g, '""')}"` : text;
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
  const db = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    memory_limit: '512MB',
    threads: '1',
  });
  const connection = await db.connect();
  try {
    const columns = `{${table.columns.map((c) => `'${c.name}': 'VARCHAR'`).join(', ')}}`;
    const source =
      csv === undefined
        ? `(SELECT ${table.columns.map((c) => `CAST(NULL AS VARCHAR) AS "${c.name}"`).join(', ')} WHERE false)`
        : `read_csv('${csv}', columns=${columns}, header=false, delim=',', quote='"', escape='"', nullstr='${NULL}', strict_mode=true)`;
    await connection.run(
      `COPY (SELECT ${table.columns.map(selectExpression).join(', ')} FROM ${source}) TO '${parquet}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`,
    );
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}
