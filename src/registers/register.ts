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

/** What an adapter hands to the build. */
export interface RegisterQuery {
  /** SELECT yielding every companies column (in any order) and `_drop`. */
  sql: string;
  /** Columns each file added that this version does not know, by file (reported once). */
  added: Record<string, string[]>;
}

/** One register. */
export interface RegisterAdapter {
  /** The source id (src/sources/<id>). */
  id: string;
  /** ISO 3166 alpha-2 of the register (null for GLEIF: global). */
  country: string | null;
  dialect: CsvDialect;
  /** The query over the staged files (`files` by source file name). */
  query(files: ReadonlyMap<string, LocalFile>): Promise<RegisterQuery>;
}
