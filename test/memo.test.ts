/**
 * Step memos: a rerun of a snapshot skips the steps whose inputs are unchanged and whose published
 * outputs are in place, runs again what changed and what depends on it, and never takes a step as done
 * before what it made was published.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectFingerprint } from '../src/pipeline/fingerprints.js';
import { readMemo, writeMemo } from '../src/pipeline/memo.js';
import { runPipeline, type Pipeline, type RunContext, type RunRecord, type Staged, type Step } from '../src/pipeline/runner.js';
import { silentLog } from './support/small-world-lake.js';
import { makeLocalStore, type TestStore } from './support/test-stores.js';
import { memoKey } from '../src/lake/paths.js';

interface ToyContext extends RunContext {
  ran: string[];
  /** The publish step fails when set. */
  failPublish?: boolean;
}

/** An object made in memory, put in the store by a write step. */
interface ToyStaged extends Staged {
  key: string;
  body: string;
}

const staged = (key: string, body: string): ToyStaged => ({ key, body, discard: async () => undefined });

/** Makes `tables/<id>` from the object `in/<id>`, staged until a publish step. */
function make(id: string): Step<ToyContext, ToyStaged> {
  return {
    name: `make-${id}`,
    description: id,
    inputs: [`in/${id}`],
    outputs: [`tables/${id}`],
    fingerprint: async (ctx) => objectFingerprint(ctx.store, `in/${id}`),
    async run(ctx) {
      ctx.ran.push(`make-${id}`);
      const body = `${(await ctx.store.getBytes(`in/${id}`)).toString()} made`;
      return { rowsIn: 1, rowsOut: 1, skipped: {}, outputs: [`tables/${id}`], counts: { [id]: 1 }, staged: [staged(`tables/${id}/part-0`, body)] };
    },
  };
}

function publish(name: string, failing = false): Step<ToyContext, ToyStaged> {
  return {
    name,
    description: 'write what was staged',
    inputs: [],
    outputs: [],
    kind: 'write',
    async write(ctx, items) {
      ctx.ran.push(name);
      if (failing && ctx.failPublish === true) throw new Error('the store went away');
      for (const { key, body } of items) await ctx.store.put(key, body);
      return { rowsIn: items.length, rowsOut: items.length, skipped: {}, outputs: items.map((i) => i.key) };
    },
  };
}

/** Joins the published tables into `final/part-0` (an input read from the lake). */
const join: Step<ToyContext, ToyStaged> = {
  name: 'join',
  description: 'a and b into final',
  inputs: ['tables/a', 'tables/b'],
  outputs: ['final'],
  fingerprint: async (ctx) => ({ ...(await objectFingerprint(ctx.store, 'tables/a/part-0')), ...(await objectFingerprint(ctx.store, 'tables/b/part-0')) }),
  async run(ctx) {
    ctx.ran.push('join');
    const body = `${(await ctx.store.getBytes('tables/a/part-0')).toString()} + ${(await ctx.store.getBytes('tables/b/part-0')).toString()}`;
    return { rowsIn: 2, rowsOut: 1, skipped: {}, outputs: ['final'], staged: [staged('final/part-0', body)] };
  },
};

const toy: Pipeline<ToyContext, ToyStaged> = {
  name: 'toy',
  description: 'a toy with two makers, a publish, a join, an upload and a publish',
  sources: [],
  schedule: { cron: '0 3 * * *', timeZone: 'Etc/UTC', why: 'test' },
  steps: [make('a'), make('b'), publish('publish'), join, publish('upload'), publish('release', true)],
};

describe('step memos', () => {
  let t: TestStore;
  const run = async (extra: Partial<ToyContext> = {}): Promise<{ record: RunRecord; ran: string[] }> => {
    const ctx: ToyContext = { store: t.store, snapshot: '2026-11-01', log: silentLog, ran: [], ...extra };
    const record = await runPipeline(toy, ctx);
    return { record, ran: ctx.ran };
  };
  const outcomes = (r: RunRecord) => Object.fromEntries(r.steps.map((s) => [s.name, s.outcome]));

  beforeEach(async () => {
    t = await makeLocalStore();
    await t.store.put('in/a', 'A1');
    await t.store.put('in/b', 'B1');
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('skips every step of a rerun whose inputs are unchanged, saying since which run, and reports what that run counted', async () => {
    const first = await run();
    expect(first.ran).toEqual(['make-a', 'make-b', 'publish', 'join', 'upload', 'release']);
    expect(first.record.steps.map((s) => s.ranBecause)).toEqual(['no memo of an earlier run', 'no memo of an earlier run', undefined, 'no memo of an earlier run', undefined, undefined]);
    const again = await run();
    expect(again.ran).toEqual([]);
    expect(again.record.outcome).toBe('succeeded');
    expect(Object.values(outcomes(again.record))).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    const a = again.record.steps[0];
    expect(a?.skippedBecause).toBe(`inputs unchanged since run ${first.record.runId}, its outputs in place`);
    expect(a?.counts).toEqual({ a: 1 });
    expect(a?.outputs).toEqual(['tables/a/part-0']);
    expect((await t.store.getBytes('final/part-0')).toString()).toBe('A1 made + B1 made');
  });

  it('runs again the step whose input changed and the steps reading what it made, and skips the rest', async () => {
    await run();
    await t.store.put('in/b', 'B2');
    const second = await run();
    expect(second.ran).toEqual(['make-b', 'publish', 'join', 'upload', 'release']);
    expect(second.record.steps[1]?.ranBecause).toBe('inputs changed: in/b');
    expect(second.record.steps[3]?.ranBecause).toBe('inputs changed: tables/b/part-0');
    expect((await t.store.getBytes('final/part-0')).toString()).toBe('A1 made + B2 made');
    // make-a's memo still holds: its output was not touched by the publish that wrote b.
    expect((await run()).ran).toEqual([]);
  });

  it('runs a step again when an output published from it is gone or was replaced', async () => {
    await run();
    await t.store.delete('tables/a/part-0');
    const gone = await run();
    expect(gone.ran).toEqual(['make-a', 'publish', 'join', 'upload', 'release']);
    expect(gone.record.steps[0]?.ranBecause).toBe('output tables/a/part-0 is gone');
    await t.store.put('final/part-0', 'someone else');
    const replaced = await run();
    expect(replaced.ran).toEqual(['join', 'upload', 'release']);
    expect(replaced.record.steps[3]?.ranBecause).toBe('output final/part-0 was replaced');
    expect((await t.store.getBytes('final/part-0')).toString()).toBe('A1 made + B1 made');
  });

  it('writes a memo only once the last step writing the group has published: a failed publish leaves the step to run again', async () => {
    await run();
    await t.store.put('in/a', 'A2');
    const failed = await run({ failPublish: true });
    expect(failed.record.outcome).toBe('failed');
    // upload published, release failed: the join is not taken as done.
    expect(failed.ran).toEqual(['make-a', 'publish', 'join', 'upload', 'release']);
    expect((await readMemo(t.store, '2026-11-01', 'toy/join'))?.runId).not.toBe(failed.record.runId);
    expect((await readMemo(t.store, '2026-11-01', 'toy/make-a'))?.runId).toBe(failed.record.runId);
    const next = await run();
    expect(next.ran).toEqual(['join', 'upload', 'release']);
    expect(next.record.outcome).toBe('succeeded');
  });

  it('runs every step again under another ipreg version', async () => {
    await run();
    const memo = await readMemo(t.store, '2026-11-01', 'toy/make-a');
    expect(memo).toBeDefined();
    await writeMemo(t.store, { ...(memo as NonNullable<typeof memo>), version: '0.0.1' });
    const again = await run();
    expect(again.ran).toEqual(['make-a', 'publish', 'join', 'upload', 'release']);
    expect(again.record.steps[0]?.ranBecause).toBe('made by ipreg 0.0.1');
    expect(await t.store.head(memoKey('2026-11-01', 'toy/make-a'))).toBeDefined();
  });
});
