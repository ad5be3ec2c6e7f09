/** `nightly` end to end on the bundled small world, into a local folder and into the S3 test server. */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { nightly } from '../pipelines/nightly.js';
import { registers } from '../pipelines/registers.js';
import { readLatest } from '../src/index-file/pointer.js';
import { openIndex } from '../src/index-file/read.js';
import { runPipeline, type RunRecord } from '../src/pipeline/runner.js';
import { listAll, type ObjectStore } from '../src/store/store.js';
import { SAMPLES, SNAPSHOT, WORLD, lakeOutputs, nextDayWorld, nightlyContext } from './support/small-world-lake.js';
import { makeLocalStore, makeS3Store, type TestStore } from './support/test-stores.js';
import { SUPPRESSION_KEY } from '../src/lake/paths.js';
import { collect } from './support/collect.js';

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
  const EE = 'ee-rik/ettevotja_rekvisiidid__lihtandmed.csv';
  /** The next day's world with the Estonian register's file cut to `share` of its lines (and declared so). */
  const cutWorld = (prefix: string, share: number) =>
    nextDayWorld(prefix, async (world) => {
      const lines = (await readFile(join(world, EE), 'utf8')).split('\n');
      await writeFile(join(world, EE), `${lines.slice(0, Math.floor(lines.length * share)).join('\n')}\n`);
      return [EE];
    });
  let t: TestStore;
  let fresh: TestStore;
  let world: string;
  let half: string;
  beforeAll(async () => {
    [t, fresh] = await Promise.all([makeLocalStore(), makeLocalStore()]);
    // 85 % of the lines: inside what world.json declares (± a fifth), 15 % fewer than published.
    world = await cutWorld('ipreg-cut-world-', 0.85);
    half = await cutWorld('ipreg-half-world-', 0.5);
  });
  afterAll(async () => {
    await Promise.all([t.dispose(), fresh.dispose()]);
    await Promise.all([world, half].map((w) => rm(w, { recursive: true, force: true })));
  });

  it('stops the run before its pipeline publishes, names the gate, the value and the limit, and leaves index/latest.json as it was', async () => {
    await t.store.put(SUPPRESSION_KEY, await readFile(new URL('truth/suppression.csv', SAMPLES)));
    const good = await runPipeline(nightly, context(t.store), { maxDropShare: 0.1 });
    expect(good.outcome).toBe('succeeded');
    const pointer = await t.store.head('index/latest.json');
    const before = (await readLatest(t.store))?.value.buildId;

    const cut = await runPipeline(nightly, context(t.store, '2026-11-02', world), { maxDropShare: 0.1 });
    expect(cut.outcome).toBe('failed');
    const failed = cut.steps.at(-1);
    expect(failed?.name).toBe('registers/ee-rik');
    // Held against the partition in the lake, its rows read from its Parquet footers.
    const was = good.steps.find((s) => s.name === 'registers/ee-rik')?.rowsOut as number;
    const now = failed?.partitions?.[0]?.rows as number;
    expect(failed?.comparedWith).toEqual([{ folder: `tables/companies/register=ee-rik/snapshot=${SNAPSHOT}`, snapshot: SNAPSHOT, rows: was }]);
    expect(now).toBeLessThan(was * 0.9);
    expect(cut.error).toBe(`registers/ee-rik: quality gate failed: companies/register=ee-rik: rows against the snapshot ${SNAPSHOT} published is ${now}, the limit ≥ ${Math.ceil(was * 0.9)} (${was} then, at most 10 % fewer); the steps after registers/ee-rik did not run (to publish anyway, run again with --force)`);
    expect(cut.steps.some((s) => s.name === 'registers/publish')).toBe(false);
    // Nothing of the registers for the new day, and the pointer untouched.
    for await (const o of listAll(t.store, 'tables/companies/')) expect(o.key).not.toContain('snapshot=2026-11-02');
    expect((await t.store.head('index/latest.json'))?.etag).toBe(pointer?.etag);
    expect((await readLatest(t.store))?.value.buildId).toBe(before);
    // The other gates of the step were measured and passed: the declared floor among them.
    expect(failed?.gates?.filter((g) => g.passed).map((g) => g.gate)).toEqual(expect.arrayContaining(['companies of ee-rik: share of rows without name', 'companies of ee-rik: share of rows without city', 'ee-rik: records read']));
  }, 120_000);

  it('holds whichever pipeline runs next to what the nightly published: `ipreg run registers` fails the same gate', async () => {
    const alone = await runPipeline(registers, { ...context(t.store, '2026-11-02', world), only: 'ee-rik' }, { maxDropShare: 0.1 });
    expect(alone.outcome).toBe('failed');
    expect(alone.error).toMatch(/^ee-rik: quality gate failed: companies\/register=ee-rik: rows against the snapshot 2026-11-01 published is \d+/);
    for await (const o of listAll(t.store, 'tables/companies/')) expect(o.key).not.toContain('snapshot=2026-11-02');
  }, 60_000);

  it('publishes when forced, with every overridden gate in the run record', async () => {
    const forced = await runPipeline(registers, { ...context(t.store, '2026-11-02', world), only: 'ee-rik', force: true }, { maxDropShare: 0.1 });
    expect(forced.outcome, forced.error).toBe('succeeded');
    const step = forced.steps.find((s) => s.name === 'ee-rik');
    expect(step?.gates?.filter((g) => g.overridden === true).map((g) => g.gate)).toEqual(['companies/register=ee-rik: rows against the snapshot 2026-11-01 published']);
    expect(forced.forced?.gates).toEqual([expect.stringMatching(/^ee-rik: companies\/register=ee-rik: rows against the snapshot 2026-11-01 published is \d+, the limit ≥ \d+/)]);
    const published = await collect(listAll(t.store, 'tables/companies/register=ee-rik/snapshot=2026-11-02/'));
    expect(published.length).toBeGreaterThan(0);
    // The stored record says so too.
    const stored = JSON.parse((await t.store.getBytes(`runs/registers/${forced.runId}.json`)).toString('utf8')) as RunRecord;
    expect(stored.forced).toEqual(forced.forced);
  }, 60_000);

  it('holds a source with no history to its declared floor: a lake\'s first run on a half-cut register fails', async () => {
    const first = await runPipeline(registers, { ...context(fresh.store, '2026-11-02', half), only: 'ee-rik' }, { maxDropShare: 0.1 });
    expect(first.outcome).toBe('failed');
    const step = first.steps.find((s) => s.name === 'ee-rik');
    expect(step?.comparedWith).toBeUndefined();
    expect(first.error).toMatch(/^ee-rik: quality gate failed: ee-rik: records read is \d+, the limit 640 to 1,000 \(800 records in world\.json, ± a fifth\)/);
    for await (const o of listAll(fresh.store, 'tables/')) expect(o.key).toBeUndefined();
  }, 60_000);

  it('refuses a world file that differs from what world.json declares: cut short, nothing landed or published', async () => {
    const cut = await nextDayWorld('ipreg-undeclared-cut-');
    const lake = await makeLocalStore();
    try {
      const bytes = await readFile(join(cut, EE));
      await writeFile(join(cut, EE), bytes.subarray(0, bytes.length - 100));
      const run = await runPipeline(registers, { ...context(lake.store, '2026-11-02', cut), only: 'ee-rik' });
      expect(run.outcome).toBe('failed');
      expect(run.error).toBe(`raw: ee-rik: ${join(cut, EE)} is ${bytes.length - 100} bytes, world.json declares ${bytes.length}: the file was cut short after the world was written; nothing was landed`);
      // Same size, one byte changed: its sha256 says so.
      const changed = Buffer.from(bytes);
      changed[changed.length - 2] = changed[changed.length - 2] === 0x41 ? 0x42 : 0x41;
      await writeFile(join(cut, EE), changed);
      const again = await runPipeline(registers, { ...context(lake.store, '2026-11-02', cut), only: 'ee-rik' });
      expect(again.error).toMatch(new RegExp(`^raw: ee-rik: ${join(cut, EE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has sha256 [0-9a-f]{64}, world.json declares [0-9a-f]{64}: the file changed after the world was written; nothing was landed$`));
      for await (const o of listAll(lake.store, 'raw/ee-rik/')) expect(o.key).toBeUndefined();
    } finally {
      await Promise.all([rm(cut, { recursive: true, force: true }), lake.dispose()]);
    }
  }, 60_000);
});
