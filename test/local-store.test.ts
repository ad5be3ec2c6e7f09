/** What only the local-folder store has to prove: a killed writer, folder conflicts, left-over sweeping. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

  it('removes folders left empty by a delete', async () => {
    await t.store.put('runs/ip-allocations/r1.json', '{}');
    await t.store.delete('runs/ip-allocations/r1.json');
    expect(await readdir(root)).not.toContain('runs');
  });
});
