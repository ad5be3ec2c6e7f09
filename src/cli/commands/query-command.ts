/**
 * `ipreg query "<sql>"`: SQL over the local lake in DuckDB, every table under its Athena name (views
 * over the partitioned Parquet and the run records), printed as a table, CSV or JSON lines, or
 * written to a file (CSV, JSON lines or Parquet).
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { IpregError } from '../../errors.js';
import type { ObjectStore } from '../../store/store.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';

export const FORMATS = ['table', 'csv', 'json', 'parquet'] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${FORMATS.join(', ')}`);
  return value as Format;
}

/** The folder of a local lake; a usage error naming what to do for a remote one. */
export function localLakeRoot(store: ObjectStore): string {
  if (store.localPath === undefined) {
    throw new IpregError(
      'USAGE',
      `ipreg query reads a lake in a local folder, and ${store.url} is not one: copy the tables here first (ipreg store sync ${store.url} ./lake --prefix tables/), or ask Athena (ipreg athena query)`,
    );
  }
  // The folder that holds the key "x" is the lake's root.
  return dirname(store.localPath('x'));
}

/** One value as text for a person or a CSV field. */
function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One CSV field: quoted when it holds a comma, quote or line break, or is empty text (null is an empty field). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const t = text(value);
  return /[",\n\r]/.test(t) || t === '' ? `"${t.replace(/"/g, '""')}"` : t;
}

/** Rows (objects by column) printed as a table, CSV with a header, or one JSON object per line. */
export function printRows(columns: readonly string[], rows: readonly Record<string, unknown>[], format: 'table' | 'csv' | 'json'): void {
  if (format === 'json') {
    for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  } else if (format === 'csv') {
    process.stdout.write(`${columns.map(csvField).join(',')}\n`);
    for (const row of rows) process.stdout.write(`${columns.map((c) => csvField(row[c])).join(',')}\n`);
  } else {
    process.stdout.write(formatTable([...columns], rows.map((r) => columns.map((c) => text(r[c])))));
  }
}

/** The text of a query file; a usage error naming the file when it cannot be read. */
export async function readQueryFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new IpregError('USAGE', `cannot read the query file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file: path });
  }
}

export function formatOf(out: string | undefined, given: Format | undefined): Format {
  if (given !== undefined) return given;
  const ext = out === undefined ? '' : extname(out).toLowerCase();
  return ext === '.parquet' ? 'parquet' : ext === '.csv' ? 'csv' : ext === '.json' || ext === '.jsonl' || ext === '.ndjson' ? 'json' : 'table';
}

/** Registers `ipreg query`. */
export function registerQueryCommand(program: Command, run: CommandRunner): void {
  program
    .command('query')
    .description('SQL over the local lake in DuckDB: the same tables, columns and names as in Athena')
    .argument('[sql]', 'the query; "-" reads it from standard input')
    .option('--file <path>', 'read the query from a file (e.g. schemas/queries/*.sql)')
    .option('--format <format>', `${FORMATS.join(', ')} (default: table, or as --out's extension says)`, parseFormat)
    .option('--out <file>', 'write the result to a file (CSV, JSON lines or Parquet) instead of printing it')
    .option('--tables', 'list the tables and views and how many files each reads')
    .action((sql: string | undefined, options: { file?: string; format?: Format; out?: string; tables?: boolean }) =>
      run('query', 'data', async (ctx) => {
        const root = localLakeRoot(ctx.store());
        const query = options.file !== undefined ? await readQueryFile(options.file) : sql === '-' ? await readStdin() : sql;
        if (query === undefined && options.tables !== true) throw new IpregError('USAGE', 'give a query, --file <path>, or --tables');
        const format = formatOf(options.out, options.format);
        if (format === 'parquet' && options.out === undefined) throw new IpregError('USAGE', 'Parquet is written to a file: add --out <file>.parquet');
        if (format === 'table' && options.out !== undefined) throw new IpregError('USAGE', 'a table is for the terminal: write csv, json or parquet to a file');
        // Loaded here, not with the CLI: the resolver runs the same CLI and does not carry DuckDB.
        const { openLake, resultObjects } = await import('../../lake/lake-duckdb.js');
        const { duck, tables } = await openLake(root);
        try {
          if (options.tables === true) {
            process.stdout.write(formatTable(['name', 'kind', 'files'], tables.map((t) => [t.name, t.kind, t.kind === 'view' ? '' : String(t.files)])));
            if (query === undefined) return;
          }
          const body = (query as string).trim().replace(/;\s*$/, '');
          if (options.out !== undefined) {
            const copy = format === 'parquet' ? "FORMAT parquet, COMPRESSION zstd" : format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT json';
            await duck.run(`COPY (${body}) TO '${options.out.replace(/'/g, "''")}' (${copy})`);
            return;
          }
          const { columns, rows } = await resultObjects(await duck.runAndReadAll(body));
          // Parquet went to --out above (without one it was refused).
          printRows(columns, rows, format as Exclude<Format, 'parquet'>);
        } catch (err) {
          if (err instanceof IpregError) throw err;
          throw new IpregError('USAGE', `the query failed: ${(err as Error).message}`);
        } finally {
          duck.closeSync();
        }
      }),
    );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
