import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDuckDb } from '../lake/duckdb.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sourceById } from '../sources/catalog.js';
import { expectedRangeGate, nullShareGates } from './gates.js';
import { dropCheck } from './runner.js';

describe('quality gates', () => {
  it('hold a partition against the one published before it: at most the allowed share fewer (property)', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (now, was, share) => {
        const check = dropCheck({ folder: 'tables/companies/register=ee-rik/snapshot=2026-11-02', rows: now }, { folder: 'tables/companies/register=ee-rik/snapshot=2026-11-01', snapshot: '2026-11-01', rows: was }, share);
        expect(check.passed).toBe(now >= was * (1 - share));
        expect(check.value).toBe(now);
      }),
    );
    expect(dropCheck({ folder: 'tables/inetnums/source=ripe-rpsl/snapshot=2026-11-02', rows: 70 }, { folder: 'tables/inetnums/source=ripe-rpsl/snapshot=2026-10-30', snapshot: '2026-10-30', rows: 100 }, 0.25)).toEqual({
      gate: 'inetnums/source=ripe-rpsl: rows against the snapshot 2026-10-30 published',
      value: 70,
      limit: '≥ 75 (100 then, at most 25 % fewer)',
      passed: false,
    });
  });

  it('hold a source from the publishers or a mirror to its usual range, and a generated world to what its world.json declares', async () => {
    const source = sourceById('ee-rik');
    const [low] = await expectedRangeGate(source, 1000, { kind: 'publishers' }, '2026-11-01');
    expect(low).toMatchObject({ gate: 'ee-rik: records read', value: 1000, passed: false });
    expect(low?.limit).toBe(`${source.expectedRecords.min.toLocaleString('en')} to ${source.expectedRecords.max.toLocaleString('en')} (its usual range)`);
    expect((await expectedRangeGate(source, source.expectedRecords.min, { kind: 'mirror', base: 'http://127.0.0.1:1' }, '2026-11-01'))[0]?.passed).toBe(true);
    // The bundled world declares 800 Estonian records: a fifth either side passes, half of them not.
    const world = { kind: 'folder', path: fileURLToPath(new URL('../../data-samples/', import.meta.url)) } as const;
    const [declared] = await expectedRangeGate(source, 800, world, '2026-11-01');
    expect(declared).toMatchObject({ passed: true, limit: '640 to 1,000 (800 records in world.json, ± a fifth)' });
    expect((await expectedRangeGate(source, 400, world, '2026-11-01'))[0]?.passed).toBe(false);
    // Files the world derives without a count: half to all of their declared lines.
    const [routing] = await expectedRangeGate(sourceById('ip-location-db-asn'), 0, world, '2026-11-01');
    expect(routing?.passed).toBe(false);
    expect(routing?.limit).toMatch(/^[\d,]+ to [\d,]+ \(half to all of the [\d,]+ lines world.json declares\)$/);
    // A folder of real files (no world.json) is held to the real range.
    const real = await mkdtemp(join(tmpdir(), 'ipreg-real-folder-'));
    try {
      expect((await expectedRangeGate(source, 800, { kind: 'folder', path: real }, '2026-11-01'))[0]).toMatchObject({ passed: false, limit: low?.limit });
    } finally {
      await rm(real, { recursive: true, force: true });
    }
  });

  it('measure null and empty shares of key columns in Parquet with DuckDB', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ipreg-gates-'));
    const duck = await openDuckDb();
    try {
      const file = join(dir, 'c.parquet');
      await duck.run(`COPY (SELECT * FROM (VALUES ('a', 'X'), ('b', NULL), ('', 'Y'), ('d', 'Z')) t(name, city)) TO '${file}' (FORMAT parquet)`);
      const checks = await nullShareGates(duck, 'companies', [file], [{ column: 'name', max: 0.3 }, { column: 'city', max: 0.2 }]);
      expect(checks).toEqual([
        { gate: 'companies: share of rows without name', value: 0.25, limit: '≤ 0.3', passed: true },
        { gate: 'companies: share of rows without city', value: 0.25, limit: '≤ 0.2', passed: false },
      ]);
    } finally {
      duck.closeSync();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
