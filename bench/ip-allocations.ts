/**
 * `npm run bench -- ip-allocations [--world DIR]`: the RIPE inetnum dump of the `full` world parsed
 * into Parquet tables (objects/s, MB/s, peak RSS), against the floor measured in the same run: `gzip -dc`
 * of the same file to /dev/null. Without --world, the network half of the full world is generated first.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '../src/cli/format-table.js';
import { createLogger } from '../src/log.js';
import { generateNetworks } from '../src/world/generate.js';
import type { Benchmark } from './benchmarks.js';
import { mb, measureInChild } from './measure.js';

export const ipAllocationsBenchmark: Benchmark = {
  name: 'ip-allocations',
  description: 'parse the full RIPE inetnum dump into Parquet (worker threads, and one thread) vs gzip -dc of it; objects/s and peak RSS',
  async run(args) {
    const given = args.includes('--world') ? args[args.indexOf('--world') + 1] : undefined;
    const dir = given ?? (await mkdtemp(join(tmpdir(), 'ipreg-bench-ip-')));
    try {
      const dump = join(dir, 'ripe-rpsl', 'ripe.db.inetnum.gz');
      if ((await stat(dump).catch(() => undefined)) === undefined) {
        process.stdout.write(`generating the network half of the full world into ${dir} (about 5 minutes)…\n`);
        await generateNetworks({ dir, seed: 1, scale: 'full', snapshot: '2026-11-01' }, createLogger({ level: 'warn', stream: 'stderr' }));
      }
      const compressed = (await stat(dump)).size;
      const floor = await timeGzipFloor(dump);
      const modes = [
        { label: 'ipreg, worker threads', result: await measureInChild('./ip-allocations-case.ts', [dump, 'workers']) },
        { label: 'ipreg, one thread', result: await measureInChild('./ip-allocations-case.ts', [dump, 'single']) },
      ];
      const rawBytes = modes[0]!.result['textBytes']!;
      const rows = modes.map(({ label, result }) => [
        label,
        (result.durationMs / 1000).toFixed(1),
        (result['parsedMs']! / 1000).toFixed(1),
        Math.round(result['objects']! / (result.durationMs / 1000)).toLocaleString('en'),
        mb((rawBytes / result.durationMs) * 1000),
        mb(result.maxRssBytes),
        (result.durationMs / floor.ms).toFixed(2),
      ]);
      rows.push(['floor: gzip -dc', (floor.ms / 1000).toFixed(1), '-', '-', mb((rawBytes / floor.ms) * 1000), '-', '1.00']);
      process.stdout.write(formatTable(['case', 'wall time (s)', 'of which parsing (s)', 'objects/s', 'MB/s (text)', 'peak RSS (MB)', 'time vs floor'], rows));
      const counts = modes.map((m) => m.result['objects']);
      if (new Set(counts).size !== 1) throw new Error(`the two modes read different object counts: ${counts.join(' vs ')}`);
      process.stdout.write(
        `${modes[0]!.result['objects']!.toLocaleString('en')} objects (${modes[0]!.result['skipped']} skipped) from ${mb(compressed)} MB gzip / ${mb(rawBytes)} MB text; targets: within 4x of the floor, peak RSS under 512 MB\n`,
      );
    } finally {
      if (given === undefined) await rm(dir, { recursive: true, force: true });
    }
  },
};

/** Times `gzip -dc file > /dev/null`. */
async function timeGzipFloor(path: string): Promise<{ ms: number }> {
  const devNull = await open('/dev/null', 'w');
  try {
    const started = performance.now();
    const child = spawn('gzip', ['-dc', path], { stdio: ['ignore', devNull.fd, 'inherit'] });
    const [code] = (await once(child, 'close')) as [number];
    if (code !== 0) throw new Error(`gzip -dc ${path} exited with ${code}`);
    return { ms: performance.now() - started };
  } finally {
    await devNull.close();
  }
}
