/**
 * `npm run bench -- store [--size-mb N]`: streams one large object (2 GiB by default) into and out of
 * the local-folder store and the S3 store (moto on 127.0.0.1), against the floor of writing and reading
 * the same bytes with plain fs streams. Prints throughput and peak RSS: the stores must stay flat.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '../src/cli/format-table.js';
import { createBucket, startS3Server, TEST_CREDENTIALS } from '../test/support/s3-server.js';
import type { Benchmark } from './benchmarks.js';
import { mb, measureInChild, type CaseResult } from './measure.js';

export const storeBenchmark: Benchmark = {
  name: 'store',
  description: 'stream a 2 GiB object through the local and S3 stores; throughput and peak RSS vs plain fs',
  async run(args) {
    const sizeMb = Number(args[args.indexOf('--size-mb') + 1] ?? NaN);
    const sizeBytes = Number.isFinite(sizeMb) && args.includes('--size-mb') ? sizeMb * 2 ** 20 : 2 * 2 ** 30;
    const dir = await mkdtemp(join(tmpdir(), 'ipreg-bench-store-'));
    const server = await startS3Server();
    try {
      await createBucket(server.endpoint, 'bench');
      const s3Env = {
        IPREG_S3_ENDPOINT: server.endpoint,
        IPREG_S3_FORCE_PATH_STYLE: 'true',
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      };
      process.stdout.write(`streaming ${mb(sizeBytes)} MB through each (S3: ${server.kind} at ${server.endpoint})\n`);
      const results: Array<[string, CaseResult]> = [
        ['plain fs streams (floor)', await measureInChild('./store-case.ts', ['fs', join(dir, 'fs'), String(sizeBytes)])],
        ['local-folder store', await measureInChild('./store-case.ts', ['store', join(dir, 'lake'), String(sizeBytes)])],
        [`S3 store (${server.kind})`, await measureInChild('./store-case.ts', ['store', 's3://bench/lake', String(sizeBytes)], s3Env)],
      ];
      printResults(results, sizeBytes);
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

function printResults(results: Array<[string, CaseResult]>, sizeBytes: number): void {
  const floor = results[0]![1];
  const rows = results.map(([name, r]) => [
    name,
    mb(r['writeMs']! > 0 ? (sizeBytes / r['writeMs']!) * 1000 : 0),
    mb(r['readMs']! > 0 ? (sizeBytes / r['readMs']!) * 1000 : 0),
    (r.durationMs / floor.durationMs).toFixed(2),
    mb(r.maxRssBytes),
    (r.maxRssBytes / floor.maxRssBytes).toFixed(2),
  ]);
  process.stdout.write(
    formatTable(['case', 'write MB/s', 'read MB/s', 'time vs floor', 'peak RSS MB', 'RSS vs floor'], rows),
  );
  process.stdout.write(`object size ${mb(sizeBytes)} MB: a store that buffered the object would peak above it.\n`);
}
