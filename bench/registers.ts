/**
 * `npm run bench -- registers [--world DIR]`: the `full` Companies House file of the generated world
 * into its companies partition (header check, name key, status, dates, SIC to NACE), rows per second
 * and peak RSS, against DuckDB's plain `COPY (SELECT * FROM read_csv(…, ignore_errors=true)) TO '….parquet'` of the same
 * file in the same process. Without --world, Companies House is generated at full scale first.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '../src/cli/format-table.js';
import { createLogger } from '../src/log.js';
import { generateRegisters } from '../src/world/generate.js';
import type { Benchmark } from './benchmarks.js';
import { mb, measureInChild } from './measure.js';

const SNAPSHOT = '2026-11-01';

export const registersBenchmark: Benchmark = {
  name: 'registers',
  description: 'the full Companies House file into companies vs DuckDB plain CSV-to-Parquet copy of it; rows/s and peak RSS',
  async run(args) {
    const given = args.includes('--world') ? args[args.indexOf('--world') + 1] : undefined;
    const dir = given ?? (await mkdtemp(join(tmpdir(), 'ipreg-bench-reg-')));
    try {
      const csv = join(dir, 'gb-companies-house', `BasicCompanyDataAsOneFile-${SNAPSHOT}.csv`);
      if ((await stat(csv).catch(() => undefined)) === undefined) {
        process.stdout.write(`generating Companies House at full scale into ${dir}…\n`);
        await generateRegisters({ dir, seed: 1, scale: 'full', snapshot: SNAPSHOT, only: ['gb-companies-house'] }, createLogger({ level: 'warn', stream: 'stderr' }));
      }
      const r = await measureInChild('./registers-case.ts', [csv]);
      const plainRate = r['plainRows']! / (r['plainMs']! / 1000);
      const ourRate = r['rowsIn']! / (r.durationMs / 1000);
      process.stdout.write(
        formatTable(
          ['case', 'seconds', 'rows/s', 'share of DuckDB plain'],
          [
            ['ipreg (header check, GDPR filter, name key, normalization)', (r.durationMs / 1000).toFixed(1), Math.round(ourRate).toLocaleString('en'), (ourRate / plainRate).toFixed(2)],
            ['DuckDB plain COPY read_csv -> Parquet', (r['plainMs']! / 1000).toFixed(1), Math.round(plainRate).toLocaleString('en'), '1.00'],
          ],
        ),
      );
      process.stdout.write(
        `${r['rowsIn']!.toLocaleString('en')} rows in, ${r['rowsOut']!.toLocaleString('en')} out, ${r['parts']} part files, from ${mb((await stat(csv)).size)} MB of CSV; peak RSS of the process ${mb(r.maxRssBytes)} MB; targets: at least 0.33 of DuckDB plain, peak RSS under 1 GB\n`,
      );
    } finally {
      if (given === undefined) await rm(dir, { recursive: true, force: true });
    }
  },
};
