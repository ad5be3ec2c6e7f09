/** The resolver service: its API, hot reload from a file and from a store (local and S3), and refusals. */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256Of, type LatestPointer } from '../src/index-build/publish.js';
import { LATEST_KEY } from '../src/lake/paths.js';
import { openIndex } from '../src/index-file/read.js';
import { BuildHolder, type BuildOrigin } from '../src/serve/build-holder.js';
import { AccessControl, HttpError } from '../src/serve/access.js';
import { createResolverServer, type ResolverOptions, type ResolverServer } from '../src/serve/server.js';
import type { ObjectStore } from '../src/store/store.js';
import { goodFile, SOURCE } from './index-cases/cases.js';
import { runCli } from './support/run-cli.js';
import { silentLog } from './support/small-world-lake.js';
import { createLogger, type Logger } from '../src/log.js';
import { useTempDir } from './support/temp-dir.js';
import { makeLocalStore, makeS3Store, type TestStore } from './support/test-stores.js';

const tempDir = useTempDir('serve');
const LIMITS = { maxBatch: 50, maxBodyBytes: 4096 };
const JSON_BODY = { 'content-type': 'application/json' };

/** The case file built under another build id (and so other bytes). */
const buildOf = (buildId: string) => goodFile({ ...SOURCE, buildId });

interface Running {
  holder: BuildHolder;
  resolver: ResolverServer;
  url: string;
  close(): Promise<void>;
}

async function start(origin: BuildOrigin, options: Partial<ResolverOptions> = {}, log: Logger = silentLog): Promise<Running> {
  const holder = new BuildHolder(origin, silentLog);
  await holder.poll();
  const resolver = createResolverServer(holder, { ...LIMITS, ...options }, log);
  await new Promise<void>((resolve) => resolver.server.listen(0, '127.0.0.1', resolve));
  const { port } = resolver.server.address() as AddressInfo;
  return {
    holder,
    resolver,
    url: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    close: async () => {
      await holder.stop();
      resolver.server.closeAllConnections();
      await new Promise<void>((resolve) => resolver.server.close(() => resolve()));
    },
  };
}

const getJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
};

/** Publishes `bytes` as build `buildId` in `store` the way `ipreg index publish` leaves it: the file, then the pointer. */
async function publish(store: ObjectStore, buildId: string, bytes: Uint8Array): Promise<void> {
  const key = `index/builds/${buildId}/ipreg.idx`;
  await store.put(key, bytes);
  const pointer: LatestPointer = {
    buildId,
    snapshot: SOURCE.snapshot,
    index: { key, bytes: bytes.byteLength, sha256: sha256Of(bytes) },
    manifest: `index/builds/${buildId}/manifest.json`,
    publishedAt: new Date().toISOString(),
    previous: null,
  };
  await store.put(LATEST_KEY, JSON.stringify(pointer));
}

describe('the resolver API over an index file', () => {
  let r: Running;
  let path: string;
  beforeAll(async () => {
    path = join(tempDir(), 'api.idx');
    await writeFile(path, buildOf('build-a'));
    r = await start({ kind: 'file', path });
  });
  afterAll(() => r.close());

  it('answers each address as the index does, with the build id and never the address', async () => {
    const reader = openIndex(buildOf('build-a'));
    for (const { ip } of SOURCE.lookups) {
      const { status, type, body } = await getJson(`${r.url}/v1/lookup/${encodeURIComponent(ip)}`);
      const want = reader.lookup(ip);
      expect(status).toBe(200);
      expect(type).toMatch(/^application\/json/);
      expect(body['build_id']).toBe('build-a');
      expect(body['found']).toBe(want !== undefined);
      expect(body['class']).toBe(want?.class);
      expect((body['company'] as { register_id?: string } | null | undefined)?.register_id).toBe(want?.company?.registerId);
      expect(JSON.stringify(body)).not.toContain(ip);
    }
  });

  it('answers access-provider ranges with their class and no company', async () => {
    const pool = SOURCE.lookups.find((l) => l.record === 'pool')?.ip as string;
    const { body } = await getJson(`${r.url}/v1/lookup/${pool}`);
    expect(body).toMatchObject({ found: true, class: 'isp', company: null });
  });

  it('answers a batch in order, an entry that is not an address marked as such', async () => {
    const ips = [...SOURCE.lookups.map((l) => l.ip), 'not-an-address', '999.1.1.1'];
    const res = await fetch(`${r.url}/v1/lookup`, { method: 'POST', body: JSON.stringify({ ips }), headers: { 'content-type': 'application/json' } });
    const body = (await res.json()) as { build_id: string; results: Record<string, unknown>[] };
    expect(res.status).toBe(200);
    expect(body.build_id).toBe('build-a');
    expect(body.results).toHaveLength(ips.length);
    for (const [i, { ip }] of SOURCE.lookups.entries()) {
      const single = (await getJson(`${r.url}/v1/lookup/${encodeURIComponent(ip)}`)).body;
      const { build_id: _id, ...rest } = single;
      expect(body.results[i]).toEqual(rest);
    }
    expect(body.results.slice(-2)).toEqual([{ found: false, error: 'invalid_address' }, { found: false, error: 'invalid_address' }]);
  });

  it('refuses bad input with a 4xx and a JSON error that does not repeat the address', async () => {
    const bad = await getJson(`${r.url}/v1/lookup/10.1.2.300`);
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_address' } });
    expect(JSON.stringify(bad.body)).not.toContain('10.1.2.300');
    const tooMany = await fetch(`${r.url}/v1/lookup`, { method: 'POST', body: JSON.stringify({ ips: Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`) }), headers: JSON_BODY });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ error: 'batch_too_large' });
    const huge = await fetch(`${r.url}/v1/lookup`, { method: 'POST', body: JSON.stringify({ ips: ['10.0.0.1'], pad: 'x'.repeat(5000) }), headers: JSON_BODY });
    expect(huge.status).toBe(413);
    const notJson = await fetch(`${r.url}/v1/lookup`, { method: 'POST', body: '{"ips": [10.9.8.7', headers: JSON_BODY });
    const notJsonBody = await notJson.text();
    expect(notJson.status).toBe(400);
    expect(notJsonBody).not.toContain('10.9.8.7');
    expect((await fetch(`${r.url}/v1/lookup`)).status).toBe(405);
    expect((await fetch(`${r.url}/nowhere`)).status).toBe(404);
  });

  it('takes a batch only as application/json (415 otherwise, the body unread)', async () => {
    const body = JSON.stringify({ ips: ['193.0.4.1'] });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', undefined]) {
      const res = await fetch(`${r.url}/v1/lookup`, { method: 'POST', body: Buffer.from(body), headers: type === undefined ? {} : { 'content-type': type } });
      expect({ type, status: res.status, body: await res.json() }).toMatchObject({ type, status: 415, body: { error: 'unsupported_media_type' } });
    }
    const withCharset = await fetch(`${r.url}/v1/lookup`, { method: 'POST', body, headers: { 'content-type': 'Application/JSON; charset=utf-8' } });
    expect(withCharset.status).toBe(200);
  });

  it('says it is ready with the build id and age, and what it serves at /v1/about', async () => {
    const ready = await getJson(`${r.url}/readyz`);
    expect(ready).toMatchObject({ status: 200, body: { ready: true, build_id: 'build-a', snapshot: SOURCE.snapshot } });
    expect(ready.body['age_seconds']).toBeGreaterThan(0);
    expect((await getJson(`${r.url}/healthz`)).status).toBe(200);
    const about = await getJson(`${r.url}/v1/about`);
    expect(about.body['build_id']).toBe('build-a');
    expect(about.body['sources']).toEqual(SOURCE.sources.map((s) => ({ id: s.id, publisher: s.publisher, licence: s.licence, attribution: s.attribution })));
  });

  it('documents its routes at /openapi.json', async () => {
    const { body } = await getJson(`${r.url}/openapi.json`);
    expect(body['openapi']).toBe('3.1.0');
    expect(Object.keys(body['paths'] as object).sort()).toEqual(['/healthz', '/metrics', '/openapi.json', '/readyz', '/v1/about', '/v1/lookup', '/v1/lookup/{ip}'].filter((p) => p !== '/openapi.json').sort());
  });

  it('counts requests by route and status and lookups by class in Prometheus text', async () => {
    await fetch(`${r.url}/v1/lookup/${SOURCE.lookups[0]?.ip}`);
    const res = await fetch(`${r.url}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(/ipreg_http_requests_total\{route="\/v1\/lookup\/\{ip\}",status="200"\} \d+/);
    expect(text).toMatch(/ipreg_http_requests_total\{route="\/v1\/lookup\/\{ip\}",status="400"\} \d+/);
    expect(text).toMatch(/ipreg_lookups_total\{class="isp"\} \d+/);
    expect(text).toMatch(/ipreg_build_info\{build_id="build-a",snapshot="2026-11-01"\} 1/);
    expect(text).toMatch(/ipreg_build_age_seconds \d+/);
    expect(text).toMatch(/ipreg_http_request_duration_seconds_bucket\{route="\/v1\/lookup\/\{ip\}",le="0\.001"\} \d+/);
  });
});

describe('a client that goes away mid-request', () => {
  it('is counted as 499 and logged at debug, never as a 5xx or an error', async () => {
    const path = join(tempDir(), 'abort.idx');
    await writeFile(path, buildOf('build-a'));
    const lines: { level: number; msg: string }[] = [];
    const log = createLogger({ level: 'debug', stream: 'stderr', destination: { write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }) } });
    const r = await start({ kind: 'file', path }, {}, log);
    try {
      const { port } = r.resolver.server.address() as AddressInfo;
      for (let i = 0; i < 3; i++) {
        const socket = connect(port, '127.0.0.1');
        await new Promise<void>((resolve) => socket.on('connect', resolve));
        // Declares 1 000 bytes, sends 14, and hangs up.
        socket.write('POST /v1/lookup HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"ips": ["10.0');
        await new Promise((resolve) => setTimeout(resolve, 50));
        socket.destroy();
      }
      await expect.poll(async () => (await (await fetch(`${r.url}/metrics`)).text()).match(/ipreg_http_requests_total\{route="POST \/v1\/lookup",status="499"\} (\d+)/)?.[1]).toBe('3');
      const metrics = await (await fetch(`${r.url}/metrics`)).text();
      expect(metrics).not.toMatch(/status="5\d\d"/);
      expect(lines.filter((l) => l.level >= 40)).toEqual([]);
      expect(lines.filter((l) => l.msg === 'client closed the connection before its request was read')).toHaveLength(3);
    } finally {
      await r.close();
    }
  });
});

describe('hot reload from an index file', () => {
  let r: Running | undefined;
  afterEach(() => r?.close());

  it('is not ready until a sound build exists, then swaps in each new one and keeps the old one when the new one is broken', async () => {
    const path = join(tempDir(), 'reload.idx');
    r = await start({ kind: 'file', path });
    expect((await getJson(`${r.url}/readyz`)).status).toBe(503);
    expect((await getJson(`${r.url}/v1/lookup/193.0.4.1`))).toMatchObject({ status: 503, body: { error: 'not_ready' } });
    await writeFile(path, buildOf('build-1'));
    await r.holder.poll();
    expect((await getJson(`${r.url}/readyz`)).body['build_id']).toBe('build-1');

    // Replaced the way a deploy does it: written beside, renamed over.
    await writeFile(`${path}.new`, buildOf('build-2'));
    await rename(`${path}.new`, path);
    await r.holder.poll();
    expect((await getJson(`${r.url}/v1/lookup/193.0.4.1`)).body['build_id']).toBe('build-2');

    const broken = Buffer.from(buildOf('build-3'));
    // A byte of a string inside string.bytes (not the padding after it): only its CRC-32 can tell.
    const at = openIndex(broken).sections().stringBytes.byteOffset - broken.byteOffset + 2;
    broken[at] = (broken[at] as number) ^ 0xff;
    await writeFile(`${path}.new`, broken);
    await rename(`${path}.new`, path);
    await r.holder.poll();
    const ready = await getJson(`${r.url}/readyz`);
    expect(ready.body).toMatchObject({ ready: true, build_id: 'build-2' });
    expect(String(ready.body['last_reload_error'])).toMatch(/CRC-32/);
    expect((await getJson(`${r.url}/v1/lookup/193.0.4.1`)).body['build_id']).toBe('build-2');
    const metrics = await (await fetch(`${r.url}/metrics`)).text();
    expect(metrics).toMatch(/ipreg_reloads_total\{outcome="failure"\} 1/);
    expect(metrics).toMatch(/ipreg_reloads_total\{outcome="success"\} 2/);
  });

  it('drops no request while builds are swapped under load', async () => {
    const path = join(tempDir(), 'load.idx');
    await writeFile(path, buildOf('load-0'));
    r = await start({ kind: 'file', path });
    const running = r;
    let stop = false;
    const statuses = new Map<number, number>();
    const seen = new Set<string>();
    const client = async () => {
      while (!stop) {
        const res = await fetch(`${running.url}/v1/lookup/193.0.4.${statuses.size % 250}`);
        const body = (await res.json()) as { build_id: string };
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        seen.add(body.build_id);
      }
    };
    const clients = Array.from({ length: 8 }, client);
    for (let i = 1; i <= 4; i++) {
      await writeFile(`${path}.new`, buildOf(`load-${i}`));
      await rename(`${path}.new`, path);
      await running.holder.poll();
    }
    stop = true;
    await Promise.all(clients);
    expect([...statuses.keys()]).toEqual([200]);
    expect(seen.has('load-4')).toBe(true);
  });
});

describe.each([
  { name: 'local folder', make: () => makeLocalStore() },
  { name: 's3', make: () => makeS3Store() },
])('hot reload from index/latest.json in a $name store', ({ make }) => {
  let t: TestStore;
  let r: Running | undefined;
  beforeAll(async () => {
    t = await make();
  });
  afterAll(async () => {
    await r?.close();
    await t.dispose();
  });

  it('follows the pointer by its ETag, refuses a build whose bytes are not the ones it names, and follows a rollback', async () => {
    await publish(t.store, 'store-1', buildOf('store-1'));
    r = await start({ kind: 'store', store: t.store });
    expect(r.holder.status.lastError).toBeUndefined();
    expect((await getJson(`${r.url}/readyz`)).body['build_id']).toBe('store-1');
    await r.holder.poll();
    expect(r.holder.status.reloads).toBe(1);

    await publish(t.store, 'store-2', buildOf('store-2'));
    await r.holder.poll();
    expect((await getJson(`${r.url}/readyz`)).body['build_id']).toBe('store-2');

    // A pointer whose file is another build's bytes: sha256 differs, refused.
    await publish(t.store, 'store-3', buildOf('store-3'));
    await t.store.put('index/builds/store-3/ipreg.idx', buildOf('store-x'));
    await r.holder.poll();
    expect(r.holder.current?.buildId).toBe('store-2');
    expect(r.holder.status.lastError).toMatch(/sha256/);

    // `ipreg index rollback store-1` moves the pointer back; the resolver follows.
    await publish(t.store, 'store-1', buildOf('store-1'));
    await r.holder.poll();
    expect((await getJson(`${r.url}/v1/lookup/193.0.4.1`)).body['build_id']).toBe('store-1');
  });
});

describe('ipreg serve, the process', () => {
  it('does not load DuckDB (the pipelines\' engine, tens of MB a resolver would carry beside two builds)', async () => {
    const path = join(tempDir(), 'process.idx');
    await writeFile(path, buildOf('process-1'));
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../src/cli/main.ts', import.meta.url)), 'serve', '--index', path, '--port', '0', '--log-level', 'info'], {
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => child.once('close', resolve));
    try {
      let logs = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          logs += d.toString();
          const listening = /"url":"(http:[^"]+)"[^\n]*"msg":"listening"/.exec(logs);
          if (listening !== null) resolve(listening[1] as string);
        });
        child.once('close', () => reject(new Error(`serve exited: ${logs}`)));
      });
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const maps = await readFile(`/proc/${child.pid}/maps`, 'utf8');
      expect(maps).not.toMatch(/duckdb/i);
      expect(maps).toMatch(/\/node\b/);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe('ipreg resolve', () => {
  it('prints the service\'s answer for each address, in order, one JSON line each, and exits 2 when one is not an address', async () => {
    const path = join(tempDir(), 'resolve.idx');
    await writeFile(path, buildOf('resolve-1'));
    const ips = SOURCE.lookups.map((l) => l.ip);
    const ok = await runCli(['resolve', ...ips, '--index', path]);
    expect(ok.code).toBe(0);
    const lines = ok.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const reader = openIndex(buildOf('resolve-1'));
    expect(lines.map((l) => [l['build_id'], l['found'], l['class']])).toEqual(ips.map((ip) => ['resolve-1', reader.lookup(ip) !== undefined, reader.lookup(ip)?.class]));
    for (const ip of ips) expect(ok.stdout).not.toContain(`"${ip}"`);
    const bad = await runCli(['resolve', ips[1] as string, '192.0.2.999', '--index', path]);
    expect(bad.code).toBe(2);
    expect(bad.stdout.trimEnd().split('\n')[1]).toBe('{"found":false,"error":"invalid_address"}');
    expect(bad.stderr).not.toContain('192.0.2.999');
  });
});

describe('access: API keys, a rate limit, TLS', () => {
  const sha = (key: string) => createHash('sha256').update(key).digest('hex');
  let r: Running | undefined;
  afterEach(() => r?.close());

  it('asks for a known key on the API, in either header, and not on health, readiness or metrics', async () => {
    const path = join(tempDir(), 'keys.idx');
    await writeFile(path, buildOf('keys-1'));
    r = await start({ kind: 'file', path }, { apiKeys: [{ id: 'team-a', sha256: sha('secret-a') }, { id: 'team-b', sha256: sha('secret-b') }] });
    const ip = SOURCE.lookups[1]?.ip as string;
    const none = await fetch(`${r.url}/v1/lookup/${ip}`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await none.json()).toMatchObject({ error: 'unauthorized' });
    expect((await fetch(`${r.url}/v1/lookup/${ip}`, { headers: { authorization: 'Bearer secret-c' } })).status).toBe(401);
    expect((await fetch(`${r.url}/v1/lookup/${ip}`, { headers: { authorization: 'Bearer secret-b' } })).status).toBe(200);
    expect((await fetch(`${r.url}/v1/lookup/${ip}`, { headers: { 'x-api-key': 'secret-a' } })).status).toBe(200);
    expect((await fetch(`${r.url}/v1/lookup`, { method: 'POST', body: JSON.stringify({ ips: [ip] }), headers: JSON_BODY })).status).toBe(401);
    expect((await fetch(`${r.url}/v1/about`)).status).toBe(401);
    for (const open of ['/healthz', '/readyz', '/metrics', '/openapi.json']) expect((await fetch(`${r.url}${open}`)).status).toBe(200);
  });

  it('limits each key to its requests per second, with Retry-After, and refills with time', async () => {
    let now = 0;
    const access = new AccessControl([{ id: 'k', sha256: sha('x') }], 3, () => now);
    for (let i = 0; i < 3; i++) access.take('k');
    let refused: unknown;
    try {
      access.take('k');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ status: 429, code: 'rate_limited', headers: { 'retry-after': '1' } });
    access.take('other'); // another key has its own bucket
    now += 340;
    access.take('k');
    expect(() => access.take('k')).toThrow(HttpError);

    const path = join(tempDir(), 'limited.idx');
    await writeFile(path, buildOf('limited-1'));
    r = await start({ kind: 'file', path }, { apiKeys: [{ id: 'team-a', sha256: sha('secret-a') }], rateLimit: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${r.url}/v1/lookup/193.0.4.1`, { headers: { 'x-api-key': 'secret-a' } })).status);
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses).toContain(429);
  });

  it('refuses a certificate without its key before loading anything, exit code 2', async () => {
    const r2 = await runCli(['serve', '--index', join(tempDir(), 'none.idx'), '--port', '0'], { env: { IPREG_SERVE_TLS_CERT: '/nowhere/cert.pem' } });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('serve.tlsCert and serve.tlsKey go together');
  });

  it('speaks HTTPS only when a certificate and key are configured', async () => {
    const dir = tempDir();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const [cert, key] = [await readFile(join(dir, 'cert.pem')), await readFile(join(dir, 'key.pem'))];
    const path = join(dir, 'tls.idx');
    await writeFile(path, buildOf('tls-1'));
    r = await start({ kind: 'file', path }, { tls: { cert, key } });
    const body = await new Promise<string>((resolve, reject) => {
      httpsGet(`${r?.url}/v1/lookup/193.0.4.1`, { ca: cert }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    expect(JSON.parse(body)).toMatchObject({ build_id: 'tls-1' });
    await expect(fetch((r.url).replace('https:', 'http:') + '/healthz')).rejects.toThrow();
  });
});
