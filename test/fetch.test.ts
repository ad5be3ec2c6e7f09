/** The shared fetcher against a local server that behaves — and misbehaves — like a publisher. */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { fetchRawFile, SharedDownloads, type FetchContext, type RawFileSpec } from '../src/fetch/fetch-file.js';
import { metaKey } from '../src/fetch/raw-files.js';
import { landSourceFile, sourceLocation } from '../src/fetch/source-location.js';
import { fileForSnapshot, sourceById } from '../src/sources/catalog.js';
import { createLogger } from '../src/log.js';
import { listAll } from '../src/store/store.js';
import { startFileServer, type FileServer } from './support/file-server.js';
import { makeLocalStore, type TestStore } from './support/test-stores.js';
import { rawKey } from '../src/lake/paths.js';

const SAMPLE = new URL('../data-samples/ripe-rpsl/ripe.db.organisation.gz', import.meta.url);
const log = createLogger({ level: 'silent', stream: 'stderr' });
// An idle timeout generous enough that a busy CI machine never trips it by accident; the slow route waits twice as long.
const settings = { concurrency: 2, idleTimeoutMs: 1500, attempts: 3, retryBaseMs: 5 };
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

let server: FileServer;
let body: Buffer;
let t: TestStore;

beforeAll(async () => {
  body = await readFile(SAMPLE);
  server = await startFileServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  t = await makeLocalStore();
  server.routes.clear();
  server.requests.length = 0;
});
afterEach(async () => {
  await t.dispose();
});

function context(snapshot: string): FetchContext {
  return { store: t.store, snapshot, settings, log, now: () => new Date('2026-11-02T04:00:00Z') };
}

function spec(path: string, extra: Partial<RawFileSpec> = {}): RawFileSpec {
  return { source: 'ripe-rpsl', file: 'ripe.db.organisation.gz', url: `${server.url}${path}`, gzip: true, ...extra };
}

async function keys(): Promise<string[]> {
  const out: string[] = [];
  for await (const o of listAll(t.store, '')) out.push(o.key);
  return out;
}

describe('fetching a source file', () => {
  it('lands the file and its meta (url, etag, sha256, md5, bytes, checks) on 200', async () => {
    server.routes.set('/org.gz', { body });
    server.routes.set('/org.gz.md5', { body: Buffer.from(`MD5 (ripe.db.organisation.gz) = ${md5(body)}\n`) });
    const { meta, outcome } = await fetchRawFile(context('2026-11-01'), spec('/org.gz', { md5Url: `${server.url}/org.gz.md5` }));
    expect(outcome).toBe('downloaded');
    expect(meta).toMatchObject({
      url: `${server.url}/org.gz`,
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      md5: md5(body),
      fetchedAt: '2026-11-02T04:00:00.000Z',
      verified: ['content-length', 'gzip', 'md5'],
      objectKey: 'raw/ripe-rpsl/2026-11-01/ripe.db.organisation.gz',
    });
    expect(meta.etag).toMatch(/^"[0-9a-f]{16}"$/);
    expect(Buffer.compare(await t.store.getBytes(meta.objectKey), body)).toBe(0);
    expect(await keys()).toEqual(['raw/ripe-rpsl/2026-11-01/ripe.db.organisation.gz', 'raw/ripe-rpsl/2026-11-01/ripe.db.organisation.gz.meta.json']);
  });

  it('asks conditionally next time and stores nothing new when the server says 304', async () => {
    server.routes.set('/org.gz', { body });
    const first = await fetchRawFile(context('2026-11-01'), spec('/org.gz'));
    const second = await fetchRawFile(context('2026-11-02'), spec('/org.gz'));
    expect(second.outcome).toBe('unchanged');
    expect(server.requests.at(-1)).toMatchObject({ ifNoneMatch: first.meta.etag, ifModifiedSince: 'Mon, 02 Nov 2026 03:00:00 GMT' });
    expect(second.meta.objectKey).toBe(rawKey('ripe-rpsl', '2026-11-01', 'ripe.db.organisation.gz'));
    expect(await keys()).toContain(metaKey('ripe-rpsl', '2026-11-02', 'ripe.db.organisation.gz'));
    expect(await keys()).not.toContain(rawKey('ripe-rpsl', '2026-11-02', 'ripe.db.organisation.gz'));
  });

  it('does not ask again for a snapshot it already has', async () => {
    server.routes.set('/org.gz', { body });
    await fetchRawFile(context('2026-11-01'), spec('/org.gz'));
    const requests = server.requests.length;
    expect((await fetchRawFile(context('2026-11-01'), spec('/org.gz'))).outcome).toBe('present');
    expect(server.requests.length).toBe(requests);
  });

  it('retries 5xx answers, a slow answer and a body cut short, and then succeeds', async () => {
    server.routes.set('/busy.gz', { body, failTimes: 2 });
    expect((await fetchRawFile(context('2026-11-01'), spec('/busy.gz'))).outcome).toBe('downloaded');
    expect(server.requests.filter((r) => r.path === '/busy.gz')).toHaveLength(3);

    server.routes.set('/slow.gz', { body, slow: { ms: 3000, times: 1 } });
    expect((await fetchRawFile(context('2026-11-02'), spec('/slow.gz', { source: 'slow' }))).outcome).toBe('downloaded');

    server.routes.set('/cut.gz', { body, truncate: { bytes: 100, times: 2 } });
    const cut = await fetchRawFile(context('2026-11-03'), spec('/cut.gz', { source: 'cut' }));
    expect(cut.meta.bytes).toBe(body.length);
    expect(server.requests.filter((r) => r.path === '/cut.gz')).toHaveLength(3);
  });

  it('fails after its attempts, says why, and leaves the last good copy as it was', async () => {
    server.routes.set('/org.gz', { body });
    await fetchRawFile(context('2026-11-01'), spec('/org.gz'));
    const before = await keys();
    server.routes.set('/org.gz', { body: Buffer.concat([body, Buffer.from('x')]), truncate: { bytes: 64, times: 99 } });
    await expect(fetchRawFile(context('2026-11-02'), spec('/org.gz'))).rejects.toThrow(
      /^ripe-rpsl: could not fetch http:\/\/127\.0\.0\.1:\d+\/org\.gz after 3 attempts: GET .* broke off after 64 bytes/,
    );
    server.routes.set('/down.gz', { body, failTimes: 99 });
    await expect(fetchRawFile(context('2026-11-02'), spec('/down.gz', { source: 'down' }))).rejects.toThrow(/after 3 attempts: GET .* answered HTTP 503/);
    expect(await keys()).toEqual(before);
  });

  it('rejects a broken gzip file and a wrong MD5 after retrying, and a 404 at once', async () => {
    server.routes.set('/broken.gz', { body: body.subarray(0, body.length - 20) });
    await expect(fetchRawFile(context('2026-11-01'), spec('/broken.gz', { source: 'broken' }))).rejects.toThrow(/broken gzip file/);
    expect(server.requests.filter((r) => r.path === '/broken.gz')).toHaveLength(3);

    server.routes.set('/plain', { body: gzipSync('hello') });
    server.routes.set('/plain.md5', { body: Buffer.from('0123456789abcdef0123456789abcdef  plain\n') });
    await expect(fetchRawFile(context('2026-11-01'), spec('/plain', { source: 'md5', md5Url: `${server.url}/plain.md5` }))).rejects.toThrow(
      /gave bytes with MD5 [0-9a-f]{32}, but .*\/plain\.md5 says 0123456789abcdef0123456789abcdef/,
    );

    await expect(fetchRawFile(context('2026-11-01'), spec('/missing.gz', { source: 'missing' }))).rejects.toThrow(/answered HTTP 404/);
    expect(server.requests.filter((r) => r.path === '/missing.gz')).toHaveLength(1);
    expect(await keys()).toEqual([]);
  });
});

/** A zip of these members (stored deflated, as publishers ship them). */
async function zipOf(members: Record<string, Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of Object.entries(members)) zip.addBuffer(data, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('fetching a file the publisher ships in a zip', () => {
  const enterprise = Buffer.from('"EnterpriseNumber","Status"\n"0200.065.765","AC"\n'.repeat(200));
  const denomination = Buffer.from('"EntityNumber","Language","TypeOfDenomination","Denomination"\n"0200.065.765","2","001","Veneco"\n');
  const kboSpec = (file: string, member: string, extra: Partial<RawFileSpec> = {}): RawFileSpec => ({
    source: 'be-kbo',
    file,
    url: `${server.url}/KboOpenData_Full.zip`,
    gzip: false,
    archive: { member },
    ...extra,
  });

  it('lands each member with its own digest, the zip downloaded once for all files of the run', async () => {
    const zip = await zipOf({ 'meta.csv': Buffer.from('"Variable","Value"\n'), 'enterprise.csv': enterprise, 'denomination.csv': denomination });
    server.routes.set('/KboOpenData_Full.zip', { body: zip });
    const downloads = new SharedDownloads(await mkdtemp(join(tmpdir(), 'ipreg-zips-test-')));
    const ctx = { ...context('2026-11-01'), downloads };
    try {
      const [a, b] = await Promise.all([fetchRawFile(ctx, kboSpec('full/enterprise.csv', 'enterprise.csv')), fetchRawFile(ctx, kboSpec('full/denomination.csv', '*denomination.csv'))]);
      expect(server.requests.filter((r) => r.path === '/KboOpenData_Full.zip')).toHaveLength(1);
      expect(a.meta).toMatchObject({
        bytes: enterprise.length,
        sha256: createHash('sha256').update(enterprise).digest('hex'),
        md5: md5(enterprise),
        verified: ['content-length', 'zip-crc'],
        archive: { member: 'enterprise.csv', sha256: createHash('sha256').update(zip).digest('hex'), bytes: zip.length },
      });
      expect(Buffer.compare(await t.store.getBytes(a.meta.objectKey), enterprise)).toBe(0);
      expect(Buffer.compare(await t.store.getBytes(b.meta.objectKey), denomination)).toBe(0);
    } finally {
      await downloads.dispose();
    }
    // Next snapshot: one conditional request answered 304, every member unchanged.
    const next = { ...context('2026-12-01'), downloads: new SharedDownloads(await mkdtemp(join(tmpdir(), 'ipreg-zips-test-'))) };
    try {
      const again = await fetchRawFile(next, kboSpec('full/enterprise.csv', 'enterprise.csv'));
      expect(again.outcome).toBe('unchanged');
      expect(server.requests.at(-1)?.ifNoneMatch).toMatch(/^"/);
    } finally {
      await next.downloads.dispose();
    }
  });

  it('downloads again a zip cut short or with a corrupted member, and names the members when the one asked for is not there', async () => {
    const zip = await zipOf({ 'enterprise.csv': enterprise });
    server.routes.set('/KboOpenData_Full.zip', { body: zip.subarray(0, zip.length - 30) });
    await expect(fetchRawFile(context('2026-11-01'), kboSpec('full/enterprise.csv', 'enterprise.csv'))).rejects.toThrow(/after 3 attempts: GET .* gave a zip that cannot be read/);
    expect(server.requests.filter((r) => r.path === '/KboOpenData_Full.zip')).toHaveLength(3);

    // Flip one byte of the compressed member: its CRC-32 (or inflation) fails.
    const corrupt = Buffer.from(zip);
    const offset = 30 + 'enterprise.csv'.length + 10;
    corrupt[offset] = (corrupt[offset] as number) ^ 0xff;
    server.routes.set('/corrupt.zip', { body: corrupt });
    await expect(fetchRawFile(context('2026-11-01'), kboSpec('full/enterprise.csv', 'enterprise.csv', { url: `${server.url}/corrupt.zip` }))).rejects.toThrow(
      /gave a zip whose member enterprise\.csv (is broken|fails its CRC-32 check)/,
    );
    expect(server.requests.filter((r) => r.path === '/corrupt.zip')).toHaveLength(3);

    server.routes.set('/other.zip', { body: zip });
    await expect(fetchRawFile(context('2026-11-01'), kboSpec('full/address.csv', 'address.csv', { url: `${server.url}/other.zip` }))).rejects.toThrow(
      /other\.zip: no member named like "address\.csv" in the zip \(it holds: enterprise\.csv\)/,
    );
    expect(server.requests.filter((r) => r.path === '/other.zip')).toHaveLength(1);
    expect(await keys()).toEqual([]);
  });
});

describe('landing a file from a local folder (a generated world)', () => {
  // Below 64 MiB the digests are computed on the copy; from there on, the MD5 in a worker thread.
  for (const [label, size] of [
    ['a small file', 100_003],
    ['a file large enough for the MD5 worker', 64 * 1024 * 1024 + 17],
  ] as const) {
    it(`copies ${label} with its sha256, md5 and size`, async () => {
      const source = sourceById('ee-rik');
      const file = fileForSnapshot(source.files[0]!, '2026-11-01');
      const folder = await mkdtemp(join(tmpdir(), 'ipreg-folder-'));
      try {
        const bytes = Buffer.alloc(size);
        for (let i = 0; i < size; i += 4096) bytes.writeUInt32LE((i * 2654435761) >>> 0, i);
        await mkdir(dirname(join(folder, file.world[0]!)), { recursive: true });
        await writeFile(join(folder, file.world[0]!), bytes);
        const { meta, outcome } = await landSourceFile(context('2026-11-01'), sourceLocation(folder), source, source.files[0]!);
        expect(outcome).toBe('downloaded');
        expect(meta).toMatchObject({ bytes: size, md5: md5(bytes), sha256: createHash('sha256').update(bytes).digest('hex') });
        expect((await t.store.getBytes(meta.objectKey)).equals(bytes)).toBe(true);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
  }
});
