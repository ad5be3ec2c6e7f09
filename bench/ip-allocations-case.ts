/**
 * The measured case of the ip-allocations benchmark, in its own process: parse one RPSL dump into
 * tables as the pipeline does (on worker threads when `workers` is given, else on this thread).
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUT_NUMS, INETNUMS, WHOIS_ORGS } from '../schemas/ip-allocation-tables.js';
import { bytesOfStream, chunksOfBytes } from '../src/formats/lines.js';
import { ingestRpsl } from '../src/ingest/ip-allocation-rows.js';
import { ingestRpslInWorkers } from '../src/ingest/rpsl-workers.js';
import { ParquetTableWriter } from '../src/lake/parquet.js';
import { openLocalStore } from '../src/store/local-store.js';
import { reportCase } from './measure.js';

const [path, mode] = process.argv.slice(2) as [string, 'workers' | 'single'];
const dir = await mkdtemp(join(tmpdir(), 'ipreg-bench-ingest-'));
const store = openLocalStore(dir, dir);
const start = performance.now();
const writers = { inetnums: await ParquetTableWriter.open(INETNUMS), orgs: await ParquetTableWriter.open(WHOIS_ORGS), autNums: await ParquetTableWriter.open(AUT_NUMS) };
let textBytes = 0;
async function* counted(bytes: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of bytes) {
    textBytes += chunk.length;
    yield chunk;
  }
}
const bytes = counted(bytesOfStream(createReadStream(path, { highWaterMark: 1 << 20 }), true));
const counts = mode === 'workers' ? await ingestRpslInWorkers(bytes, 'latin1', writers) : await ingestRpsl(chunksOfBytes(bytes, 'latin1'), writers);
const parsedMs = performance.now() - start;
await writers.inetnums.finish(store, 'inetnums');
await writers.orgs.finish(store, 'orgs');
await writers.autNums.finish(store, 'aut_nums');
const durationMs = performance.now() - start;
await rm(dir, { recursive: true, force: true });
reportCase({ durationMs, parsedMs, textBytes, objects: counts.records, skipped: Object.values(counts.skipped).reduce((a, b) => a + b, 0) });

