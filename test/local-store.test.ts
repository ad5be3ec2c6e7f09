/** What only the local-folder store has to prove: a killed writer, folder conflicts, left-over sweeping. */
import { spawn } from 'node:child_process';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
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
