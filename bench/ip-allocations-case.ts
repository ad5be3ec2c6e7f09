/** The measured case of the ip-allocations benchmark, in its own process: parse one RPSL dump into tables. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUT_NUMS, INETNUMS, WHOIS_ORGS } from '../schemas/ip-allocation-tables.js';
import { linesOf, type LineBatches } from '../src/formats/lines.js';
import { ingestRpsl } from '../src/ingest/ip-allocation-rows.js';
import { ParquetTableWriter } from '../src/lake/parquet.js';
import { openLocalStore } from '../src/store/local-store.js';
import { reportCase } from './measure.js';

const [path] = process.argv.slice(2) as [string];
const dir = await mkdtemp(join(tmpdir(), 'ipreg-bench-ingest-'));
const store = openLocalStore(dir, dir);
const start = performance.now();
const writers = { inetnums: await ParquetTableWriter.open(INETNUMS), orgs: await ParquetTableWriter.open(WHOIS_ORGS), autNums: await ParquetTableWriter.open(AUT_NUMS) };
let textBytes = 0;
async function* counted(lines: LineBatches): LineBatches {
  for await (const batch of lines) {
    for (const line of batch) textBytes += line.length + 1; // latin-1: one byte a character, plus the newline
    yield batch;
  }
}
const counts = await ingestRpsl(counted(linesOf(path, 'latin1')), writers);
const parsedMs = performance.now() - start;
await writers.inetnums.finish(store, 'inetnums.parquet');
await writers.orgs.finish(store, 'orgs.parquet');
await writers.autNums.finish(store, 'aut_nums.parquet');
const durationMs = performance.now() - start;
await rm(dir, { recursive: true, force: true });
reportCase({ durationMs, parsedMs, textBytes, objects: counts.records, skipped: Object.values(counts.skipped).reduce((a, b) => a + b, 0) });
