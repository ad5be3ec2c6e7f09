/**
 * A register adapter: how one register's raw files become rows of `companies`. An adapter writes one
 * SQL query over its files (read by header name) that yields the companies columns plus `_drop`: null
 * for a row to keep, else the reason it is left out (a natural person, a unit not for publication, no
 * number …). The build (build.ts) counts the reasons, writes the kept rows, and never sees a dropped
 * row's contents.
 */
import type { CsvDialect } from './csv.js';

/** One raw file of a register, staged as a local file DuckDB can read. */
export interface LocalFile {
  /** The file's name in the source (raw/<source>/<snapshot>/<name>). */
  name: string;
  path: string;
}

/** A `_drop` reason starting with this marks a record that is malformed, not left out by rule. */
export const MALFORMED = 'malformed ';

/**
 * The tail of an adapter's SELECT over an inner query with `register_id`, `_person` and `_drop`: the
 * drop reason, and the number of a malformed record (never a natural person's) for the report.
 */
export const DROP_COLUMNS = `_drop, CASE WHEN starts_with(_drop, '${MALFORMED}') AND NOT coalesce(_person, false) THEN register_id END AS _bad`;

/** What an adapter hands to the build. */
export interface RegisterQuery {
  /**
   * SELECT yielding every companies column (in any order), `_drop` and `_bad`: for a row whose
   * `_drop` is MALFORMED + "<field>: <what is wrong>" ("malformed siren: not 9 digits"), `_bad` is
   * the offending value — a register number, and null when the record is a natural person's: the
   * number of a sole trader is not reported anywhere. The record is counted against the budget.
   */
  sql: string;
  /**
   * A cheaper SELECT with the same rows' `_drop` and `_bad` only (SIRENE: the units without the
   * establishment join), used to count; `sql` when absent. It may add `_file`, the file of each
   * malformed record, where they come from more than one file.
   */
  drops?: string;
  /**
   * Intermediate results the build writes to Parquet first, in order, each read back where `sql`
   * or `drops` says `$stage:<name>`: a join's large side staged this way has exact row counts and
   * few columns, which keeps DuckDB's join within its memory limit on the largest registers.
   */
  stages?: Stage[];
  /**
   * Bytes of the register's files per partition of its split stages (the build's default, 1.5 GiB,
   * is SIRENE's): a register whose rows take more room joined than their bytes (Sweden's two files)
   * asks for smaller ones.
   */
  partitionBytes?: number;
  /** The file whose records are the companies (named in the reports of malformed records). */
  records: string;
  /** Columns each file added that this version does not know, by file (reported once). */
  added: Record<string, string[]>;
}

/** An intermediate result of a register's query, written to Parquet before the query runs. */
export interface Stage {
  name: string;
  sql: string;
  /**
   * Split the stage by a hash of this expression (of the stage's columns) into the build's
   * partitions: `sql` then runs once per partition, reading that partition of every split stage
   * (and the whole of the others), so stages split by the keys they are joined on meet in the same
   * pass. A join of tens of millions of rows is then several joins that fit DuckDB's memory limit
   * instead of one that spills (SIRENE: 189 s joined whole, 62 s in 6 parts). `drops` and later
   * stages read the whole stage.
   */
  partitionBy?: string;
}

/** One register. */
export interface RegisterAdapter {
  /** The source id: its folder src/sources/<id>, whose source.json holds its facts (country, numbers …). */
  id: string;
  dialect: CsvDialect;
  /** The query over the staged files (`files` by source file name). */
  query(files: ReadonlyMap<string, LocalFile>): Promise<RegisterQuery>;
}
