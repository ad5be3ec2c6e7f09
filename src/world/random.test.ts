import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Permutation, rngFor } from './random.js';

describe('seeded randomness', () => {
  it('gives the same draws for the same (seed, stream, index) and different ones otherwise', () => {
    const draws = (seed: number, stream: string, index: number) => {
      const rng = rngFor(seed, stream, index);
      return [rng.next(), rng.next(), rng.next()];
    };
    expect(draws(1, 'company', 5)).toEqual(draws(1, 'company', 5));
    expect(draws(1, 'company', 5)).not.toEqual(draws(1, 'company', 6));
    expect(draws(1, 'company', 5)).not.toEqual(draws(2, 'company', 5));
    expect(draws(1, 'company', 5)).not.toEqual(draws(1, 'holder', 5));
  });

  it('permutations are bijections of [0, size) (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 2 ** 31 }), (size, salt) => {
        const p = new Permutation(size, salt);
        const seen = new Set<number>();
        for (let i = 0; i < size; i++) {
          const v = p.at(i);
          expect(Number.isInteger(v) && v >= 0 && v < size).toBe(true);
          seen.add(v);
        }
        expect(seen.size).toBe(size);
      }),
      { numRuns: 50 },
    );
  });

  it('permutations of huge spaces stay exact integers', () => {
    const p = new Permutation(36 ** 8, 12345);
    for (const i of [0, 1, 2_900_000, 2 ** 40]) expect(Number.isSafeInteger(p.at(i))).toBe(true);
  });
});
