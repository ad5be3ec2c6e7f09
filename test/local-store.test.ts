/** What only the local-folder store has to prove: a killed writer, folder conflicts, left-over sweeping. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore, syncFolder } from '../src/store/local-store.js';
import { localFile } from '../src/store/local-file.js';
import { listAll } from '../src/store/store.js';
import { makeLocalStore, type TestStore } from './support/test-stores.js';

describe('local folder store', () => {
  let t: TestStore;
  let root: string;
  beforeEach(async () => {
    t = await makeLocalStore();
    root = t.root as string;
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('a writer killed with SIGKILL mid-write leaves the previous object untouched and nothing half-written', async () => {
    await t.store.put('index/latest.json', '{"build":"good"}');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/slow-writer.ts', root, 'index/latest.json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('writing') && resolve());
      child.once('exit', (code) => reject(new Error(`the writer exited early with code ${code}`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    expect((await t.store.getBytes('index/latest.json')).toString()).toBe('{"build":"good"}');
    const keys: string[] = [];
    for await (const o of listAll(t.store, '')) keys.push(o.key);
    expect(keys).toEqual(['index/latest.json']);
    // The half-written temporary file is there, but outside the key space.
    expect((await readdir(join(root, '.ipreg-tmp'))).some((n) => n.endsWith('.part'))).toBe(true);

    await t.store.put('index/latest.json', '{"build":"next"}');
    expect((await t.store.getBytes('index/latest.json')).toString()).toBe('{"build":"next"}');
  });

  it('breaks the put-if-match lock of a writer killed while holding it, and keeps a live writer\'s', async () => {
    const { etag } = await t.store.put('locks/nightly.json', '{"holder":"dead"}');
    const lockFile = join(root, '.ipreg-tmp', `${createHash('sha256').update('locks/nightly.json').digest('hex')}.lock`);
    // A process that held the lock and is gone (its pid no longer runs).
    const gone = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => gone.once('exit', () => resolve(gone.pid as number)));
    await mkdir(join(root, '.ipreg-tmp'), { recursive: true });
    await writeFile(lockFile, `${hostname()} ${deadPid} nonce-1`);
    // Without breaking it the put would wait out its 10 s and fail (the age limit is 30 s).
    await t.store.putIfMatch('locks/nightly.json', '{"holder":"next"}', etag);
    expect((await t.store.getBytes('locks/nightly.json')).toString()).toBe('{"holder":"next"}');
    // A lock held by this live process is left alone: another writer fails after waiting, naming the key.
    await writeFile(lockFile, `${hostname()} ${process.pid} nonce-2`);
    const info = await t.store.head('locks/nightly.json');
    await expect(t.store.putIfMatch('locks/nightly.json', '{}', info?.etag ?? '')).rejects.toThrow('store key locks/nightly.json stayed locked by another writer');
    expect(await readFile(lockFile, 'utf8')).toBe(`${hostname()} ${process.pid} nonce-2`);
  }, 20_000);

  it('says plainly when a key would need a folder where an object already is', async () => {
    await t.store.put('tables/x', 'an object');
    await expect(t.store.put('tables/x/part-0.parquet', 'y')).rejects.toThrow(
      'could not write store key tables/x/part-0.parquet: tables/x is an object, and a local store cannot hold both an object and keys below it',
    );
  });

  it('removes temporary files of killed writers once they are a day old, and keeps younger ones', async () => {
    const temp = join(root, '.ipreg-tmp');
    await mkdir(temp, { recursive: true });
    await writeFile(join(temp, 'old.part'), 'left over');
    await writeFile(join(temp, 'young.part'), 'maybe still being written');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000);
    await utimes(join(temp, 'old.part'), twoDaysAgo, twoDaysAgo);
    await t.store.put('a.txt', 'a');
    expect((await readdir(temp)).sort()).toEqual(['young.part']);
  });

  it('does not follow a symbolic link planted in the lake out of it: reads, writes and in-place paths are refused', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'ipreg-outside-'));
    try {
      await writeFile(join(outside, 'secret'), 'not the lake\'s');
      await mkdir(join(root, 'tables'), { recursive: true });
      await symlink(outside, join(root, 'tables', 'evil'));
      await symlink(join(outside, 'secret'), join(root, 'tables', 'leak.parquet'));
      for (const key of ['tables/evil/secret', 'tables/leak.parquet']) {
        await expect(t.store.getBytes(key)).rejects.toThrow(`store key ${key} leads out of the store through a symbolic link`);
        await expect(t.store.head(key)).rejects.toThrow('leads out of the store');
        await expect(localFile(t.store, key, join(root, 'copy'))).rejects.toThrow('leads out of the store');
      }
      await expect(t.store.put('tables/evil/planted', 'x')).rejects.toThrow('leads out of the store');
      await expect(t.store.putIfAbsent('tables/evil/deeper/planted', 'x')).rejects.toThrow('leads out of the store');
      await expect(t.store.delete('tables/evil/secret')).rejects.toThrow('leads out of the store');
      expect((await readdir(outside)).sort()).toEqual(['secret']);
      expect(await readFile(join(outside, 'secret'), 'utf8')).toBe('not the lake\'s');
      // A link that stays inside the lake is followed as before.
      await t.store.put('tables/real/a.txt', 'inside');
      await symlink(join(root, 'tables', 'real'), join(root, 'tables', 'alias'));
      expect((await t.store.getBytes('tables/alias/a.txt')).toString()).toBe('inside');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('flushes the folder of every name it makes, renames or removes, top folder first for new ones', async () => {
    const synced: string[] = [];
    const store = new LocalStore(root, root, async (path) => {
      synced.push(path.slice(root.length) || '/');
      await syncFolder(path);
    });
    await store.put('runs/ip-allocations/r1.json', '{}');
    expect(synced).toEqual(['/', '/runs', '/runs/ip-allocations']);
    synced.length = 0;
    await store.putIfAbsent('runs/ip-allocations/lease', '{}');
    const { etag } = await store.put('index/latest.json', '{}');
    await store.putIfMatch('index/latest.json', '{"a":1}', etag);
    await store.delete('runs/ip-allocations/r1.json');
    expect(synced).toEqual(['/runs/ip-allocations', '/', '/index', '/index', '/runs/ip-allocations']);
  });

  it('removes folders left empty by a delete', async () => {
    await t.store.put('runs/ip-allocations/r1.json', '{}');
    await t.store.delete('runs/ip-allocations/r1.json');
    expect(await readdir(root)).not.toContain('runs');
  });
});
