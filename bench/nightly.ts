/**
 * `npm run bench -- nightly [--scale medium|full] [--world DIR] [--lake DIR]`: the whole `nightly` pipeline on a
 * generated world (medium by default), run as deployed (`ipreg run nightly`, compiled) into a local
 * lake — wall time and peak RSS per step, and end to end, against the targets for the full
 * world on this 2-core machine (under 20 minutes, under 4 GB). Each step's peak is its own: the
 * kernel's high-water mark is reset when the step starts (5 > /proc/<pid>/clear_refs). Generating
 * the world is not measured. Then the same snapshot again: what a rerun with nothing changed costs.
 * With --lake, the lake is written there (it must not exist) and kept, to look into or to rerun a step on.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable } from '../src/cli/format-table.js';
import { createLogger } from '../src/log.js';
import { generateWorld } from '../src/world/generate.js';
import type { Scale } from '../src/world/scale.js';
import type { Benchmark } from './benchmarks.js';
import { mb, procMemory } from './measure.js';

const SNAPSHOT = '2026-11-01';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/src/cli/main.js');
const option = (args: string[], name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

interface StepFigure {
  name: string;
  ms: number;
  peak: number;
  outcome: string;
}

/** Runs `ipreg run nightly` and measures each step as its log lines begin and end it. */
function runNightly(world: string, lake: string): Promise<{ steps: StepFigure[]; totalMs: number; code: number | null; tail: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [MAIN, 'run', 'nightly', '--sources', world, '--snapshot', SNAPSHOT, '--log-level', 'info'], {
      env: { ...process.env, IPREG_STORE: lake },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid as number;
    const steps: StepFigure[] = [];
    let current: { name: string; at: number } | undefined;
    let buffered = '';
    let tail = '';
    let chain = Promise.resolve();
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        let record: { msg?: string; step?: string };
        try {
          record = JSON.parse(line) as { msg?: string; step?: string };
        } catch {
          continue;
        }
        const { msg, step } = record;
        if (step === undefined) continue;
        const at = performance.now();
        if (msg === 'step started') {
          chain = chain.then(async () => {
            await writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined);
            current = { name: step, at };
          });
        } else if (msg === 'step finished' || msg === 'step failed') {
          chain = chain.then(async () => {
            const peak = await procMemory(pid, 'VmHWM');
            if (current?.name === step) steps.push({ name: step, ms: at - current.at, peak, outcome: msg === 'step finished' ? 'succeeded' : 'failed' });
            process.stdout.write(`  ${step}: ${((at - (current?.at ?? at)) / 1000).toFixed(1)} s, peak ${mb(peak)} MB\n`);
          });
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4000)));
    child.once('error', reject);
    child.once('close', (code) => void chain.then(() => resolve({ steps, totalMs: performance.now() - started, code, tail })));
  });
}

export const nightlyBenchmark: Benchmark = {
  name: 'nightly',
  description: 'the whole nightly pipeline on a generated world (medium by default): wall time and peak RSS per step, against 20 minutes and 4 GB for the full world',
  async run(args) {
    const scale = (option(args, '--scale') ?? 'medium') as Scale;
    const temp = await mkdtemp(join(tmpdir(), 'ipreg-bench-nightly-'));
    try {
      const world = option(args, '--world') ?? join(temp, 'world');
      if ((await stat(join(world, 'world.json')).catch(() => undefined)) === undefined) {
        process.stdout.write(`generating the ${scale} world into ${world} (not measured)…\n`);
        await generateWorld({ seed: 1, scale, snapshot: SNAPSHOT, outDir: world, log: createLogger({ level: 'warn', stream: 'stderr' }) });
      }
      process.stdout.write('building dist/ (nightly runs compiled, as deployed)…\n');
      execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
      const kept = option(args, '--lake');
      if (kept !== undefined && (await stat(kept).catch(() => undefined)) !== undefined) throw new Error(`--lake ${kept}: already exists; the benchmark writes a new lake`);
      const lake = kept ?? join(temp, 'lake');
      execFileSync(process.execPath, [MAIN, 'store', 'put', 'suppression/objections.csv', join(world, 'truth/suppression.csv'), '--log-level', 'warn'], { env: { ...process.env, IPREG_STORE: lake }, stdio: 'ignore' });
      process.stdout.write(`ipreg run nightly on ${world} into a local lake:\n`);
      const r = await runNightly(world, lake);
      if (r.code !== 0) throw new Error(`nightly exited ${r.code}: ${r.tail}`);
      const peak = Math.max(...r.steps.map((s) => s.peak));
      const rows = r.steps.map((s) => [s.name, (s.ms / 1000).toFixed(1), `${mb(s.peak)} MB`, s.outcome]);
      rows.push(['end to end (process start to exit)', (r.totalMs / 1000).toFixed(1), `${mb(peak)} MB`, scale === 'full' ? 'target: under 1200 s and 4000 MB' : 'target for the full world: under 1200 s and 4000 MB']);
      process.stdout.write(`\n${formatTable(['step', 'seconds', 'peak RSS', 'outcome'], rows)}`);
      // The same snapshot again, nothing changed: the raw steps ask the sources, every other step is skipped by its memo.
      process.stdout.write('\nipreg run nightly again, the same snapshot, nothing changed:\n');
      const again = await runNightly(world, lake);
      if (again.code !== 0) throw new Error(`the rerun exited ${again.code}: ${again.tail}`);
      process.stdout.write(`rerun: ${(again.totalMs / 1000).toFixed(1)} s end to end (first run ${(r.totalMs / 1000).toFixed(1)} s), ${again.steps.length} steps ran (${again.steps.map((st) => st.name).join(', ')}), the other ${r.steps.length - again.steps.length} skipped as unchanged\n`);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  },
};
