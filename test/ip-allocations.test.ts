/** The ip-allocations pipeline end to end: from a generated world (folder or mirror) into a lake. */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipAllocations, tableFolder } from '../pipelines/ip-allocations.js';
import { partKey } from '../src/lake/parquet.js';
import { sourceLocation } from '../src/fetch/source-location.js';
import { createLogger } from '../src/log.js';
import { runPipeline } from '../src/pipeline/runner.js';
import { SOURCES } from '../src/sources/catalog.js';
import { listAll, type ObjectStore } from '../src/store/store.js';
import { openDuckDb, queryRows } from './support/duckdb.js';
import { startFileServer, type FileServer } from './support/file-server.js';
import { runCli } from './support/run-cli.js';
import { makeLocalStore, makeS3Store, testS3Config, type TestStore } from './support/test-stores.js';
import { openStore } from '../src/store/open-store.js';
import { runKey } from '../src/lake/paths.js';

const SAMPLES = new URL('../data-samples/', import.meta.url);
const log = createLogger({ level: 'silent', stream: 'stderr' });
const fetch = { concurrency: 3, idleTimeoutMs: 5000, attempts: 2, retryBaseMs: 5 };

let dir: string;
let truth: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipreg-pipeline-'));
  truth = gunzipSync(await readFile(new URL('truth/whois-objects.csv.gz', SAMPLES))).toString('utf8').split('\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A table partition's part files as local files, for DuckDB (copied from the store, S3 included), quoted for SQL. */
async function localParts(store: ObjectStore, folder: string): Promise<string> {
  const locals: string[] = [];
  for await (const part of listAll(store, `${folder}/`)) {
    const local = join(dir, `${createHash('sha1').update(store.url + part.key).digest('hex')}.parquet`);
    await writeFile(local, await store.getBytes(part.key));
    locals.push(`'${local}'`);
  }
  expect(locals.length, folder).toBeGreaterThan(0);
  return `read_parquet([${locals.join(', ')}])`;
}

/** Counts the rows of a table partition's part files, read back through DuckDB. */
async function count(store: ObjectStore, folder: string): Promise<number> {
  const table = await localParts(store, folder);
  const duck = await openDuckDb();
  const [row] = await queryRows(duck, `SELECT count(*) AS n FROM ${table}`);
  duck.closeSync();
  return row!['n'] as number;
}

/** The world's routing lines (no header, no malformed line: every one a range). */
async function routingLines(): Promise<string[]> {
  const files = await Promise.all(['asn-ipv4.csv', 'asn-ipv6.csv'].map((f) => readFile(new URL(`ip-location-db-asn/${f}`, SAMPLES), 'utf8')));
  return files.flatMap((text) => text.split('\n').filter((l) => l !== ''));
}

const good = (source: string, classes: string[]) => truth.filter((l) => l.startsWith(`${source},`) && classes.includes(l.split(',')[3] ?? '')).length;

describe.each([
  { name: 'local folder', make: makeLocalStore, parse: undefined },
  // RPSL dumps read on worker threads, as the large real ones are.
  { name: 's3', make: () => makeS3Store(), parse: { threads: 2, workersFromBytes: 0 } },
])('ip-allocations from the small world into a $name lake', ({ make, parse }) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await make();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('lands every file, writes every table with every good record, and keeps a run record', async () => {
    const record = await runPipeline(ipAllocations, { store: t.store, snapshot: '2026-11-01', log, location: sourceLocation(new URL('.', SAMPLES).pathname), fetch, parse });
    expect(record.outcome).toBe('succeeded');
    expect(record.steps.map((s) => [s.name, s.outcome])).toEqual([
      ['raw', 'succeeded'],
      ['ip_delegations', 'succeeded'],
      ['inetnums', 'succeeded'],
      ['routing', 'succeeded'],
      ['publish', 'succeeded'],
    ]);
    const routed = await routingLines();
    expect(await count(t.store, tableFolder('routed_prefixes', 'ip-location-db-asn', '2026-11-01'))).toBe(routed.length);
    expect(await count(t.store, tableFolder('as_names', 'ip-location-db-asn', '2026-11-01'))).toBe(new Set(routed.map((l) => l.split(',')[2])).size);
    for (const prefix of ['ripe', 'apnic', 'afrinic', 'lacnic']) {
      expect(await count(t.store, tableFolder('inetnums', `${prefix}-rpsl`, '2026-11-01')), prefix).toBe(good(`${prefix}-rpsl`, ['inetnum', 'inet6num']));
      expect(await count(t.store, tableFolder('whois_orgs', `${prefix}-rpsl`, '2026-11-01'))).toBe(good(`${prefix}-rpsl`, ['organisation']));
    }
    const saved = JSON.parse((await t.store.getBytes(runKey('ip-allocations', record.runId))).toString('utf8'));
    expect(saved).toMatchObject({ outcome: 'succeeded', snapshot: '2026-11-01', steps: [{ name: 'raw' }, { name: 'ip_delegations' }, { name: 'inetnums' }, { name: 'routing' }, { name: 'publish' }] });
    expect(saved.steps[2].skipped).toMatchObject({ 'inetnum: end before start': expect.any(Number) });
  });

  it("announces the world's allocations: each routed range is a WHOIS allocation, most by the holder's own network, some by another", async () => {
    const snapshot = '2026-11-01';
    const routed = await localParts(t.store, tableFolder('routed_prefixes', 'ip-location-db-asn', snapshot));
    const rpsl = ['ripe', 'apnic', 'afrinic', 'lacnic'].map((p) => `${p}-rpsl`);
    const union = async (table: string) => (await Promise.all(rpsl.map((s) => localParts(t.store, tableFolder(table, s, snapshot)).then((r) => `SELECT '${s}' AS source, * FROM ${r}`)))).join(' UNION ALL ');
    const duck = await openDuckDb();
    try {
      const [row] = await queryRows(
        duck,
        `WITH inetnums AS (${await union('inetnums')}), aut_nums AS (${await union('aut_nums')}),
          announced AS (SELECT p.asn, i.source, i.org_id, i.first_key IS NULL AS unmatched FROM ${routed} p LEFT JOIN inetnums i ON i.first_key = p.first_key AND i.last_key = p.last_key)
        SELECT count(*)::INTEGER AS routes, count(*) FILTER (unmatched)::INTEGER AS not_whois,
          count(*) FILTER (EXISTS (SELECT 1 FROM aut_nums a WHERE a.asn = announced.asn AND a.source = announced.source AND a.org_id = announced.org_id))::INTEGER AS own
        FROM announced`,
      );
      expect(row!['not_whois']).toBe(0);
      expect(row!['own']).toBeGreaterThan((row!['routes'] as number) / 2);
      expect(row!['own']).toBeLessThan(row!['routes'] as number);
    } finally {
      duck.closeSync();
    }
  });

  it('reruns the same snapshot without landing anything again, to the same table bytes', async () => {
    const key = partKey(tableFolder('inetnums', 'ripe-rpsl', '2026-11-01'), 0);
    const before = createHash('sha256').update(await t.store.getBytes(key)).digest('hex');
    const record = await runPipeline(ipAllocations, { store: t.store, snapshot: '2026-11-01', log, location: sourceLocation(new URL('.', SAMPLES).pathname), fetch, parse });
    expect(record.outcome).toBe('succeeded');
    expect(createHash('sha256').update(await t.store.getBytes(key)).digest('hex')).toBe(before);
  });
});

describe('ip-allocations with a source past its budget', () => {
  it('fails and publishes no table of the run, not even those of sources that passed', async () => {
    const t = await makeLocalStore();
    try {
      const strict = SOURCES.find((s) => s.id === 'ripe-rpsl')!;
      const saved = { ...strict };
      Object.assign(strict, { skipBudget: 0, skipBudgetMinimum: 0 });
      try {
        const record = await runPipeline(ipAllocations, { store: t.store, snapshot: '2026-11-01', log, location: sourceLocation(new URL('.', SAMPLES).pathname), fetch });
        expect(record.outcome).toBe('failed');
        expect(record.error).toMatch(/^inetnums: ripe-rpsl: \d+ of \d+ records malformed, more than the budget allows \(0\.00 % or 0 records: 0\); nothing was published$/);
      } finally {
        Object.assign(strict, saved);
      }
      const tables: string[] = [];
      for await (const o of listAll(t.store, 'tables/')) tables.push(o.key);
      expect(tables).toEqual([]);
    } finally {
      await t.dispose();
    }
  });
});

describe('ip-allocations through HTTP and the CLI', () => {
  let server: FileServer;
  beforeAll(async () => {
    server = await startFileServer();
    for (const source of SOURCES.filter((s) => s.kind === 'ip-allocation' || s.kind === 'routing')) {
      for (const file of source.files) {
        const body = Buffer.concat(await Promise.all(file.world.map((w) => readFile(new URL(w, SAMPLES)))));
        server.routes.set(`/${source.id}/${file.name}`, { body, failTimes: source.id === 'ripe-rpsl' ? 1 : 0 });
        if (file.md5Url !== undefined) server.routes.set(`/${source.id}/${file.name}.md5`, { body: await readFile(new URL(`${file.world[0]}.md5`, SAMPLES)) });
      }
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it('fetches from a mirror (retrying a 5xx), verifies the MD5s, and prints a summary', async () => {
    const lake = join(dir, 'cli-lake');
    const r = await runCli(['--store', lake, 'run', 'ip-allocations', '--sources', server.url, '--snapshot', '2026-11-01', '--force'], { env: { IPREG_FETCH_RETRY_BASE_MS: '5' } });
    expect(r.stderr).toContain('ip-allocations 2026-11-01');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/inetnums\s+succeeded/);
    expect(r.stderr).toMatch(/routing\s+succeeded/);
    const metas: string[] = [];
    const store = openStore(lake, testS3Config());
    for await (const o of listAll(store, 'raw/')) if (o.key.endsWith('.meta.json')) metas.push(o.key);
    expect(metas).toHaveLength(17); // 15 RIR files and the 2 routing files
    const arin = JSON.parse((await store.getBytes('raw/arin-delegated/2026-11-01/delegated-arin-extended-latest.meta.json')).toString('utf8'));
    expect(arin.verified).toEqual(['content-length', 'md5']);
  });

  it('exits 2 for an unknown pipeline or source, and 1 when a source cannot be fetched', async () => {
    expect((await runCli(['run', 'nope'])).code).toBe(2);
    expect((await runCli(['run', 'ip-allocations', '--only', 'nope'])).stderr).toContain('unknown source "nope"');
    const r = await runCli(['--store', join(dir, 'x'), 'run', 'ip-allocations', '--sources', `${server.url}/missing`, '--only', 'arin-delegated', '--snapshot', '2026-11-01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('answered HTTP 404');
  });
});

describe('ip-allocations refuses text files that are not whole', () => {
  let server: FileServer;
  beforeAll(async () => {
    server = await startFileServer();
  });
  afterAll(async () => {
    await server.close();
  });

  /** Serves one source's world files at the mirror path `prefix`, `change` applied to each body (and its .md5 made to match, as a publisher's broken job would). */
  async function serve(prefix: string, sourceId: string, change: (body: Buffer) => Buffer): Promise<void> {
    const source = SOURCES.find((s) => s.id === sourceId);
    for (const file of source?.files ?? []) {
      const body = change(Buffer.concat(await Promise.all(file.world.map((w) => readFile(new URL(w, SAMPLES))))));
      server.routes.set(`/${prefix}/${sourceId}/${file.name}`, { body });
      server.routes.set(`/${prefix}/${sourceId}/${file.name}.md5`, { body: Buffer.from(`MD5 (${file.name}) = ${createHash('md5').update(body).digest('hex')}\n`) });
    }
  }

  const run = async (prefix: string, only: string) => {
    const t = await makeLocalStore();
    try {
      const record = await runPipeline(ipAllocations, { store: t.store, snapshot: '2026-11-01', log, location: sourceLocation(`${server.url}/${prefix}`), fetch, only, force: true });
      const tables: string[] = [];
      for await (const o of listAll(t.store, 'tables/')) tables.push(o.key);
      return { record, tables };
    } finally {
      await t.dispose();
    }
  };

  it('a delegated file cut on a line boundary: fewer records than its version line declares, named, even when forced', async () => {
    const whole = await readFile(new URL('ripencc-delegated/delegated-ripencc-extended-latest', SAMPLES), 'utf8');
    const lines = whole.split('\n');
    const kept = Math.floor(lines.length / 2);
    await serve('cut-lines', 'ripencc-delegated', () => Buffer.from(`${lines.slice(0, kept).join('\n')}\n`));
    const { record, tables } = await run('cut-lines', 'ripencc-delegated');
    expect(record.outcome).toBe('failed');
    const declared = Number(lines.find((l) => /^\d/.test(l))?.split('|')[3]);
    expect(record.error).toMatch(new RegExp(`^ip_delegations: delegated-ripencc-extended-latest line ${kept + 1}: its version line declares ${declared} records, the file holds \\d+ — it was cut short after line ${kept}; nothing was published$`));
    expect(tables).toEqual([]);
  });

  it('a routing file cut inside its last line: named with its line and byte', async () => {
    const whole = await readFile(new URL('ip-location-db-asn/asn-ipv4.csv', SAMPLES));
    const cut = whole.subarray(0, whole.length - 7);
    await serve('cut-mid-line', 'ip-location-db-asn', (body) => (body.equals(whole) ? cut : body));
    const { record, tables } = await run('cut-mid-line', 'ip-location-db-asn');
    expect(record.outcome).toBe('failed');
    const lines = cut.toString('utf8').split('\n').length;
    expect(record.error).toBe(`routing: ip-location-db-asn asn-ipv4.csv line ${lines}: the last line has no line end — the file was cut short at byte ${cut.length} of its text; nothing was published`);
    expect(tables).toEqual([]);
  });

  it('a folder of real files (no world.json): a file whose .md5 differs, or a gzip cut short, is refused when landed', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ipreg-real-files-'));
    const t = await makeLocalStore();
    try {
      const name = 'ripencc-delegated/delegated-ripencc-extended-latest';
      await mkdir(join(folder, 'ripencc-delegated'));
      const body = await readFile(new URL(name, SAMPLES));
      await writeFile(join(folder, name), body);
      await writeFile(join(folder, `${name}.md5`), `MD5 (delegated-ripencc-extended-latest) = ${createHash('md5').update('another file').digest('hex')}\n`);
      const context = { store: t.store, snapshot: '2026-11-01', log, location: sourceLocation(folder), fetch };
      const md5 = await runPipeline(ipAllocations, { ...context, only: 'ripencc-delegated' });
      expect(md5.error).toBe(`raw: ripencc-delegated: ${join(folder, name)} has MD5 ${createHash('md5').update(body).digest('hex')}, ${join(folder, name)}.md5 declares ${createHash('md5').update('another file').digest('hex')}: the file was cut short or changed; nothing was landed`);
      const rpsl = SOURCES.find((x) => x.id === 'ripe-rpsl');
      await mkdir(join(folder, 'ripe-rpsl'));
      for (const w of rpsl?.files.flatMap((f) => f.world) ?? []) {
        const bytes = await readFile(new URL(w, SAMPLES));
        await writeFile(join(folder, w), w.endsWith('inetnum.gz') ? bytes.subarray(0, bytes.length - 30) : bytes);
      }
      const gz = await runPipeline(ipAllocations, { ...context, only: 'ripe-rpsl' });
      expect(gz.error).toMatch(/^raw: .*ripe-rpsl\/ripe\.db\.inetnum\.gz is a broken gzip file \(cut short or corrupt\): unexpected end of file$/);
      const landed: string[] = [];
      for await (const o of listAll(t.store, 'raw/')) landed.push(o.key);
      expect(landed.filter((k) => k.includes('ripencc-delegated') || k.includes('inetnum.gz'))).toEqual([]);
    } finally {
      await t.dispose();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
