/**
 * A measured case of the registers benchmark, in its own process: DuckDB's plain CSV-to-Parquet copy
 * of each of the register's files (the baseline), then ipreg's build of the register's companies
 * partition from the same files, in the same process and DuckDB settings.
 *
 * Arguments: the register id, then `<landed name>=<path>` for each of its files.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerAdapter } from '../src/sources/catalog.js';
import { buildCompanies } from '../src/registers/build.js';
import { openBuildDuckDb } from '../src/lake/duckdb.js';
import type { LocalFile } from '../src/registers/register.js';
import { sqlString } from '../src/lake/sql.js';
import { reportCase } from './measure.js';

const [register, ...pairs] = process.argv.slice(2) as [string, ...string[]];
const adapter = await registerAdapter(register);
const files = new Map<string, LocalFile>(
  pairs.map((pair) => {
    const [name, path] = pair.split('=') as [string, string];
    return [name, { name, path }];
  }),
);
/**
 * DuckDB's plain reader of a file: read_json for a JSON array (Finland's), read_csv with the file's
 * delimiter (and Latin-1 for SCB's Swedish file, tab-separated), bad lines ignored.
 */
function plainReader(name: string, path: string): string {
  if (name.endsWith('.json')) return `read_json(${sqlString(path)}, format='array')`;
  const latin1Tab = name === 'scb_bulkfil.txt';
  const delim = latin1Tab ? '\t' : adapter.dialect.delimiter;
  return `read_csv(${sqlString(path)}, delim=${sqlString(delim)}${latin1Tab ? ", encoding='latin-1'" : ''}, ignore_errors=true)`;
}

const dir = await mkdtemp(join(tmpdir(), 'ipreg-bench-registers-'));
try {
  const plainDuck = await openBuildDuckDb(join(dir, 'plain'));
  let plainRows = 0;
  let started = performance.now();
  let n = 0;
  for (const { name, path } of files.values()) {
    const copied = await plainDuck.runAndReadAll(`COPY (SELECT * FROM ${plainReader(name, path)}) TO ${sqlString(join(dir, `plain-${n++}.parquet`))} (FORMAT parquet)`);
    plainRows += Number(copied.getRows()[0]?.[0] ?? 0);
  }
  const plainMs = performance.now() - started;
  plainDuck.closeSync();
  const duck = await openBuildDuckDb(join(dir, 'ipreg'));
  started = performance.now();
  const built = await buildCompanies(adapter, files, join(dir, 'ipreg'), duck);
  const oursMs = performance.now() - started;
  duck.closeSync();
  reportCase({ durationMs: oursMs, plainMs, plainRows, rowsIn: built.rowsIn, rowsOut: built.rowsOut, parts: built.parts.length });
} finally {
  await rm(dir, { recursive: true, force: true });
}
