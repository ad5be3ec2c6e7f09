/**
 * Building one register's `companies` partition in DuckDB: one pass over the register's files writes
 * every row, keyed by the name key's SQL form, to an unsorted file — a dropped row as its drop reason
 * alone — (and DuckDB's CSV reader records the lines it could not parse); the rows are counted by
 * reason from that file, and a second pass writes the kept ones in order as zstd Parquet files of
 * bounded size. Dropped rows are only ever counted: their contents reach no file and no log.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { COMPANIES } from '../../schemas/company-tables.js';
import { ident } from './csv.js';
import { withNameKey } from '../names/name-key-sql.js';
import { sqlString } from '../lake/sql.js';
import { ROW_GROUP_SIZE } from '../lake/parquet.js';
import { MALFORMED, type LocalFile, type RegisterAdapter, type RegisterQuery } from './register.js';
import { checkFilesWhole, checkLastRecords, unreadableJson, type RejectedLine } from './whole-file.js';
import { sourceById } from '../sources/catalog.js';

/**
 * A malformed record: a line DuckDB's CSV reader could not parse (no contents: the line may name a
 * person), or a record whose register number is invalid (with that number; its line is not known).
 */
export interface MalformedLine {
  file: string;
  line: number | null;
  column: string | null;
  error: string;
  value?: string;
}

/** What building a register's partition made and counted. */
export interface RegisterBuild {
  rowsIn: number;
  rowsOut: number;
  /** Rows left out, by reason (natural persons, units not for publication, …). */
  dropped: Record<string, number>;
  /** Lines that did not parse, counted, with the first few. */
  malformed: { count: number; examples: MalformedLine[] };
  /** Columns files added that this version does not know, by file. */
  added: Record<string, string[]>;
  /** The Parquet files written, in order, with their rows. */
  parts: { path: string; rows: number }[];
}

/** Bytes of a Parquet file before DuckDB starts the next: files of a size Athena reads well. */
const PART_BYTES = 256 << 20;

/**
 * The order companies are written in: the register's number, then — for the few registers that
 * repeat a number (KBO) — a hash of the whole row, so that a rerun writes the same bytes. Sorting
 * by the number and every scalar column instead took 107 s against 31 s on the full SIRENE.
 */
const ORDER = `${ident('register_id')}, hash(${COMPANIES.columns.map((c) => ident(c.name)).join(', ')})`;

/** Runs `work` while reporting the connection's query progress to `report` (every half second). */
async function withProgress<T>(duck: DuckDBConnection, phase: string, report: BuildOptions['progress'], work: () => Promise<T>): Promise<T> {
  if (report === undefined) return work();
  const timer = setInterval(() => {
    const p = duck.progress.percentage;
    if (p >= 0) report(phase, p);
  }, 500);
  try {
    const result = await work();
    report(phase, 100);
    return result;
  } finally {
    clearInterval(timer);
  }
}

/** Columns only some registers fill (GLEIF's registration authority): null where an adapter leaves them out. */
const OPTIONAL_COLUMNS = new Set(['marketing_opt_out', 'registration_authority', 'registration_authority_id', 'same_as_register', 'same_as_id']);

/** What a build may use besides the register's own files. */
export interface BuildOptions {
  /**
   * Parquet files of GLEIF's partition built in the same run: a national company whose number an
   * LEI record crosswalks to (same_as_register, same_as_id) takes that LEI.
   */
  crosswalk?: readonly string[];
  /**
   * Partitions of the stages that ask to be split (RegisterQuery's Stage.partitionBy): by default one
   * per 1.5 GiB of the register's files, at most 16.
   */
  partitions?: number;
  /** Told how far the long queries are: the phase ('counting' — only an adapter with a drops query of its own —, 'writing', 'sorting') and DuckDB's percent estimate. */
  progress?: (phase: string, percent: number) => void;
}

/** Builds the partition's Parquet files in `dir` (a folder of its own) from the staged files. */
export async function buildCompanies(
  adapter: RegisterAdapter,
  files: ReadonlyMap<string, LocalFile>,
  dir: string,
  duck: DuckDBConnection,
  options: BuildOptions = {},
): Promise<RegisterBuild> {
  try {
    return await build(adapter, files, dir, duck, options);
  } catch (err) {
    throw unreadableJson(adapter.id, files, err) ?? err;
  }
}

async function build(adapter: RegisterAdapter, files: ReadonlyMap<string, LocalFile>, dir: string, duck: DuckDBConnection, options: BuildOptions): Promise<RegisterBuild> {
  const query = await adapter.query(files);
  // A file cut short fails before anything reads its rows (the query read headers only).
  const shapes = await checkFilesWhole(adapter.id, files, query.records);
  await mkdir(dir, { recursive: true });
  const partitions = options.partitions ?? (await partitionsFor(files, query.partitionBytes));
  const stages = await writeStages(duck, query, dir, partitions, options.progress);
  // An adapter with a drops query of its own (on a staged side of a join) is counted by it; the
  // others by the write pass's own rows, below: reading every file twice (once to count, once to
  // write) cost the joins of Sweden and Czechia twice.
  const drops = query.drops === undefined ? undefined : readStages(query.drops, stages.whole);
  const counted = drops === undefined ? undefined : await withProgress(duck, 'counting', options.progress, () => duck.runAndReadAll(`SELECT _drop, count(*) AS n FROM (${drops}) GROUP BY ALL`));

  const given = new Set((await duck.runAndReadAll(`DESCRIBE ${readStages(query.sql, stages.whole)}`)).getRows().map((r) => String(r[0])));
  const columns = COMPANIES.columns
    .map((c) => (given.has(c.name) || !OPTIONAL_COLUMNS.has(c.name) ? ident(c.name) : `NULL::${c.type} AS ${ident(c.name)}`))
    .join(', ');
  // A dropped row reaches the unsorted file as why it was dropped and nothing else: every column of
  // the companies table null, the malformed number that is no person's (_bad) and its file (_file).
  const blanked = COMPANIES.columns.filter((c) => given.has(c.name)).map((c) => `CASE WHEN _drop IS NULL THEN ${ident(c.name)} END AS ${ident(c.name)}`);
  const reasons = ['_drop', '_bad', ...(given.has('_file') ? ['_file'] : [])].join(', ');
  const out = join(dir, 'parquet');
  // Written in a fixed order: the joins run on several threads and hand rows over in a different order
  // each run, and a rerun must write the same bytes. Sorted in a second pass over unsorted files, not
  // in the join's pipeline (that ran out of DuckDB's memory on the full Companies House). One unsorted
  // file per partition of the split stages. The crosswalk's LEIs join in the sorting pass, where both
  // sides are Parquet with exact row counts: joined to the CSV reader's rows, whose count DuckDB guesses
  // at a few dozen, it hashed the register's 3.5 M rows instead of the crosswalk (Czechia: 41 s, 17 s).
  const passes = (query.stages ?? []).some((s) => s.partitionBy !== undefined) ? partitions : 1;
  const leis = options.crosswalk?.length ? options.crosswalk : undefined;
  const crosswalk = leis === undefined ? undefined : join(dir, 'crosswalk.parquet');
  if (leis !== undefined && crosswalk !== undefined) await writeCrosswalk(duck, adapter.id, leis, crosswalk);
  const unsorted: string[] = [];
  for (let k = 0; k < passes; k++) {
    const rows = readStages(query.sql, passFiles(stages, k));
    const pass = drops === undefined ? `SELECT * REPLACE (${blanked.join(', ')}) FROM (${rows})` : `SELECT * FROM (${rows}) WHERE _drop IS NULL`;
    // A national register's country is a constant: the name key's per-country CASE then folds to its one branch.
    const country = sourceById(adapter.id).register?.country;
    const keyed = withNameKey(pass, 'name', typeof country === 'string' ? sqlString(country) : 'country');
    const path = join(dir, `unsorted-${k}.parquet`);
    const report = options.progress === undefined ? undefined : (phase: string, percent: number) => options.progress?.(phase, (k * 100 + percent) / passes);
    // In any order: the sort puts the rows in theirs. Keeping the join's order held its output in memory (out of memory on SIRENE).
    await duck.run('SET preserve_insertion_order = false');
    try {
      await withProgress(duck, 'writing', report, () => duck.run(`COPY (SELECT ${columns}, ${reasons} FROM (${keyed})) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`));
    } finally {
      await duck.run('RESET preserve_insertion_order');
    }
    unsorted.push(path);
  }
  const unsortedRows = `read_parquet([${unsorted.map(sqlString).join(', ')}])`;
  const byReason = counted ?? (await duck.runAndReadAll(`SELECT _drop, count(*) AS n FROM ${unsortedRows} GROUP BY ALL`));
  const dropped: Record<string, number> = {};
  let rowsIn = 0;
  let rowsOut = 0;
  let invalid = 0;
  for (const [reason, n] of byReason.getRows() as [string | null, bigint][]) {
    if (reason !== null && reason.startsWith(MALFORMED)) {
      invalid += Number(n);
      continue;
    }
    rowsIn += Number(n);
    if (reason === null) rowsOut += Number(n);
    else dropped[reason] = Number(n);
  }
  const invalidExamples = invalid === 0 ? [] : await invalidRecords(duck, drops ?? `SELECT ${reasons} FROM ${unsortedRows}`, query.records);
  const kept = `SELECT * EXCLUDE (${reasons}) FROM ${unsortedRows} WHERE _drop IS NULL`;
  await withProgress(duck, 'sorting', options.progress, () =>
    duck.run(
      `COPY (SELECT * FROM (${crosswalk === undefined ? kept : withCrosswalk(kept, crosswalk)}) ORDER BY ${ORDER}) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE}, FILE_SIZE_BYTES ${PART_BYTES}, FILENAME_PATTERN 'part-{i}')`,
    ),
  );
  for (const path of unsorted) await rm(path, { force: true });
  const names = (await readdir(out)).filter((n) => n.endsWith('.parquet')).sort((a, b) => partNumber(a) - partNumber(b));
  const parts: { path: string; rows: number }[] = [];
  for (const name of names) {
    const path = join(out, name);
    const meta = await duck.runAndReadAll(`SELECT sum(num_rows) FROM parquet_file_metadata(${sqlString(path)})`);
    parts.push({ path, rows: Number(meta.getRows()[0]?.[0] ?? 0) });
  }
  // The kept rows the count saw must be the rows written: else a join of the adapter lost or repeated rows.
  const written = parts.reduce((n, p) => n + p.rows, 0);
  if (written !== rowsOut) throw new Error(`${adapter.id}: ${written} rows written but ${rowsOut} counted as kept — the adapter's query loses or repeats rows`);
  // After the write, which read every file (the stages did, where there are): the reject tables then hold every file's bad lines.
  const rejected = await rejectedLines(duck, files);
  await checkLastRecords(adapter.id, files, shapes, rejected.lines);
  const malformed = { count: rejected.count + invalid, examples: [...rejected.examples, ...invalidExamples].slice(0, 20) };
  return { rowsIn, rowsOut, dropped, malformed, added: query.added, parts };
}

/** A query's stages as written: each stage's Parquet files, whole and by partition. */
interface WrittenStages {
  /** Files of the whole stage, by name (an empty split stage: a file with its columns and no rows). */
  whole: Map<string, string[]>;
  /** Files of a split stage's partition k, by name (one with no rows where no row hashed to k). */
  parts: Map<string, string[][]>;
}

/** Writes the query's stages to Parquet in `dir`, split into `partitions` where a stage asks to be. */
async function writeStages(duck: DuckDBConnection, query: RegisterQuery, dir: string, partitions: number, progress: BuildOptions['progress']): Promise<WrittenStages> {
  const written: WrittenStages = { whole: new Map(), parts: new Map() };
  for (const stage of query.stages ?? []) {
    const staged = readStages(stage.sql, written.whole);
    if (stage.partitionBy === undefined || partitions === 1) {
      const path = join(dir, `stage-${stage.name}.parquet`);
      await withProgress(duck, `staging ${stage.name}`, progress, () => duck.run(`COPY (${staged}) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`));
      written.whole.set(stage.name, [path]);
      if (stage.partitionBy !== undefined) written.parts.set(stage.name, [[path]]);
      continue;
    }
    const folder = join(dir, `stage-${stage.name}`);
    const columns = join(dir, `stage-${stage.name}-columns.parquet`);
    await duck.run(`COPY (SELECT * FROM (${staged}) LIMIT 0) TO ${sqlString(columns)} (FORMAT parquet)`);
    await withProgress(duck, `staging ${stage.name}`, progress, () =>
      duck.run(`COPY (SELECT *, hash(${stage.partitionBy}) % ${partitions} AS _part FROM (${staged})) TO ${sqlString(folder)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (_part))`),
    );
    // A partition no row hashed to has no folder: it reads as the empty file. Not read beside the
    // others: DuckDB estimates a list of files' rows from the first, and a join planned for none spills.
    const parts = await Promise.all(Array.from({ length: partitions }, (_x, k) => parquetFiles(join(folder, `_part=${k}`))));
    const orEmpty = (files: string[]) => (files.length === 0 ? [columns] : files);
    written.parts.set(stage.name, parts.map(orEmpty));
    written.whole.set(stage.name, orEmpty(parts.flat()));
  }
  return written;
}

/** The Parquet files in a folder, in name order (none if the folder does not exist). */
async function parquetFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  return names
    .filter((n) => n.endsWith('.parquet'))
    .sort()
    .map((n) => join(folder, n));
}

/** `sql` with each `$stage:<name>` read from `files` (by stage name). */
function readStages(sql: string, files: ReadonlyMap<string, readonly string[]>): string {
  return sql.replaceAll(/\$stage:(\w+)/g, (whole, name: string) => {
    const paths = files.get(name);
    if (paths === undefined) throw new Error(`${whole} names a stage not written before it`);
    return `read_parquet([${paths.map(sqlString).join(', ')}])`;
  });
}

/** The stages' files a write pass reads: partition `k` of each split stage, the whole of the others. */
function passFiles(stages: WrittenStages, k: number): Map<string, string[]> {
  return new Map([...stages.whole].map(([name, files]) => [name, stages.parts.get(name)?.[k] ?? files]));
}

/**
 * Writes the register's part of the LEI crosswalk to `path`: each of its numbers that a GLEIF record
 * crosswalks to, with that record's LEI (the smallest, if several do). Once per build, not per pass.
 */
async function writeCrosswalk(duck: DuckDBConnection, register: string, crosswalk: readonly string[], path: string): Promise<void> {
  await duck.run(`COPY (SELECT same_as_id AS id, min(lei) AS lei FROM read_parquet([${crosswalk.map(sqlString).join(', ')}])
    WHERE same_as_register = ${sqlString(register)} AND same_as_id IS NOT NULL GROUP BY same_as_id) TO ${sqlString(path)} (FORMAT parquet)`);
}

/** The kept rows with the LEI the crosswalk written by writeCrosswalk gives their number. */
function withCrosswalk(kept: string, path: string): string {
  return `SELECT q.* REPLACE (coalesce(q.lei, x.lei) AS lei) FROM (${kept}) q LEFT JOIN read_parquet(${sqlString(path)}) x ON x.id = q.register_id`;
}

/** The first records the adapter marked malformed, with the field and value at fault. */
async function invalidRecords(duck: DuckDBConnection, drops: string, file: string): Promise<MalformedLine[]> {
  const rows = await duck.runAndReadAll(`SELECT * FROM (${drops}) WHERE starts_with(_drop, ${sqlString(MALFORMED)}) LIMIT 20`);
  return rows.getRowObjects().map((row) => {
    const reason = String(row['_drop']);
    const value = row['_bad'] ?? null;
    const [column, error] = reason.slice(MALFORMED.length).split(/:\s*/, 2);
    // A drops query naming the file of each record (`_file`) overrides the adapter's records file.
    const where = typeof row['_file'] === 'string' ? row['_file'] : file;
    return { file: where, line: null, column: column ?? null, error: error ?? reason, ...(value === null ? {} : { value: String(value) }) };
  });
}

/**
 * Bytes of raw files a partition of split stages is made for: 1.5 GiB, about 1.4 M SIRENE units
 * kept, a join that fits 1 GB (the full SIRENE, 11 GiB: 8 partitions). More partitions cost more
 * to stage (each is written apart): 6 took 143 s to stage, 11 took 152 s.
 */
const PARTITION_BYTES = 1.5 * (1 << 30);

/** Partitions for split stages: one per `per` bytes (PARTITION_BYTES unless the query says) of the register's files, 1 to 16. */
async function partitionsFor(files: ReadonlyMap<string, LocalFile>, per = PARTITION_BYTES): Promise<number> {
  let bytes = 0;
  for (const file of files.values()) bytes += (await stat(file.path)).size;
  return Math.min(16, Math.max(1, Math.ceil(bytes / per)));
}

function partNumber(name: string): number {
  return Number(/(\d+)\.parquet$/.exec(name)?.[1] ?? 0);
}

/** The lines the CSV reader rejected in the counting pass (file, line, column, error type only). */
async function rejectedLines(duck: DuckDBConnection, files: ReadonlyMap<string, LocalFile>): Promise<RegisterBuild['malformed'] & { lines: RejectedLine[] }> {
  const exists = await duck.runAndReadAll(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'reject_errors'`);
  if (Number(exists.getRows()[0]?.[0] ?? 0) === 0) return { count: 0, examples: [], lines: [] };
  const byPath = new Map([...files.values()].map((f) => [f.path, f.name]));
  // Each scan of a file records its bad lines again: a line is one (file, line).
  const lines = `SELECT DISTINCT s.file_path, e.line, e.column_name, e.error_type FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id)`;
  const total = await duck.runAndReadAll(`SELECT count(DISTINCT (file_path, line)) FROM (${lines})`);
  const first = await duck.runAndReadAll(`SELECT file_path, line, min(column_name), min(error_type) FROM (${lines}) GROUP BY ALL ORDER BY file_path, line LIMIT 20`);
  // Each file's last rejected line: a cut file's is its last record (checkFilesWhole).
  const lastOfFile = await duck.runAndReadAll(`SELECT file_path, max(line), arg_max(error_type, line) FROM (${lines}) GROUP BY file_path`);
  return {
    count: Number(total.getRows()[0]?.[0] ?? 0),
    examples: (first.getRows() as [string, bigint, string | null, string][]).map(([path, line, column, error]) => ({ file: byPath.get(path) ?? path, line: Number(line), column, error: String(error) })),
    lines: (lastOfFile.getRows() as [string, bigint, string][]).map(([path, line, error]) => ({ path, line: Number(line), error: String(error) })),
  };
}
