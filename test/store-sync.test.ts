/** `ipreg store sync`: a lake copied to S3 and back, incrementally, each object verified. */
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncStateKey, syncStores } from '../src/store/sync.js';
import { listAll, type ObjectStore, type PutBody } from '../src/store/store.js';
import { runCli } from './support/run-cli.js';
import { silentLog } from './support/small-world-lake.js';
import { cliEnvironment, makeLocalStore, makeS3Store, s3Environment, type TestStore } from './support/test-stores.js';

async function contents(store: ObjectStore, prefix = ''): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const o of listAll(store, prefix)) if (!o.key.startsWith('state/sync/')) out.set(o.key, createHash('sha256').update(await store.getBytes(o.key)).digest('hex'));
  return out;
}

/** A store that changes one byte of every object written through it: a transfer that goes wrong. */
function corrupting(store: ObjectStore): ObjectStore {
  const flip = new Transform({
    transform(chunk: Buffer, _e, next) {
      const copy = Buffer.from(chunk);
      copy[0] = (copy[0] ?? 0) ^ 0xff;
      next(null, copy);
    },
  });
  return Object.assign(Object.create(store) as ObjectStore, {
    put: (key: string, body: PutBody) => store.put(key, key.startsWith('state/') ? body : (body as Readable).pipe(flip)),
  });
}

describe('store sync', () => {
  let local: TestStore;
  let s3: TestStore;
  let back: TestStore;
  beforeAll(async () => {
    [local, s3, back] = [await makeLocalStore(), await makeS3Store(), await makeLocalStore()];
    await local.store.put('tables/companies/register=ee-rik/snapshot=2026-11-01/part-00000.parquet', Buffer.alloc(300_000, 7));
    await local.store.put('tables/ip_ranges/snapshot=2026-11-01/part-00000.parquet', 'ranges');
    await local.store.put('index/latest.json', '{"buildId":"b1"}');
    await local.store.put('locks/nightly.json', '{"holder":"a runner of the source lake"}');
    await local.store.put('schedule/nightly/2026-11-01T03:00.json', '{}');
  });
  afterAll(async () => {
    await Promise.all([local.dispose(), s3.dispose(), back.dispose()]);
  });

  it('copies a lake to S3 and back byte for byte, leaving out the source\'s leases and schedule claims', async () => {
    const there = await syncStores(local.store, s3.store, '', silentLog);
    expect(there).toMatchObject({ copied: 3, unchanged: 0, extra: 0 });
    await syncStores(s3.store, back.store, '', silentLog);
    const want = await contents(local.store);
    want.delete('locks/nightly.json');
    want.delete('schedule/nightly/2026-11-01T03:00.json');
    expect(await contents(s3.store)).toEqual(want);
    expect(await contents(back.store)).toEqual(want);
  });

  it('copies again only what changed at the source, or went from the copy', async () => {
    expect(await syncStores(local.store, s3.store, '', silentLog)).toMatchObject({ copied: 0, unchanged: 3 });
    await local.store.put('index/latest.json', '{"buildId":"b2"}');
    await s3.store.delete('tables/ip_ranges/snapshot=2026-11-01/part-00000.parquet');
    const again = await syncStores(local.store, s3.store, '', silentLog);
    expect(again).toMatchObject({ copied: 2, unchanged: 1 });
    expect((await s3.store.getBytes('index/latest.json')).toString()).toBe('{"buildId":"b2"}');
    // Below a prefix only; what the destination has beyond the source is counted, not deleted.
    await s3.store.put('tables/extra/x.parquet', 'x');
    expect(await syncStores(local.store, s3.store, 'tables/', silentLog)).toMatchObject({ copied: 0, unchanged: 2, extra: 1 });
  });

  it('fails naming the object when what arrived is not what was read, and copies it again next time', async () => {
    const target = await makeLocalStore();
    try {
      await expect(syncStores(local.store, corrupting(target.store), 'index/', silentLog)).rejects.toThrow(/^sync: index\/latest\.json arrived different from what was read/);
      expect(await target.store.head(syncStateKey(local.store))).toBeUndefined();
      expect(await syncStores(local.store, target.store, 'index/', silentLog)).toMatchObject({ copied: 1 });
      expect((await target.store.getBytes('index/latest.json')).toString()).toBe('{"buildId":"b2"}');
    } finally {
      await target.dispose();
    }
  });

  it('runs from the command line between two stores', async () => {
    const target = await makeLocalStore();
    try {
      const r = await runCli(['store', 'sync', local.root as string, target.root as string, '--prefix', 'tables/'], { env: { ...cliEnvironment(local.store), ...s3Environment() } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('2 objects copied (300,006 bytes, each verified by sha256), 0 unchanged since the last sync\n');
    } finally {
      await target.dispose();
    }
  });
});
