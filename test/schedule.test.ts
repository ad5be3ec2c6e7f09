/** The runner's lease, --from-step and stop; the scheduler (ticks claimed once per lake); `ipreg runs` and `ipreg schedule`. */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpregError } from '../src/errors.js';
import { acquireLease, readLease } from '../src/pipeline/lease.js';
import { runPipeline, startIndex, type Pipeline, type RunContext, type RunRecord } from '../src/pipeline/runner.js';
import { Scheduler, snapshotOf } from '../src/pipeline/scheduler.js';
import { listAll, type ObjectStore } from '../src/store/store.js';
import { runCli } from './support/run-cli.js';
import { silentLog } from './support/small-world-lake.js';
import { makeLocalStore, type TestStore } from './support/test-stores.js';
import { runKey, tickKey } from '../src/lake/paths.js';

/** A pipeline of three steps that write what they were given, the middle one a write step (it cannot start a run). */
function toy(name: string, stepMs = 0): Pipeline<RunContext & { made?: string[] }> {
  const work = async (ctx: RunContext & { made?: string[] }, id: string) => {
    await sleep(stepMs);
    await ctx.store.put(`toy/${name}/${ctx.snapshot}/${id}`, id);
    (ctx.made ??= []).push(id);
    return { rowsIn: 1, rowsOut: 1, skipped: {}, outputs: [`toy/${name}/${ctx.snapshot}/${id}`] };
  };
  const info = (id: string) => ({ name: id, description: id, inputs: [], outputs: [`toy/${id}`] });
  return {
    name,
    description: 'a toy',
    sources: [],
    schedule: { cron: '0 3 * * *', timeZone: 'Etc/UTC', why: 'test' },
    steps: [
      { ...info('a'), run: async (ctx) => work(ctx, 'a') },
      { ...info('b'), kind: 'write', write: async (ctx) => work(ctx, 'b') },
      { ...info('c'), run: async (ctx) => work(ctx, 'c') },
    ],
  };
}

async function records(store: ObjectStore, pipeline: string): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  for await (const o of listAll(store, `runs/${pipeline}/`)) out.push(JSON.parse((await store.getBytes(o.key)).toString()) as RunRecord);
  return out;
}

describe('the runner', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await makeLocalStore();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('refuses to start while another run holds the pipeline\'s lease, naming it, and writes nothing', async () => {
    const other = await acquireLease(t.store, 'toy1', { host: 'elsewhere', pid: 7, runId: 'run-x' });
    const err = await runPipeline(toy('toy1'), { store: t.store, snapshot: '2026-11-01', log: silentLog }).catch((e: unknown) => e);
    expect((err as IpregError).code).toBe('LOCKED');
    expect((err as Error).message).toContain('run run-x on elsewhere (pid 7)');
    expect(await records(t.store, 'toy1')).toEqual([]);
    await other.release();
    const record = await runPipeline(toy('toy1'), { store: t.store, snapshot: '2026-11-01', log: silentLog });
    expect(record.outcome).toBe('succeeded');
    expect((await readLease(t.store, 'toy1'))?.record).toMatchObject({ released: true, holder: { runId: record.runId } });
  });

  it('starts from a step when told, and refuses a step that needs what an earlier one left in memory', async () => {
    const ctx: RunContext & { made?: string[] } = { store: t.store, snapshot: '2026-11-02', log: silentLog };
    const record = await runPipeline(toy('toy2'), ctx, { fromStep: 'c' });
    expect(ctx.made).toEqual(['c']);
    expect(record.fromStep).toBe('c');
    expect(record.steps.map((s) => [s.name, s.outcome])).toEqual([['a', 'not run'], ['b', 'not run'], ['c', 'succeeded']]);
    expect(() => startIndex(toy('toy2'), 'b')).toThrow('toy2: a run cannot start at "b": it writes what the steps before it made in the same run; start from "a"');
    expect(() => startIndex(toy('toy2'), 'z')).toThrow('toy2 has no step "z" (its steps: a, b, c)');
  });

  it('stops between steps when told to: the step running finishes, the record says stopped and where', async () => {
    const stop = new AbortController();
    const ctx: RunContext & { made?: string[] } = { store: t.store, snapshot: '2026-11-03', log: silentLog };
    const running = runPipeline(toy('toy3', 150), ctx, { signal: stop.signal });
    await sleep(60);
    stop.abort();
    const record = await running;
    expect(ctx.made).toEqual(['a']);
    expect(record.outcome).toBe('stopped');
    expect(record.error).toBe('stopped before b, after a: nothing after it was written; run again to complete');
    const stored = JSON.parse((await t.store.getBytes(runKey('toy3', record.runId))).toString()) as RunRecord;
    expect(stored.outcome).toBe('stopped');
  });
});

describe('the scheduler', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await makeLocalStore();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('dates a tick in the pipeline\'s time zone', () => {
    const tick = new Date('2026-11-27T23:30:00Z');
    expect(snapshotOf(tick, 'Etc/UTC')).toBe('2026-11-27');
    expect(snapshotOf(tick, 'Europe/Amsterdam')).toBe('2026-11-28');
    expect(snapshotOf(tick, 'America/New_York')).toBe('2026-11-27');
  });

  it('refuses a bad cron expression or time zone, naming it', () => {
    const make = (cron: string, timeZone: string) => new Scheduler({ store: t.store, log: silentLog, pipelines: [{ pipeline: toy('bad'), schedule: { cron, timeZone } }], context: (snapshot) => ({ store: t.store, snapshot, log: silentLog }) });
    expect(() => make('61 * * * *', 'Etc/UTC')).toThrow(/bad: the cron expression "61 \* \* \* \*" is not valid/);
    expect(() => make('0 3 * * *', 'Mars/Olympus')).toThrow('bad: "Mars/Olympus" is not a time zone');
  });

  it('runs a tick once however many schedulers on the lake reach it, even one after the other', async () => {
    const pipeline = toy('claimed');
    const make = () => new Scheduler({ store: t.store, log: silentLog, pipelines: [{ pipeline, schedule: { cron: '0 3 * * *', timeZone: 'Europe/Amsterdam' } }], context: (snapshot) => ({ store: t.store, snapshot, log: silentLog }) });
    const tick = new Date('2026-11-27T23:30:00Z');
    await make().runTick('claimed', tick);
    await make().runTick('claimed', tick);
    await Promise.all([make().runTick('claimed', new Date('2026-11-28T23:30:00Z')), make().runTick('claimed', new Date('2026-11-28T23:30:00Z'))]);
    const runs = await records(t.store, 'claimed');
    expect(runs.map((r) => [r.snapshot, r.trigger]).sort()).toEqual([
      ['2026-11-28', { kind: 'schedule', tick: '2026-11-27T23:30:00.000Z' }],
      ['2026-11-29', { kind: 'schedule', tick: '2026-11-28T23:30:00.000Z' }],
    ]);
  });

  it('two schedulers on one lake run each tick once, and stop when told', async () => {
    const pipeline = toy('ticking');
    const seen: RunRecord[] = [];
    const make = () =>
      new Scheduler({
        store: t.store,
        log: silentLog,
        pipelines: [{ pipeline, schedule: { cron: '* * * * * *', timeZone: 'Etc/UTC' } }],
        context: (snapshot) => ({ store: t.store, snapshot, log: silentLog }),
        onRun: (r) => seen.push(r),
      });
    const [one, two] = [make(), make()];
    one.start();
    two.start();
    await sleep(3_500);
    await Promise.all([one.stop(), two.stop()]);
    const runs = await records(t.store, 'ticking');
    const ticks = runs.map((r) => (r.trigger?.kind === 'schedule' ? r.trigger.tick : 'none'));
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ticks).size).toBe(runs.length);
    for (const tick of ticks) expect(await t.store.head(tickKey('ticking', new Date(tick)))).toBeDefined();
    expect(seen.map((r) => r.runId).sort()).toEqual(runs.map((r) => r.runId).sort());
    // Nothing runs after stop.
    const after = runs.length;
    await sleep(1_200);
    expect((await records(t.store, 'ticking')).length).toBe(after);
  });
});

describe('ipreg schedule and ipreg runs', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await makeLocalStore();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('runs a pipeline on its ticks until SIGTERM, and the runs are listed and shown', async () => {
    const env = { IPREG_STORE: t.root as string };
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../src/cli/main.ts', import.meta.url)), 'schedule', 'links', '--cron', '*/2 * * * * *', '--log-level', 'info'], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr.on('data', (d: Buffer) => (logs += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    for (let i = 0; i < 100 && !logs.includes('scheduled run ended'); i++) await sleep(100);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(logs).toContain('"msg":"scheduled"');
    expect(logs).toContain('scheduler stopped');
    // An empty lake: the links run fails, and says why.
    const runs = await records(t.store, 'links');
    expect(runs.length).toBeGreaterThanOrEqual(1);
    const run = runs[0] as RunRecord;
    expect(run.outcome).toBe('failed');
    expect(run.trigger?.kind).toBe('schedule');

    const list = await runCli(['runs', 'list'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${run.runId}\\s+links\\s+\\d{4}-\\d{2}-\\d{2}\\s+failed`));
    const show = await runCli(['runs', 'show', run.runId], { env });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`run ${run.runId} of links`);
    expect(show.stdout).toContain('by the scheduler, for its');
    expect(show.stdout).toMatch(/company_links\s+failed/);
    const missing = await runCli(['runs', 'show', '20200101T000000Z-abcdef'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no run 20200101T000000Z-abcdef in the lake');
  }, 60_000);

  it('exits 75 naming the holder when the pipeline runs already on the lake', async () => {
    const held = await acquireLease(t.store, 'links', { host: 'other-host', pid: 4242, runId: 'run-held' });
    const r = await runCli(['run', 'links', '--snapshot', '2026-11-01'], { env: { IPREG_STORE: t.root as string } });
    expect(r.code).toBe(75);
    expect(r.stderr).toContain('links is running already on this lake: run run-held on other-host (pid 4242)');
    await held.release();
  }, 60_000);
});
