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
const dir = await mkdtemp(join(tmpdir(), 'ipreg-bench-registers-'));
try {
  const plainDuck = await openBuildDuckDb(join(dir, 'plain'));
  let plainRows = 0;
  let started = performance.now();
  let n = 0;
  for (const { path } of files.values()) {
    const delim = adapter.dialect.delimiter;
    const copied = await plainDuck.runAndReadAll(`COPY (SELECT * FROM read_csv(${sqlString(path)}, delim=${sqlString(delim)}, ignore_errors=true)) TO ${sqlString(join(dir, `plain-${n++}.parquet`))} (FORMAT parquet)`);
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
