/**
 * `npm run bench -- generate [--scale medium|small|full]`: generates a world in a child process and
 * prints rows per second and peak RSS per source and in total, beside the floor of writing the same
 * number of bytes to disk with plain fs streams in the same run.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { formatTable } from '../src/cli/format-table.js';
import type { WorldManifest } from '../src/world/generate.js';
import type { Benchmark } from './benchmarks.js';
import { mb } from './measure.js';

export const generateBenchmark: Benchmark = {
  name: 'generate',
  description: 'generate the medium world: rows/s and peak RSS per source, against the plain-write floor',
  async run(args) {
    const scale = args[args.indexOf('--scale') + 1] ?? 'medium';
    const dir = await mkdtemp(join(tmpdir(), 'ipreg-bench-generate-'));
    try {
      const out = join(dir, 'world');
      const run = await generateInChild(scale === '--scale' ? 'medium' : scale, out);
      const manifest = JSON.parse(await readFile(join(out, 'world.json'), 'utf8')) as WorldManifest;
      const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
      const rows = manifest.files.reduce((n, f) => n + f.lines, 0);
      const floorMs = await writeFloor(join(dir, 'floor.bin'), bytes);
      const steps = run.steps.map((s) => {
        const files = manifest.files.filter((f) => stepOf(f.path) === s.step);
        const stepRows = files.reduce((n, f) => n + f.lines, 0);
        return [s.step, stepRows.toLocaleString('en'), mb(s.bytes), (s.durationMs / 1000).toFixed(1), Math.round(stepRows / (s.durationMs / 1000)).toLocaleString('en')];
      });
      process.stdout.write(formatTable(['source', 'rows', 'MB written', 'seconds', 'rows/s'], steps));
      process.stdout.write('\n');
      process.stdout.write(
        formatTable(
          ['figure', 'ipreg generate', 'floor (plain fs write of the same bytes)', 'ratio'],
          [
            ['wall time (s)', (run.wallMs / 1000).toFixed(1), (floorMs / 1000).toFixed(1), (run.wallMs / floorMs).toFixed(1)],
            ['rows/s', Math.round(rows / (run.wallMs / 1000)).toLocaleString('en'), '-', '-'],
            ['MB/s written', mb((bytes / run.wallMs) * 1000), mb((bytes / floorMs) * 1000), (floorMs / run.wallMs).toFixed(2)],
            ['peak RSS (MB)', mb(run.maxRssBytes), '-', '-'],
          ],
        ),
      );
      process.stdout.write(`scale ${scale}: ${rows.toLocaleString('en')} rows (lines) in ${manifest.files.length} files, ${mb(bytes)} MB; target peak RSS under 1000 MB\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/** The generator step a file belongs to (its source folder). */
function stepOf(path: string): string {
  const folder = path.split('/')[0] as string;
  if (folder === 'ripe-rpsl') return 'ripencc-rpsl';
  return folder.endsWith('-delegated') && folder !== 'arin-delegated' ? `${folder.replace('-delegated', '')}-rpsl` : folder;
}

async function generateInChild(scale: string, out: string) {
  const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', process.execPath, '--import', 'tsx', main, 'generate', '--scale', scale, '--out', out], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'close')) as [number];
  if (code !== 0) throw new Error(`ipreg generate failed (${code}): ${stderr}`);
  const steps = stdout
    .split('\n')
    .filter((l) => l.includes('"generated source"'))
    .map((l) => JSON.parse(l) as { step: string; bytes: number; durationMs: number });
  const rssKb = Number(/MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
  return { steps, wallMs: performance.now() - started, maxRssBytes: rssKb * 1024 };
}

/** Writes `bytes` bytes with a plain fs stream: the I/O floor of writing the world. */
async function writeFloor(path: string, bytes: number): Promise<number> {
  const chunk = Buffer.alloc(1 << 20, 'x');
  const started = performance.now();
  const stream = createWriteStream(path);
  for (let written = 0; written < bytes; written += chunk.length) {
    if (!stream.write(written + chunk.length <= bytes ? chunk : chunk.subarray(0, bytes - written))) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
  return performance.now() - started;
}
