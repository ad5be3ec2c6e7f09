/** The index pipeline end to end on the small world: build, verify, publish, gates, rollback, objections, export. */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Reader } from 'maxmind';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { collect } from './support/collect.js';
import { indexBuildOnly, indexPipeline, type IndexContext } from '../pipelines/index-build.js';

import { publishBuild, readLatest, readManifest, type LatestPointer } from '../src/index-build/publish.js';
import { LATEST_KEY } from '../src/lake/paths.js';
import { IpregError, PreconditionFailedError } from '../src/errors.js';
import { openIndex, type IndexReader } from '../src/index-file/read.js';
import { runPipeline } from '../src/pipeline/runner.js';
import { listAll, type ObjectStore } from '../src/store/store.js';
import { openDuckDb, queryRows } from './support/duckdb.js';
import { runCli } from './support/run-cli.js';
import { loadSmallWorld, silentLog, SNAPSHOT } from './support/small-world-lake.js';
import { useTempDir } from './support/temp-dir.js';
import { cliEnvironment, localCopies, makeLocalStore, makeS3Store, type TestStore } from './support/test-stores.js';
import { CORRECTIONS_KEY, SUPPRESSION_KEY } from '../src/lake/paths.js';

const log = silentLog;
const tempDir = useTempDir('index-build');

function context(store: ObjectStore, extra: Partial<IndexContext> = {}): IndexContext {
  return { store, snapshot: SNAPSHOT, log, index: { maxDropShare: 0.1 }, ...extra };
}

async function publishedIndex(store: ObjectStore): Promise<{ reader: IndexReader; pointer: LatestPointer }> {
  const latest = await readLatest(store);
  if (latest === undefined) throw new Error('nothing published');
  return { reader: openIndex(await store.getBytes(latest.value.index.key)), pointer: latest.value };
}

/** A table's Parquet files of the test snapshot, copied to local files, as a SQL list. */
async function snapshotList(store: ObjectStore, table: string): Promise<string> {
  const files = (await localCopies(store, `tables/${table}/`, tempDir())).filter((f) => f.includes(`snapshot=${SNAPSHOT}`));
  return `[${files.map((f) => `'${f}'`).join(', ')}]`;
}

/** The published ip_ranges, copied to local files. */
async function ipRangeFiles(store: ObjectStore): Promise<string[]> {
  return localCopies(store, `tables/ip_ranges/snapshot=${SNAPSHOT}/`, tempDir());
}

describe.each([
  { name: 'local folder', make: () => makeLocalStore(), faithful: () => true },
  { name: 's3', make: () => makeS3Store(), faithful: () => inject('s3EnforcesConditionalWrites') },
])('the index on the small world in a $name lake', ({ make, faithful }) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await make();
    await loadSmallWorld(t.store);
    const record = await runPipeline(indexPipeline, context(t.store));
    expect(record.outcome, record.error).toBe('succeeded');
  }, 180_000);
  afterAll(async () => {
    await t.dispose();
  });

  it('publishes a verified build whose ranges are exactly the ip_ranges table', async () => {
    const { reader, pointer } = await publishedIndex(t.store);
    const manifest = await readManifest(t.store, pointer.buildId);
    expect(manifest.checks.length).toBeGreaterThan(5);
    expect(manifest.inputs.map((i) => i.key)).toContain(SUPPRESSION_KEY);
    const duck = await openDuckDb();
    try {
      const files = await ipRangeFiles(t.store);
      const rows = await queryRows(duck, `SELECT first_address, last_address, range_class, company_name, register_id, build_id FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`);
      expect(rows.length).toBe(manifest.counts.answeredRanges);
      for (const row of rows) {
        for (const ip of [row['first_address'], row['last_address']] as string[]) {
          const got = reader.lookup(ip);
          expect({ ip, class: got?.class, company: got?.company?.name ?? null, id: got?.company?.registerId ?? null }).toEqual({ ip, class: row['range_class'], company: row['company_name'], id: row['register_id'] });
        }
        expect(row['build_id']).toBe(pointer.buildId);
      }
    } finally {
      duck.closeSync();
    }
  });

  it("tells each linked company's city, industry codes and website as its register publishes them", async () => {
    const { reader } = await publishedIndex(t.store);
    const companies = new Map<string, NonNullable<ReturnType<IndexReader['record']>['company']>>();
    for (const family of [4, 6] as const) {
      for (const r of reader.ranges(family)) {
        const company = r.recordId === 0xffffffff ? null : reader.record(r.recordId).company;
        if (company !== null) companies.set(`${company.register}/${company.registerId}`, company);
      }
    }
    expect(companies.size).toBeGreaterThan(3);
    const duck = await openDuckDb();
    try {
      const files = await localCopies(t.store, `tables/companies/`, tempDir());
      const rows = await queryRows(duck, `SELECT regexp_extract(filename, 'register=([a-z-]+)', 1) AS register, register_id, city, industry_scheme, industry_codes, website
        FROM read_parquet([${files.filter((f) => f.includes(`snapshot=${SNAPSHOT}`)).map((f) => `'${f}'`).join(', ')}], filename = true, union_by_name = true)`);
      const published = new Map(rows.map((row) => [`${row['register']}/${row['register_id']}`, row]));
      let withDetails = 0;
      for (const [key, company] of companies) {
        const row = published.get(key);
        const codes = (row?.['industry_codes'] as string[] | null | undefined) ?? [];
        expect({ key, city: company.city, industry: company.industry, website: company.website }).toEqual({
          key,
          city: ((row?.['city'] as string | null) ?? '').trim() || null,
          industry: codes.length === 0 ? null : { scheme: row?.['industry_scheme'], codes },
          website: ((row?.['website'] as string | null) ?? '').trim() || null,
        });
        if (company.city !== null && company.industry !== null) withDetails++;
      }
      expect(withDetails).toBeGreaterThan(0);
    } finally {
      duck.closeSync();
    }
  });

  it('answers a customer assignment with its company and an access pool inside the same allocation with no company', async () => {
    const { reader } = await publishedIndex(t.store);
    const duck = await openDuckDb();
    try {
      const linkFiles = await localCopies(t.store, `tables/company_links/snapshot=${SNAPSHOT}/`, tempDir());
      // Leaves: ranges no other range nests in. Each answers for its own first address.
      const leaves = await queryRows(duck, `WITH l AS (SELECT * FROM read_parquet([${linkFiles.map((f) => `'${f}'`).join(', ')}]))
        SELECT a.first_address, a.range_class, a.outcome, a.company_name FROM l a
        WHERE NOT EXISTS (SELECT 1 FROM l b WHERE b.family = a.family AND b.first_key >= a.first_key AND b.last_key <= a.last_key AND (b.first_key, b.last_key) <> (a.first_key, a.last_key))
          AND NOT EXISTS (SELECT 1 FROM l b WHERE b.family = a.family AND b.first_key = a.first_key AND b.last_key = a.last_key AND (b.whois_source, b.object_line) <> (a.whois_source, a.object_line))`);
      const access = leaves.filter((l) => l['range_class'] === 'isp' || l['range_class'] === 'mobile');
      const linked = leaves.filter((l) => l['outcome'] === 'linked');
      expect(access.length).toBeGreaterThan(50);
      expect(linked.length).toBeGreaterThan(500);
      for (const l of access) {
        const got = reader.lookup(l['first_address'] as string);
        expect({ ip: l['first_address'], class: got?.class, company: got?.company ?? null }).toEqual({ ip: l['first_address'], class: l['range_class'], company: null });
      }
      for (const l of linked) expect(reader.lookup(l['first_address'] as string)?.company?.name).toBe(l['company_name']);
    } finally {
      duck.closeSync();
    }
  });

  it('gives each range the network that announces it — the most specific routed prefix — cut where that network changes, and credits the routing data', async () => {
    const { reader } = await publishedIndex(t.store);
    const duck = await openDuckDb();
    try {
      // What a router would pick for each range's first and last address: the smallest announced range holding it.
      const rows = await queryRows(duck, `WITH r AS (SELECT * FROM read_parquet(${await snapshotList(t.store, 'ip_ranges')})),
          p AS (SELECT * FROM read_parquet(${await snapshotList(t.store, 'routed_prefixes')}, hive_partitioning = true)),
          n AS (SELECT asn, min(as_name) AS as_name FROM read_parquet(${await snapshotList(t.store, 'as_names')}) GROUP BY asn),
          ends AS (SELECT family, first_address AS address, first_key AS k, first_v4 AS v4, asn, as_name, sources FROM r
            UNION ALL SELECT family, last_address, last_key, last_v4, asn, as_name, sources FROM r)
        SELECT w.*, n.as_name AS routed_name FROM (
          SELECT e.family, e.address, e.asn, e.as_name, e.sources,
            (SELECT p.asn FROM p WHERE p.family = e.family AND p.first_key <= e.k AND p.last_key >= e.k AND p.asn > 0
               ORDER BY CASE WHEN e.family = 4 THEN p.last_v4 - p.first_v4 END, p.first_key DESC, p.last_key, p.asn LIMIT 1) AS routed_asn
          FROM ends e) w LEFT JOIN n ON n.asn = w.routed_asn`);
      const routed = rows.filter((row) => row['routed_asn'] !== null);
      expect(routed.length).toBeGreaterThan(1000);
      expect(rows.length - routed.length).toBeGreaterThan(0);
      for (const row of rows) {
        const want = { address: row['address'], asn: row['routed_asn'] === null ? null : Number(row['routed_asn']), asName: row['routed_name'] ?? null };
        expect({ address: row['address'], asn: row['asn'] === null ? null : Number(row['asn']), asName: row['as_name'] ?? null }).toEqual(want);
        const got = reader.lookup(row['address'] as string);
        expect({ address: row['address'], asn: got?.asn ?? null, asName: got?.asName ?? null }).toEqual(want);
        expect((row['sources'] as string[]).includes('ip-location-db-asn')).toBe(want.asn !== null);
      }
      const about = reader.meta().sources.find((source) => source.id === 'ip-location-db-asn');
      expect(about?.licence).toMatch(/CC BY 4\.0/);
    } finally {
      duck.closeSync();
    }
  });

  it('answers no region or placeholder as a country: EU, AP and ZZ of the RIR files are null', async () => {
    const { reader } = await publishedIndex(t.store);
    const duck = await openDuckDb();
    try {
      // The last address of an allocation answers with the allocation itself (the world leaves it to no child).
      const regional = await queryRows(duck, `SELECT country, last_address FROM read_parquet(${await snapshotList(t.store, 'ip_delegations')})
        WHERE country IN ('EU', 'AP') AND type = 'ipv4' AND status = 'allocated'`);
      // The world's RIR files use both codes, as the real ones do: the check has something to find.
      expect(new Set(regional.map((r) => r['country']))).toEqual(new Set(['EU', 'AP']));
      for (const r of regional) {
        const got = reader.lookup(r['last_address'] as string);
        expect({ address: r['last_address'], found: got !== undefined, country: got?.country }).toEqual({ address: r['last_address'], found: true, country: null });
      }
    } finally {
      duck.closeSync();
    }
    for (const family of [4, 6] as const) {
      for (const r of reader.ranges(family)) if (r.recordId !== 0xffffffff) expect(['EU', 'AP', 'ZZ', '']).not.toContain(reader.record(r.recordId).country);
    }
  });

  it('credits the sources each answer comes from', async () => {
    const { reader } = await publishedIndex(t.store);
    const record = [...reader.ranges(4)].map((r) => (r.recordId === 0xffffffff ? undefined : reader.record(r.recordId))).find((r) => r?.company?.register === 'gb-companies-house');
    expect(record?.sources).toContain('gb-companies-house');
    expect(record?.attribution).toContain('Open Government Licence v3.0');
  });

  it('rebuilds the same inputs into the same build, byte for byte', async () => {
    const before = await publishedIndex(t.store);
    const record = await runPipeline(indexBuildOnly, context(t.store));
    expect(record.outcome).toBe('succeeded');
    const buildId = record.steps.find((s) => s.name === 'upload')?.made?.['buildId'];
    expect(buildId).toBe(before.pointer.buildId);
    expect(record.steps.find((s) => s.name === 'index')?.made?.['buildId']).toBe(buildId);
    expect((await readManifest(t.store, buildId as string)).index.sha256).toBe(before.pointer.index.sha256);
  });

  it('honours an objection filed after the links were made: the company leaves the index and ip_ranges', async () => {
    const { reader } = await publishedIndex(t.store);
    const victim = [...reader.ranges(4)].map((r) => (r.recordId === 0xffffffff ? undefined : reader.record(r.recordId))).find((r) => r?.company?.register === 'fr-sirene')?.company;
    expect(victim).toBeDefined();
    const objections = (await t.store.getBytes(SUPPRESSION_KEY)).toString('utf8');
    await t.store.put(SUPPRESSION_KEY, `${objections.trimEnd()}\nfr-sirene,${victim?.registerId},\n`);
    try {
      const record = await runPipeline(indexPipeline, context(t.store));
      expect(record.outcome, record.error).toBe('succeeded');
      expect(record.steps[0]?.skipped?.['company suppressed (objection since linking)']).toBeGreaterThan(0);
      const after = await publishedIndex(t.store);
      const names = new Set([...after.reader.ranges(4), ...after.reader.ranges(6)].filter((r) => r.recordId !== 0xffffffff).map((r) => after.reader.record(r.recordId).company?.registerId));
      expect(names.has(victim?.registerId)).toBe(false);
      const duck = await openDuckDb();
      try {
        const [row] = await queryRows(duck, `SELECT count(*) FILTER (register_id = '${victim?.registerId}') AS n FROM read_parquet([${(await ipRangeFiles(t.store)).map((f) => `'${f}'`).join(', ')}])`);
        expect(Number(row?.['n'])).toBe(0);
      } finally {
        duck.closeSync();
      }
    } finally {
      await t.store.put(SUPPRESSION_KEY, objections);
    }
  });

  it('honours a class correction filed after the links were made: a company corrected to isp answers no company, and ipreg corrections lists and removes it', async () => {
    // The build of the lake as it is, without corrections: what the end of the test must come back to.
    expect((await runPipeline(indexPipeline, context(t.store))).outcome).toBe('succeeded');
    const { reader, pointer } = await publishedIndex(t.store);
    const before = pointer.buildId;
    const linked = [...reader.ranges(4)].map((r) => (r.recordId === 0xffffffff ? undefined : reader.record(r.recordId))).find((r) => r?.company?.register === 'no-brreg')?.company;
    expect(linked).toBeDefined();
    const cli = (args: string[]) => runCli(['--store', t.store.url, 'corrections', ...args], { env: cliEnvironment(t.store) });
    const value = `no-brreg:${linked?.registerId}`;
    const added = await cli(['add', '--by', 'register', '--value', value, '--class', 'isp', '--reason', 'a reseller of access lines']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe('corrections/classes.csv: 1 correction\n');
    expect((await cli(['add', '--by', 'asn', '--value', '1', '--class', 'isp', '--reason', 'x'])).code).not.toBe(0);
    const bad = await cli(['add', '--by', 'range', '--value', '10.0.0.0/33', '--class', 'isp', '--reason', 'x']);
    expect(bad.stderr).toContain('value "10.0.0.0/33" is not an address range');
    expect((await cli(['add', '--by', 'register', '--value', 'xx-nowhere:1', '--class', 'isp', '--reason', 'x'])).stderr).toContain('value "xx-nowhere:1" names no register of this lake');
    expect(JSON.parse((await cli(['list', '--json'])).stdout)).toEqual({ by: 'register', value, class: 'isp', reason: 'a reseller of access lines' });
    try {
      const record = await runPipeline(indexPipeline, context(t.store));
      expect(record.outcome, record.error).toBe('succeeded');
      const after = await publishedIndex(t.store);
      expect(after.pointer.buildId).not.toBe(before);
      const answers = [...after.reader.ranges(4), ...after.reader.ranges(6)].filter((r) => r.recordId !== 0xffffffff).map((r) => after.reader.record(r.recordId));
      expect(answers.some((a) => a.company?.register === 'no-brreg' && a.company.registerId === linked?.registerId)).toBe(false);
      expect(answers.filter((a) => a.class === 'isp').every((a) => a.company === null)).toBe(true);
    } finally {
      const removed = await cli(['rm', '--by', 'register', '--value', value]);
      expect(removed.stdout).toBe('corrections/classes.csv: 0 corrections\n');
      expect((await cli(['rm', '--by', 'register', '--value', value])).stderr).toContain(`no correction by register of "${value}"`);
      await t.store.delete(CORRECTIONS_KEY);
      expect((await runPipeline(indexPipeline, context(t.store))).outcome).toBe('succeeded');
    }
    // Without the correction the same inputs make the same build as before it.
    expect((await publishedIndex(t.store)).pointer.buildId).toBe(before);
  });

  it('refuses to publish a build that lost too much, publishes it when forced, and rolls back', async () => {
    const good = (await publishedIndex(t.store)).pointer.buildId;
    // A build from a snapshot whose company_links lost most of their companies: an upstream failure.
    const keys: string[] = [];
    for await (const o of listAll(t.store, `tables/company_links/snapshot=${SNAPSHOT}/`)) keys.push(o.key);
    const saved = await Promise.all(keys.map(async (k) => [k, await t.store.getBytes(k)] as const));
    const duck = await openDuckDb();
    const local = join(tempDir(), 'links.parquet');
    const thin = join(tempDir(), 'thin.parquet');
    try {
      await writeFile(local, saved[0]?.[1] as Buffer);
      await duck.run(`COPY (SELECT * REPLACE (CASE WHEN hash(register_id) % 3 = 0 THEN outcome ELSE 'unmatched' END AS outcome) FROM read_parquet('${local}')) TO '${thin}' (FORMAT parquet)`);
    } finally {
      duck.closeSync();
    }
    await t.store.put(keys[0] as string, await readFile(thin));
    try {
      const record = await runPipeline(indexPipeline, context(t.store));
      expect(record.outcome).toBe('failed');
      expect(record.error).toMatch(/^publish: index build \S+ has (.* and )?[\d,]+ linked companies, \d+\.\d % fewer than the published build \S+'s [\d,]+ \(the limit is 10\.0 %\): not published; .*ipreg index publish \S+ --force/);
      expect((await readLatest(t.store))?.value.buildId).toBe(good);
      const thinBuild = (await runCli(['--store', t.store.url, 'index', 'build', '--snapshot', SNAPSHOT], { env: cliEnvironment(t.store) })).stdout.trim();
      expect(thinBuild).not.toBe(good);
      await publishBuild(t.store, thinBuild, { maxDropShare: 0.1, force: true });
      expect((await readLatest(t.store))?.value).toMatchObject({ buildId: thinBuild, previous: good, forced: true });
      await publishBuild(t.store, good, { maxDropShare: 0.1, rollback: true });
      expect((await readLatest(t.store))?.value).toMatchObject({ buildId: good, previous: thinBuild, rollback: true });
    } finally {
      for (const [k, bytes] of saved) await t.store.put(k, bytes);
    }
  }, 60_000);

  it('loses a race for the pointer cleanly: nothing replaced, a clear error', async (ctx) => {
    // The loser is told by a refused put-if-match: a server must enforce it.
    if (!faithful()) ctx.skip();
    const { pointer } = await publishedIndex(t.store);
    // Another publisher swaps the pointer between this publisher's read and its swap.
    const racing: ObjectStore = Object.create(t.store) as ObjectStore;
    racing.putIfMatch = async (key, body, etag) => {
      await t.store.put(LATEST_KEY, JSON.stringify({ ...pointer, publishedAt: 'elsewhere' }));
      return t.store.putIfMatch(key, body, etag);
    };
    const tables = async () => (await collect(listAll(t.store, `tables/ip_ranges/`))).map((o) => `${o.key} ${o.etag}`).sort();
    const before = await tables();
    expect(before.length).toBeGreaterThan(0);
    await expect(publishBuild(racing, pointer.buildId, { maxDropShare: 0.1, rollback: true })).rejects.toThrow(`index/latest.json changed while publishing ${pointer.buildId} (another publisher won): nothing replaced; run the publish again`);
    expect((await readLatest(t.store))?.value.publishedAt).toBe('elsewhere');
    // The loser touched nothing shared: the lake's ip_ranges are the objects they were.
    expect(await tables()).toEqual(before);
    await publishBuild(t.store, pointer.buildId, { maxDropShare: 0.1, rollback: true });
  });

  it('publishes when the swap went through but its answer was lost (the retry refused): the pointer read back says so', async () => {
    const { pointer } = await publishedIndex(t.store);
    const lossy: ObjectStore = Object.create(t.store) as ObjectStore;
    lossy.putIfMatch = async (key, body, etag) => {
      await t.store.putIfMatch(key, body, etag);
      throw new PreconditionFailedError(`store key ${key} changed`, { key });
    };
    const result = await publishBuild(lossy, pointer.buildId, { maxDropShare: 0.1, rollback: true, now: () => new Date('2026-12-07T12:00:00Z') });
    expect((await readLatest(t.store))?.value).toEqual(result.pointer);
    expect(result.pointer.publishedAt).toBe('2026-12-07T12:00:00.000Z');
  });

  it('two publishers racing leave one build published, and the lake\'s ip_ranges are that build\'s', async (ctx) => {
    if (!faithful()) ctx.skip();
    const builds = [...new Set((await collect(listAll(t.store, 'index/builds/'))).filter((o) => o.key.endsWith('/manifest.json')).map((o) => o.key.split('/')[2] as string))];
    // Earlier tests (objections, corrections, gates) published builds of their own: two to race with.
    expect(builds.length).toBeGreaterThanOrEqual(2);
    const [a, b] = builds as [string, string];
    for (let round = 0; round < 3; round++) {
      const outcomes = await Promise.allSettled([a, b].map((id) => publishBuild(t.store, id, { maxDropShare: 0.1, rollback: true })));
      expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
      for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as IpregError).code).toBe('STORE_PRECONDITION_FAILED');
      const latest = await readLatest(t.store);
      const manifest = await readManifest(t.store, latest?.value.buildId as string);
      const parts = await collect(listAll(t.store, `tables/ip_ranges/snapshot=${SNAPSHOT}/`));
      expect(parts.length).toBe(manifest.ipRanges.length);
      for (const [i, part] of manifest.ipRanges.entries()) {
        expect(createHash('sha256').update(await t.store.getBytes(parts[i]?.key as string)).digest('hex')).toBe(part.sha256);
      }
    }
  });

  it('exports the published build as an MMDB that answers the same', async () => {
    const out = join(tempDir(), 'ipreg.mmdb');
    await runCli(['--store', t.store.url, 'index', 'export', '--format', 'mmdb', '--out', out], { env: cliEnvironment(t.store) });
    const { reader } = await publishedIndex(t.store);
    const mmdb = new Reader<Record<string, unknown>>(await readFile(out));
    let compared = 0;
    for (const r of reader.ranges(4)) {
      if (r.recordId === 0xffffffff) continue;
      const want = reader.record(r.recordId);
      const got = mmdb.get(`${(r.first as number) >>> 24}.${((r.first as number) >>> 16) & 255}.${((r.first as number) >>> 8) & 255}.${(r.first as number) & 255}`);
      const answer = got as { class?: string; company?: { register_id?: string }; autonomous_system_number?: number; autonomous_system_organization?: string } | null;
      expect({ class: answer?.class, id: answer?.company?.register_id, asn: answer?.autonomous_system_number, asName: answer?.autonomous_system_organization })
        .toEqual({ class: want.class, id: want.company?.registerId, asn: want.asn ?? undefined, asName: want.asName ?? undefined });
      compared++;
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
