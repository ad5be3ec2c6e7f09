/**
 * `npm run bench -- links [--world DIR] [--lake DIR] [--scale full|medium]`: the whole linking step
 * (classes, evidence, decisions, objections, the company_links file) on the generated world —
 * wall time and peak RSS of the step against the targets (under 5 minutes and 4 GB on 2 cores).
 * Without --lake, the world (given, or generated at --scale, full by default) is first loaded into a
 * temporary lake by the ip-allocations and registers pipelines; that part is not measured.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ipAllocations } from '../pipelines/ip-allocations.js';
import { registers } from '../pipelines/registers.js';
import { loadConfig, processEnvironment } from '../src/config.js';
import { formatTable } from '../src/cli/format-table.js';
import { sourceLocation } from '../src/fetch/source-location.js';
import { createLogger } from '../src/log.js';
import { runPipeline } from '../src/pipeline/runner.js';
import { openLocalStore } from '../src/store/local-store.js';
import { generateWorld } from '../src/world/generate.js';
import type { Scale } from '../src/world/scale.js';
import type { Benchmark } from './benchmarks.js';
import { mb, measureInChild } from './measure.js';

const SNAPSHOT = '2026-11-01';
const option = (args: string[], name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

export const linksBenchmark: Benchmark = {
  name: 'links',
  description: 'the whole linking step on the generated world (full by default): wall time and peak RSS against 5 minutes and 4 GB',
  async run(args) {
    const scale = (option(args, '--scale') ?? 'full') as Scale;
    const temp = await mkdtemp(join(tmpdir(), 'ipreg-bench-links-'));
    try {
      let lake = option(args, '--lake');
      if (lake === undefined) {
        const world = option(args, '--world') ?? join(temp, 'world');
        const log = createLogger({ level: 'warn', stream: 'stderr' });
        if ((await stat(join(world, 'world.json')).catch(() => undefined)) === undefined) {
          process.stdout.write(`generating the ${scale} world into ${world}…\n`);
          await generateWorld({ seed: 1, scale, snapshot: SNAPSHOT, outDir: world, log });
        }
        lake = join(temp, 'lake');
        const store = openLocalStore(lake, lake);
        const { config } = loadConfig({ env: processEnvironment() });
        const ctx = { store, snapshot: SNAPSHOT, log, location: sourceLocation(world), fetch: config.fetch, parse: config.parse };
        process.stdout.write(`loading the world into a lake (ip-allocations, registers; not measured)…\n`);
        for (const pipeline of [ipAllocations, registers] as const) {
          const record = await runPipeline(pipeline as typeof ipAllocations, ctx);
          if (record.outcome !== 'succeeded') throw new Error(`${pipeline.name} failed: ${record.error ?? ''}`);
        }
      }
      const r = await measureInChild('./links-case.ts', [lake, SNAPSHOT]);
      process.stdout.write(
        formatTable(
          ['case', 'seconds', 'peak RSS', 'ranges', 'linked', 'target'],
          [['links (classes, evidence, decisions, file)', (r.durationMs / 1000).toFixed(1), `${mb(r.maxRssBytes)} MB`, r['ranges']!.toLocaleString('en'), r['linked']!.toLocaleString('en'), 'under 300 s and 4000 MB']],
        ),
      );
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  },
};
