/**
 * The step contract: a make step returns what it staged, the runner hands it to the write steps after
 * it (and to later make steps of the same group), and drops everything once written, or when the run
 * fails or stops before writing it. No step reads what another left in the context.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPipeline, type Pipeline, type RunContext, type Staged, type Step } from '../src/pipeline/runner.js';
import { silentLog } from './support/small-world-lake.js';
import { makeLocalStore, type TestStore } from './support/test-stores.js';

interface Item extends Staged {
  id: string;
}

/** What the toy steps saw and which items were dropped, in order. */
interface Seen {
  earlier: Record<string, string[]>;
  written: Record<string, string[]>;
  dropped: string[];
}

function item(id: string, seen: Seen): Item {
  return { id, discard: async () => void seen.dropped.push(id) };
}

function maker(name: string, seen: Seen, fail = false): Step<RunContext, Item> {
  return {
    name,
    description: name,
    inputs: [],
    outputs: [],
    async run(_ctx, _log, earlier) {
      seen.earlier[name] = earlier.map((e) => e.id);
      if (fail) throw new Error(`${name} broke`);
      return { rowsIn: 0, rowsOut: 1, skipped: {}, outputs: [], staged: [item(`${name}-out`, seen)] };
    },
  };
}

function writer(name: string, seen: Seen, handOn = false, fail = false): Step<RunContext, Item> {
  return {
    name,
    description: name,
    inputs: [],
    outputs: [],
    kind: 'write',
    async write(ctx, staged) {
      seen.written[name] = staged.map((s) => s.id);
      if (fail) throw new Error(`${name} broke`);
      for (const s of staged) await ctx.store.put(`out/${s.id}`, s.id);
      return { rowsIn: staged.length, rowsOut: staged.length, skipped: {}, outputs: staged.map((s) => `out/${s.id}`), ...(handOn ? { staged: [item(`${name}-handed`, seen)] } : {}) };
    },
  };
}

function pipeline(steps: Step<RunContext, Item>[]): Pipeline<RunContext, Item> {
  return { name: 'staged-toy', description: 'toy', sources: [], schedule: { cron: '0 3 * * *', timeZone: 'Etc/UTC', why: 'test' }, steps };
}

describe('staged outputs', () => {
  let t: TestStore;
  let seen: Seen;
  const ctx = (): RunContext => ({ store: t.store, snapshot: '2026-11-01', log: silentLog });
  beforeEach(async () => {
    t = await makeLocalStore();
    seen = { earlier: {}, written: {}, dropped: [] };
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('hands each write step what its group made, then what the write step before it handed on, and drops each once written', async () => {
    const steps = [maker('a', seen), maker('b', seen), writer('publish-1', seen), maker('c', seen), writer('upload', seen, true), writer('publish-2', seen)];
    const record = await runPipeline(pipeline(steps), ctx());
    expect(record.outcome, record.error).toBe('succeeded');
    // A make step sees what its own group staged before it, never what an earlier group's write step took.
    expect(seen.earlier).toEqual({ a: [], b: ['a-out'], c: [] });
    expect(seen.written).toEqual({ 'publish-1': ['a-out', 'b-out'], upload: ['c-out'], 'publish-2': ['upload-handed'] });
    expect(seen.dropped).toEqual(['a-out', 'b-out', 'c-out', 'upload-handed']);
    expect(record.steps.map((s) => Object.keys(s))).not.toContainEqual(expect.arrayContaining(['staged']));
  });

  it('drops what earlier steps staged when a make step fails, and writes nothing', async () => {
    const record = await runPipeline(pipeline([maker('a', seen), maker('b', seen, true), writer('publish', seen)]), ctx());
    expect(record.outcome).toBe('failed');
    expect(record.error).toBe('b: b broke');
    expect(seen.dropped).toEqual(['a-out']);
    expect(seen.written).toEqual({});
    expect(record.steps.map((s) => s.outcome)).toEqual(['succeeded', 'failed']);
  });

  it('drops what a failing write step was given', async () => {
    const record = await runPipeline(pipeline([maker('a', seen), writer('publish', seen, false, true)]), ctx());
    expect(record.outcome).toBe('failed');
    expect(seen.dropped).toEqual(['a-out']);
  });

  it('drops what was staged when the run is stopped before the write step', async () => {
    const stop = new AbortController();
    const stopping: Step<RunContext, Item> = {
      name: 'a',
      description: 'a',
      inputs: [],
      outputs: [],
      run: async () => {
        stop.abort();
        return { rowsIn: 0, rowsOut: 1, skipped: {}, outputs: [], staged: [item('a-out', seen)] };
      },
    };
    const record = await runPipeline(pipeline([stopping, writer('publish', seen)]), ctx(), { signal: stop.signal });
    expect(record.outcome).toBe('stopped');
    expect(seen.dropped).toEqual(['a-out']);
    expect(seen.written).toEqual({});
    expect(await t.store.head('out/a-out')).toBeUndefined();
  });
});
