/**
 * Faults: `ipreg run nightly` killed (SIGKILL) in the middle of a step, again and again, in a local
 * folder and on S3 (the test server), on a lake
 * that already has a published build — each time leaving what is published (pointer, build, the
 * lake's ip_ranges) byte for byte as it was, or, killed after its swap, a whole new build; the next run waits out the dead run's lease and completes the
 * work, to the same outputs as a run that was never killed. A source that keeps answering 5xx is
 * retried, then the run fails cleanly, publishing nothing.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { nightly } from '../pipelines/nightly.js';
import { readLatest, readManifest } from '../src/index-file/pointer.js';
import type { RunRecord } from '../src/pipeline/runner.js';
import { listAll, type ObjectStore } from '../src/store/store.js';
import { runCli } from './support/run-cli.js';
import { SAMPLES, SNAPSHOT, WORLD, lakeOutputs } from './support/small-world-lake.js';
import { makeLocalStore, makeS3Store, s3Environment, type TestStore } from './support/test-stores.js';
import { SUPPRESSION_KEY } from '../src/lake/paths.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

/** A snapshot before the one the killed runs make: the lake holds its published build all along. */
const EARLIER = '2026-10-31';

/** The published build is whole: its manifest is there and the index bytes are the ones it names. */
async function expectPublishedWhole(store: ObjectStore): Promise<void> {
  const latest = await readLatest(store);
  expect(latest, 'a build is published').toBeDefined();
  const manifest = await readManifest(store, latest?.value.buildId as string);
  const bytes = await store.getBytes(manifest.index.key);
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(latest?.value.index.sha256);
  for (const part of manifest.ipRanges) expect(createHash('sha256').update(await store.getBytes(part.key)).digest('hex')).toBe(part.sha256);
}

/** What resolvers and analysts see of the published build: the pointer, its build's objects and the lake's ip_ranges of its snapshot, by digest. */
async function publishedState(store: ObjectStore): Promise<{ buildId: string; objects: Map<string, string> }> {
  const latest = await readLatest(store);
  const buildId = latest?.value.buildId as string;
  const objects = new Map<string, string>([['index/latest.json', createHash('sha256').update(await store.getBytes('index/latest.json')).digest('hex')]]);
  for (const prefix of [`index/builds/${buildId}/`, `tables/ip_ranges/snapshot=${latest?.value.snapshot as string}/`]) {
    for await (const o of listAll(store, prefix)) objects.set(o.key, createHash('sha256').update(await store.getBytes(o.key)).digest('hex'));
  }
  return { buildId, objects };
}

/** Starts `ipreg run nightly` and kills it with SIGKILL `delayMs` after it says `step` started; resolves when it is dead. */
function runAndKill(env: Record<string, string>, step: string, delayMs: number): Promise<{ killed: boolean; logs: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'run', 'nightly', '--sources', WORLD, '--snapshot', SNAPSHOT, '--wait', '60', '--log-level', 'info'], {
      env: { PATH: process.env['PATH'] ?? '', ...env, IPREG_RUN_LEASE_SECONDS: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    let killed = false;
    const look = (d: Buffer) => {
      logs += d.toString();
      if (!killed && logs.split('\n').some((line) => line.includes(`"step":"${step}"`) && line.includes('"msg":"step started"'))) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', (d: Buffer) => (logs += d.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ killed, logs: `${logs}\n(exit ${code ?? signal})` }));
  });
}

/** The world of the snapshot before, generated once for every store's lakes. */
let earlierWorld: string;
beforeAll(async () => {
  earlierWorld = await mkdtemp(join(tmpdir(), 'ipreg-world-'));
  const made = await runCli(['generate', '--scale', 'small', '--seed', '1', '--snapshot', EARLIER, '--out', earlierWorld, '--log-level', 'warn']);
  expect(made.code, made.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await rm(earlierWorld, { recursive: true, force: true });
});

/**
 * The register steps a local run is killed in: one of each kind of build — the crosswalk's provider,
 * a register staged and joined in partitions (SIRENE), one applying an update set (KBO), one joining
 * two publishers' files (Sweden) and a plain one-file register (Czechia). The others run the same code:
 * killing each of them again would only add minutes to the suite.
 */
const REGISTER_KILLS = new Set(['gleif-lei', 'fr-sirene', 'be-kbo', 'se-bolagsverket', 'cz-res']);

/**
 * The stores the kills run against. In a local folder the run is killed in every step (the register
 * steps: one of each kind); on S3 (the test server) in the steps that write to the store — every publish
 * and upload, and the steps whose memos a rerun trusts — to keep the suite's time.
 */
const STORES = [
  {
    name: 'a local folder',
    make: makeLocalStore,
    env: (t: TestStore) => ({ IPREG_STORE: t.root as string }),
    killAt: (step: string) => !step.startsWith('registers/') || /\/(raw|publish)$/.test(step) || REGISTER_KILLS.has(step.slice('registers/'.length)),
  },
  { name: 'S3', make: () => makeS3Store(), env: (t: TestStore) => ({ IPREG_STORE: t.store.url, ...s3Environment() }), killAt: (step: string) => /\/(publish|upload|inetnums|company_links)$/.test(step) },
];

describe.each(STORES)('a nightly run killed in the middle of its steps, in $name', ({ make, env, killAt }) => {
  let reference: TestStore;
  let t: TestStore;
  beforeAll(async () => {
    [reference, t] = [await make(), await make()];
    // Both lakes start with a published build of the day before, from that day's world, as a lake in service does.
    for (const s of [reference, t]) {
      await s.store.put(SUPPRESSION_KEY, await readFile(new URL('truth/suppression.csv', SAMPLES)));
      const earlier = await runCli(['run', 'nightly', '--sources', earlierWorld, '--snapshot', EARLIER], { env: env(s) });
      expect(earlier.code, earlier.stderr).toBe(0);
    }
  }, 180_000);
  afterAll(async () => {
    await reference.dispose();
    await t.dispose();
  });

  it('leaves the published index whole every time, and the next run completes it to the same outputs', async () => {
    const clean = await runCli(['run', 'nightly', '--sources', WORLD, '--snapshot', SNAPSHOT], { env: env(reference) });
    expect(clean.code, clean.stderr).toBe(0);
    const want = await lakeOutputs(reference.store);

    // Each step in turn: each killed run gets one step further than the one before it (what was
    // published before it is skipped as unchanged), and is killed at once or some milliseconds into the step.
    const steps = nightly.steps.map((s) => s.name);
    const kills = steps.filter(killAt);
    const order = (name: string | undefined) => steps.indexOf(name ?? '');
    for (const [n, step] of kills.entries()) {
      // (The last step is over within milliseconds: it is killed at once.)
      const before = await publishedState(t.store);
      const { killed, logs } = await runAndKill(env(t), step, step === steps.at(-1) ? 0 : (n % 3) * 40);
      expect(killed, `never reached ${step}: ${logs.slice(-2000)}`).toBe(true);
      await expectPublishedWhole(t.store);
      const after = await publishedState(t.store);
      if (after.buildId === before.buildId) {
        // Nothing published: everything a resolver or an analyst reads is byte for byte as it was.
        expect({ step, objects: after.objects }).toEqual({ step, objects: before.objects });
      } else {
        // Killed after its swap (the last step): the new build is whole (above), the one before untouched.
        expect(step).toBe(steps.at(-1));
        for (const [key, digest] of before.objects) {
          if (key.startsWith('index/builds/')) expect({ key, digest: createHash('sha256').update(await t.store.getBytes(key)).digest('hex') }).toEqual({ key, digest });
        }
      }
    }
    const records = async () => {
      const all: RunRecord[] = [];
      for await (const o of listAll(t.store, 'runs/nightly/')) all.push(JSON.parse((await t.store.getBytes(o.key)).toString()) as RunRecord);
      return all.filter((r) => r.snapshot === SNAPSHOT).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    };
    // The killed runs' records say how far each got; the run that took over a dead run's lease marked it died.
    const killedRuns = await records();
    expect(killedRuns).toHaveLength(kills.length);
    expect(killedRuns.map((r) => r.outcome)).toEqual([...kills.slice(1).map(() => 'died'), 'running']);
    for (const [n, r] of killedRuns.entries()) expect(order(r.steps.at(-1)?.name)).toBeGreaterThanOrEqual(order(kills[n]));
    for (const r of killedRuns.slice(0, -1)) expect(r.error).toMatch(/^died during .+: its process \(pid \d+ on .+\) stopped renewing its lease, which expired .+; run \S+ took over$/);

    const rerun = await runCli(['run', 'nightly', '--sources', WORLD, '--snapshot', SNAPSHOT, '--wait', '60'], { env: { ...env(t), IPREG_RUN_LEASE_SECONDS: '2' } });
    expect(rerun.code, rerun.stderr).toBe(0);
    await expectPublishedWhole(t.store);
    expect(await lakeOutputs(t.store)).toEqual(want);
    expect((await records()).filter((r) => r.outcome === 'died')).toHaveLength(kills.length);
  }, 400_000);
});

describe('a source that keeps failing', () => {
  let t: TestStore;
  let server: Server;
  let hits = 0;
  beforeAll(async () => {
    t = await makeLocalStore();
    server = createServer((_req, res) => {
      hits++;
      res.writeHead(503, { 'retry-after': '0' }).end('busy');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.dispose();
  });

  it('is retried, then the run fails cleanly: named, recorded, nothing published', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await runCli(['run', 'ip-allocations', '--only', 'arin-delegated', '--sources', url, '--snapshot', SNAPSHOT], {
      env: { IPREG_STORE: t.root as string, IPREG_FETCH_ATTEMPTS: '3', IPREG_FETCH_RETRY_BASE_MS: '5' },
    });
    expect(r.code).toBe(1);
    expect(hits).toBe(3);
    expect(r.stderr).toContain('arin-delegated');
    expect(r.stderr).toContain('503');
    const keys: string[] = [];
    for await (const o of listAll(t.store, '')) keys.push(o.key);
    expect(keys.filter((k) => !k.startsWith('runs/') && !k.startsWith('locks/'))).toEqual([]);
    const record = JSON.parse((await t.store.getBytes(keys.find((k) => k.startsWith('runs/')) as string)).toString()) as RunRecord;
    expect(record.outcome).toBe('failed');
    expect(record.steps.map((s) => [s.name, s.outcome])).toEqual([['raw', 'failed']]);
  }, 60_000);
});
