import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSnapshot, parseSnapshot, resolveSnapshot, todayUtc, worldSnapshot } from './snapshot.js';

const NOW = new Date('2026-12-04T23:30:00Z');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipreg-snapshot-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function folder(name: string, worldJson?: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(path, { recursive: true });
  if (worldJson !== undefined) await writeFile(join(path, 'world.json'), worldJson);
  return path;
}

describe('snapshot dates', () => {
  it('takes real calendar dates only', () => {
    expect(isSnapshot('2026-11-01')).toBe(true);
    expect(isSnapshot('2024-02-29')).toBe(true);
    for (const bad of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-1-01', '20261101', '2026-11-01T00:00:00Z', '']) expect(isSnapshot(bad), bad).toBe(false);
  });

  it('reads back every date of the calendar it accepts', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const text = d.toISOString().slice(0, 10);
        expect(isSnapshot(text)).toBe(true);
        expect(parseSnapshot(text)).toBe(text);
      }),
    );
  });

  it('names a value it refuses', () => {
    expect(() => parseSnapshot('2026-02-30')).toThrow(/"2026-02-30" is not a date/);
  });

  it('today is the UTC date', () => {
    expect(todayUtc(NOW)).toBe('2026-12-04');
  });
});

describe('the snapshot of a run', () => {
  it('is the one given, whatever the sources', async () => {
    const world = await folder('given', JSON.stringify({ snapshot: '2026-11-01' }));
    expect(await resolveSnapshot('2025-01-31', world, NOW)).toEqual({ snapshot: '2025-01-31', origin: 'option' });
  });

  it('is the generated world\'s when --sources is a world and none is given', async () => {
    const world = await folder('world', JSON.stringify({ generator: { name: 'ipreg generate' }, snapshot: '2026-11-01' }));
    expect(await resolveSnapshot(undefined, world, NOW)).toEqual({ snapshot: '2026-11-01', origin: 'world' });
  });

  it('is today for the publishers, a mirror, or a folder without world.json', async () => {
    expect(await resolveSnapshot(undefined, undefined, NOW)).toEqual({ snapshot: '2026-12-04', origin: 'today' });
    expect(await resolveSnapshot(undefined, 'http://127.0.0.1:9/mirror', NOW)).toEqual({ snapshot: '2026-12-04', origin: 'today' });
    expect(await resolveSnapshot(undefined, await folder('plain'), NOW)).toEqual({ snapshot: '2026-12-04', origin: 'today' });
  });

  it('fails naming the file when world.json is not JSON or names no date', async () => {
    await expect(worldSnapshot(await folder('broken', '{"snapshot": '))).rejects.toThrow(/broken\/world\.json is not JSON/);
    await expect(worldSnapshot(await folder('nodate', JSON.stringify({ snapshot: '2026-02-30' })))).rejects.toThrow(/nodate\/world\.json names no snapshot date \(field "snapshot": "2026-02-30"\)/);
  });

  it('the bundled world names its own', async () => {
    expect(await worldSnapshot(new URL('../../data-samples/', import.meta.url).pathname)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
