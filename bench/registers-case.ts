/**
 * The measured case of the registers benchmark, in its own process: DuckDB's plain CSV-to-Parquet copy
 * of the file (the baseline), then ipreg's build of the register's companies partition from the same
 * file, in the same process and DuckDB settings.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCompanies, openBuildDuckDb } from '../src/registers/build.js';
import { companiesHouse } from '../src/registers/companies-house.js';
import { sqlString } from '../src/names/name-key-sql.js';
import { reportCase } from './measure.js';

const [path] = process.argv.slice(2) as [string];
const dir = await mkdtemp(join(tmpdir(), 'ipreg-bench-registers-'));
try {
  const plainDuck = await openBuildDuckDb(join(dir, 'plain'));
  let started = performance.now();
  const copied = await plainDuck.runAndReadAll(`COPY (SELECT * FROM read_csv(${sqlString(path)}, ignore_errors=true)) TO ${sqlString(join(dir, 'plain.parquet'))} (FORMAT parquet)`);
  const plainMs = performance.now() - started;
  const plainRows = Number(copied.getRows()[0]?.[0] ?? 0);
  plainDuck.closeSync();
  const duck = await openBuildDuckDb(join(dir, 'ipreg'));
  started = performance.now();
  const built = await buildCompanies(companiesHouse, new Map([['BasicCompanyDataAsOneFile.csv', { name: 'BasicCompanyDataAsOneFile.csv', path }]]), join(dir, 'ipreg'), duck);
  const oursMs = performance.now() - started;
  duck.closeSync();
  reportCase({ durationMs: oursMs, plainMs, plainRows, rowsIn: built.rowsIn, rowsOut: built.rowsOut, parts: built.parts.length });
} finally {
  await rm(dir, { recursive: true, force: true });
}
