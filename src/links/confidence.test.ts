import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../test/support/duckdb.js';
import { confidenceSql, MEASURED, smoothed } from './confidence.js';

describe('link confidence', () => {
  it('is the smoothed measured precision: below 1, above the raw share of a perfect record, within (0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (a, b) => {
        const links = Math.max(a, b);
        const correct = Math.min(a, b);
        const c = smoothed([links, correct]);
        expect(c).toBeGreaterThan(0);
        expect(c).toBeLessThan(1);
        if (links > 0) expect(Math.abs(c - correct / links)).toBeLessThanOrEqual(1 / (links + 2) + 1e-12);
      }),
    );
    for (const m of Object.values(MEASURED)) for (const [links, correct] of [m.national, m.gleif]) expect(correct).toBeLessThanOrEqual(links);
  });

  it('gives GLEIF name matches the lower confidence their measurement earned', async () => {
    const duck = await openDuckDb();
    try {
      const [r] = await queryRows(duck, `SELECT ${confidenceSql("'exact-name'", 'true')} AS gleif, ${confidenceSql("'exact-name'", 'false')} AS national, ${confidenceSql("'nope'", 'false')} AS unknown`);
      expect(r!['gleif']).toBeCloseTo(smoothed(MEASURED['exact-name']!.gleif), 3);
      expect(r!['national']).toBeGreaterThan(0.999);
      expect(Number(r!['gleif'])).toBeLessThan(0.95);
      expect(r!['unknown']).toBeNull();
    } finally {
      duck.closeSync();
    }
  });
});
