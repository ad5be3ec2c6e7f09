/** `nightly` end to end on the bundled small world, into a local folder and into the S3 test server. */
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { nightly } from '../pipelines/nightly.js';
import { registers } from '../pipelines/registers.js';
import { readLatest } from '../src/index-file/pointer.js';
import { openIndex } from '../src/index-file/read.js';
import { runPipeline, type RunRecord } from '../src/pipeline/runner.js';
import { listAll, type ObjectStore } from '../src/store/store.js';
import { SAMPLES, SNAPSHOT, WORLD, lakeOutputs, nightlyContext } from './support/small-world-lake.js';
import { makeLocalStore, makeS3Store, type TestStore } from './support/test-stores.js';
import { SUPPRESSION_KEY } from '../src/lake/paths.js';

const context = (store: ObjectStore, snapshot = SNAPSHOT, world = WORLD) => nightlyContext(store, snapshot, world);

interface Truth {
  address: string;
  klass: string;
  register: string;
  registerId: string;
  lei: string;
}

async function truthSamples(): Promise<Truth[]> {
  const rows = (await readFile(new URL('truth/sample-addresses.csv', SAMPLES), 'utf8')).trim().split('\n').slice(1);
  return rows.map((line) => {
    const [address, , klass, register, registerId, lei] = line.split(',') as string[];
    return { address: address as string, klass: klass as string, register: register ?? '', registerId: registerId ?? '', lei: lei ?? '' };
  });
}

describe.each([
  { name: 'local folder', make: makeLocalStore },
  { name: 's3', make: () => makeS3Store() },
])('nightly into a $name store', ({ name, make }) => {
  let t: TestStore;
  let first: RunRecord;
  beforeAll(async () => {
    t = await make();
    await t.store.put(SUPPRESSION_KEY, await readFile(new URL('truth/suppression.csv', SAMPLES)));
    first = await runPipeline(nightly, context(t.store));
  }, 120_000);
  afterAll(async () => {
    await t.dispose();
  });

  it('runs every step of every pipeline, in order, and records each with its inputs', () => {
    expect(first.error).toBeUndefined();
    expect(first.outcome).toBe('succeeded');
    expect(first.steps.map((s) => s.name)).toEqual(nightly.steps.map((s) => s.name));
    expect(first.steps.every((s) => s.outcome === 'succeeded')).toBe(true);
    const byName = new Map(first.steps.map((s) => [s.name, s]));
    // Source files as fetched, raw objects as read, lake parts as read: each with a sha256.
    for (const step of ['ip-allocations/raw', 'ip-allocations/inetnums', 'registers/gleif-lei', 'links/company_links', 'index/index']) {
      const inputs = byName.get(step)?.inputs ?? [];
      expect(inputs.length, step).toBeGreaterThan(0);
      for (const i of inputs) expect(i.sha256, `${step} ${i.key}`).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('publishes an index that answers the truth\'s sample addresses', async () => {
    const latest = await readLatest(t.store);
    expect(latest?.value.snapshot).toBe(SNAPSHOT);
    const reader = openIndex(await t.store.getBytes(latest?.value.index.key as string));
    const samples = await truthSamples();
    let sameClass = 0;
    let named = 0;
    let namedRight = 0;
    for (const s of samples) {
      const answer = reader.lookup(s.address);
      expect(answer, s.address).toBeDefined();
      if (answer?.class === s.klass) sameClass++;
      const company = answer?.company;
      if (company === null || company === undefined) continue;
      named++;
      if ((company.register === s.register && company.registerId === s.registerId) || (s.lei !== '' && company.lei === s.lei)) namedRight++;
    }
    expect(sameClass / samples.length).toBeGreaterThan(0.9);
    expect(named).toBeGreaterThan(samples.length / 4);
    expect(namedRight / named).toBeGreaterThan(0.98);
  });

  it('gives the same outputs when the snapshot is run again', async (ctx) => {
    if (name !== 'local folder') ctx.skip();
    const before = await lakeOutputs(t.store);
    const again = await runPipeline(nightly, context(t.store));
    expect(again.outcome).toBe('succeeded');
    expect(await lakeOutputs(t.store)).toEqual(before);
    // Nothing changed: only the raw steps ran (asking the sources whether their files changed).
    expect(again.steps.filter((s) => s.outcome !== 'skipped').map((s) => s.name)).toEqual(['ip-allocations/raw', 'registers/raw']);

    // One register's published partition gone: that register is made again, and what reads the companies.
    const part = [...before.keys()].find((k) => k.startsWith('tables/companies/register=ee-rik/')) as string;
    await t.store.delete(part);
    const repair = await runPipeline(nightly, context(t.store));
    expect(repair.steps.filter((s) => s.outcome === 'succeeded').map((s) => s.name)).toEqual([
      'ip-allocations/raw', 'registers/raw', 'registers/ee-rik', 'registers/publish', 'links/company_links', 'links/publish', 'index/index', 'index/upload', 'index/publish',
    ]);
    expect(await lakeOutputs(t.store)).toEqual(before);

    // One register alone (`--only`): GLEIF's crosswalk is read from its published partition, to the same bytes.
    const alone = await runPipeline(registers, { ...context(t.store), only: 'fr-sirene' });
    expect(alone.steps.find((s) => s.name === 'fr-sirene')?.inputs?.map((i) => i.key)).toContain(`tables/companies/register=gleif-lei/snapshot=${SNAPSHOT}/part-00000.parquet`);
    expect(await lakeOutputs(t.store)).toEqual(before);
  }, 120_000);
});

describe('a quality gate that fails', () => {
  let t: TestStore;
  let world: string;
  beforeAll(async () => {
    t = await makeLocalStore();
    // The next day's world: the Estonian register's file cut to half its lines.
    world = await mkdtemp(join(tmpdir(), 'ipreg-cut-world-'));
    await cp(WORLD, world, { recursive: true });
    // GLEIF's files carry their day in their names (Companies House's, its month).
    for (const [folder, from, to] of [
      ['gleif-lei', '20261101-0800-gleif-goldencopy-lei2-golden-copy.csv', '20261102-0800-gleif-goldencopy-lei2-golden-copy.csv'],
      ['gleif-lei', '20261101-0800-gleif-goldencopy-rr-golden-copy.csv', '20261102-0800-gleif-goldencopy-rr-golden-copy.csv'],
    ] as const) {
      await rename(join(world, folder, from), join(world, folder, to));
    }
    const file = join(world, 'ee-rik', 'ettevotja_rekvisiidid__lihtandmed.csv');
    const lines = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, `${lines.slice(0, Math.floor(lines.length / 2)).join('\n')}\n`);
  });
  afterAll(async () => {
    await t.dispose();
    await rm(world, { recursive: true, force: true });
  });

  it('stops the run before its pipeline publishes, names the gate, the value and the limit, and leaves index/latest.json as it was', async () => {
    await t.store.put(SUPPRESSION_KEY, await readFile(new URL('truth/suppression.csv', SAMPLES)));
    const good = await runPipeline(nightly, context(t.store), { maxDropShare: 0.25 });
    expect(good.outcome).toBe('succeeded');
    const pointer = await t.store.head('index/latest.json');
    const before = (await readLatest(t.store))?.value.buildId;

    const cut = await runPipeline(nightly, context(t.store, '2026-11-02', world), { maxDropShare: 0.25 });
    expect(cut.outcome).toBe('failed');
    const failed = cut.steps.at(-1);
    expect(failed?.name).toBe('registers/ee-rik');
    expect(failed?.comparedWith).toEqual({ runId: good.runId, snapshot: SNAPSHOT });
    const was = good.steps.find((s) => s.name === 'registers/ee-rik')?.counts?.['companies/ee-rik'] as number;
    const now = failed?.counts?.['companies/ee-rik'] as number;
    expect(now).toBeLessThan(was * 0.75);
    expect(cut.error).toBe(`registers/ee-rik: quality gate failed: companies/ee-rik: rows against the last good snapshot is ${now}, the limit ≥ ${Math.ceil(was * 0.75)} (${was} then, at most 25 % fewer); the steps after registers/ee-rik did not run`);
    expect(cut.steps.some((s) => s.name === 'registers/publish')).toBe(false);
    // Nothing of the registers for the new day, and the pointer untouched.
    for await (const o of listAll(t.store, 'tables/companies/')) expect(o.key).not.toContain('snapshot=2026-11-02');
    expect((await t.store.head('index/latest.json'))?.etag).toBe(pointer?.etag);
    expect((await readLatest(t.store))?.value.buildId).toBe(before);
    // The other gates of the step were measured and passed.
    expect(failed?.gates?.filter((g) => g.passed).map((g) => g.gate)).toEqual(expect.arrayContaining(['companies of ee-rik: share of rows without name', 'companies of ee-rik: share of rows without city']));
  }, 120_000);
});
