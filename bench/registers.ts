/**
 * `npm run bench -- registers [--world DIR] [--only REGISTER]`: the `full` Companies House file, the
 * `medium` SIRENE files (legal units and establishments) and the `full` Latvian, Lithuanian, Czech,
 * Estonian, Swedish (two files), Irish and Finnish (JSON: the baseline is read_json) files of the
 * generated world into their companies partitions —
 * header check, GDPR filter, name key, normalization, and for SIRENE the head-office join — against
 * DuckDB's plain `COPY (SELECT * FROM read_csv(…, ignore_errors=true)) TO '….parquet'` of the same
 * files in the same process. Rows per second are over the files' rows (every CSV row read), so the
 * share is the plain copy's time over ours. Without --world the two registers are generated first
 * (Companies House at full scale, SIRENE at medium) into a temporary folder.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '../src/cli/format-table.js';
import { createLogger } from '../src/log.js';
import { generateRegisters } from '../src/world/generate.js';
import type { Scale } from '../src/world/scale.js';
import type { Benchmark } from './benchmarks.js';
import { mb, measureInChild } from './measure.js';

const SNAPSHOT = '2026-11-01';

/** One register of the benchmark: the scale it is generated at and its files (landed name → world path). */
interface RegisterCase {
  register: string;
  scale: Scale;
  files: Record<string, string>;
}

const CASES: readonly RegisterCase[] = [
  { register: 'gb-companies-house', scale: 'full', files: { 'BasicCompanyDataAsOneFile.csv': `gb-companies-house/BasicCompanyDataAsOneFile-${SNAPSHOT}.csv` } },
  {
    register: 'fr-sirene',
    scale: 'medium',
    files: { 'StockUniteLegale_utf8.csv': 'fr-sirene/StockUniteLegale_utf8.csv', 'StockEtablissement_utf8.csv': 'fr-sirene/StockEtablissement_utf8.csv' },
  },
  { register: 'lv-ur', scale: 'full', files: { 'register.csv': 'lv-ur/register.csv' } },
  { register: 'lt-jar', scale: 'full', files: { 'JAR_IREGISTRUOTI.csv': 'lt-jar/JAR_IREGISTRUOTI.csv' } },
  { register: 'cz-res', scale: 'full', files: { 'res_data.csv': 'cz-res/res_data.csv' } },
  { register: 'ee-rik', scale: 'full', files: { 'ettevotja_rekvisiidid__lihtandmed.csv': 'ee-rik/ettevotja_rekvisiidid__lihtandmed.csv' } },
  { register: 'se-bolagsverket', scale: 'full', files: { 'bolagsverket_bulkfil.txt': 'se-bolagsverket/bolagsverket_bulkfil.txt', 'scb_bulkfil.txt': 'se-bolagsverket/scb_bulkfil.txt' } },
  { register: 'ie-cro', scale: 'full', files: { 'companies.csv': 'ie-cro/companies.csv' } },
  { register: 'fi-prh', scale: 'full', files: { 'all_companies.json': 'fi-prh/all_companies.json' } },
];

export const registersBenchmark: Benchmark = {
  name: 'registers',
  description: 'full Companies House, medium SIRENE, full Latvia, Lithuania, Czechia, Estonia, Sweden, Ireland and Finland into companies vs DuckDB plain CSV-to-Parquet copies of the same files (read_json for Finland\'s); rows/s and peak RSS',
  async run(args) {
    const given = args.includes('--world') ? args[args.indexOf('--world') + 1] : undefined;
    const root = given ?? (await mkdtemp(join(tmpdir(), 'ipreg-bench-reg-')));
    try {
      const rows: string[][] = [];
      const notes: string[] = [];
      // `--only <register>`: that register's case alone.
      const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
      for (const c of CASES.filter((x) => only === undefined || x.register === only)) {
        // A folder given is used as it is (a register missing from it is generated there at its case's scale).
        const dir = given ?? join(root, c.scale);
        const paths = Object.values(c.files).map((f) => join(dir, f));
        if ((await Promise.all(paths.map((p) => stat(p).catch(() => undefined)))).some((s) => s === undefined)) {
          process.stdout.write(`generating ${c.register} at ${c.scale} scale into ${dir}…\n`);
          await generateRegisters({ dir, seed: 1, scale: c.scale, snapshot: SNAPSHOT, only: [c.register] }, createLogger({ level: 'warn', stream: 'stderr' }));
        }
        const r = await measureInChild('./registers-case.ts', [c.register, ...Object.entries(c.files).map(([name, f]) => `${name}=${join(dir, f)}`)]);
        const plainRate = r['plainRows']! / (r['plainMs']! / 1000);
        const ourRate = r['plainRows']! / (r.durationMs / 1000);
        let bytes = 0;
        for (const p of paths) bytes += (await stat(p)).size;
        rows.push([`${c.register} (${c.scale}) ipreg`, (r.durationMs / 1000).toFixed(1), Math.round(ourRate).toLocaleString('en'), (ourRate / plainRate).toFixed(2), `${mb(r.maxRssBytes)} MB`]);
        rows.push([`${c.register} (${c.scale}) DuckDB plain copy`, (r['plainMs']! / 1000).toFixed(1), Math.round(plainRate).toLocaleString('en'), '1.00', '']);
        notes.push(
          `${c.register}: ${r['plainRows']!.toLocaleString('en')} CSV rows (${mb(bytes)} MB) read; ${r['rowsIn']!.toLocaleString('en')} records in, ${r['rowsOut']!.toLocaleString('en')} companies out, ${r['parts']} part files`,
        );
      }
      process.stdout.write(formatTable(['case', 'seconds', 'rows/s', 'share of DuckDB plain', 'peak RSS'], rows));
      process.stdout.write(`${notes.join('\n')}\ntargets: at least 0.33 of DuckDB plain (0.5 for the registers added by the twelve-registers issue: lv-ur, lt-jar, cz-res, se-bolagsverket, ie-cro, fi-prh), peak RSS under 1 GB (peak RSS is the measured process's, both runs)\n`);
    } finally {
      if (given === undefined) await rm(root, { recursive: true, force: true });
    }
  },
};
