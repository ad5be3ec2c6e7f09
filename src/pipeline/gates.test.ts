import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDb } from '../lake/duckdb.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sourceById } from '../sources/catalog.js';
import { expectedRangeGate, nullShareGates } from './gates.js';
import { dropChecks } from './runner.js';

describe('quality gates', () => {
  it('hold each count against the earlier one: at most the allowed share fewer (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.nat(10_000)), fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.nat(10_000)), fc.double({ min: 0, max: 1, noNaN: true }), (now, before, share) => {
          const checks = dropChecks(now, before, share);
          for (const [name, was] of Object.entries(before)) {
            const check = checks.find((c) => c.gate.startsWith(`${name}:`));
            if (was === 0) expect(check).toBeUndefined();
            else expect(check?.passed).toBe((now[name] ?? 0) >= was * (1 - share));
          }
        }),
    );
    expect(dropChecks({ a: 70 }, { a: 100 }, 0.25)).toEqual([{ gate: 'a: rows against the last good snapshot', value: 70, limit: '≥ 75 (100 then, at most 25 % fewer)', passed: false }]);
    expect(dropChecks(undefined, { a: 1 }, 0.25)).toEqual([]);
  });

  it('check a real source against its usual range, and a generated world not at all', () => {
    const source = sourceById('ee-rik');
    const [low] = expectedRangeGate(source, 1000, { kind: 'publishers' });
    expect(low).toMatchObject({ gate: 'ee-rik: records read', value: 1000, passed: false });
    expect(low?.limit).toBe(`${source.expectedRecords.min.toLocaleString('en')} to ${source.expectedRecords.max.toLocaleString('en')} (its usual range)`);
    expect(expectedRangeGate(source, source.expectedRecords.min, { kind: 'mirror', base: 'http://127.0.0.1:1' })[0]?.passed).toBe(true);
    expect(expectedRangeGate(source, 1000, { kind: 'folder', path: '/tmp' })).toEqual([]);
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
