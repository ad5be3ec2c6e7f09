import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenRanges, V4_STEPS } from './flatten.js';
import { RouteOverlay, type RouteTable } from './routes.js';

/** Ranges over a small space so they nest, touch and overlap. */
const ranges = fc.array(fc.record({ a: fc.nat(200), b: fc.nat(200), value: fc.nat(4) }).map(({ a, b, value }) => ({ first: Math.min(a, b), last: Math.max(a, b), value, rank: 0 })), { maxLength: 12 });

function table(inputs: { first: number; last: number; value: number; rank: number }[]): RouteTable<number> {
  const flat = [...flattenRanges([...inputs].sort((x, y) => x.first - y.first), V4_STEPS)];
  return { first: flat.map((r) => r.first), last: flat.map((r) => r.last), network: flat.map((r) => r.value) };
}

/** The network a linear scan gives an address: the one of the route table's range that holds it, or −1. */
function networkAt(routes: RouteTable<number>, address: number): number {
  const i = routes.first.findIndex((first, j) => first <= address && address <= (routes.last[j] as number));
  return i < 0 ? -1 : (routes.network[i] as number);
}

describe('route overlay', () => {
  it('cuts each answered range exactly where the announcing network changes, with each piece the network a scan finds', () => {
    fc.assert(fc.property(ranges, ranges, (announced, answered) => {
      const routes = table(announced);
      const answers = table(answered);
      const overlay = new RouteOverlay(routes, V4_STEPS);
      answers.first.forEach((first, i) => {
        const last = answers.last[i] as number;
        const pieces = overlay.split(first, last);
        expect(pieces[0]?.first).toBe(first);
        expect(pieces.at(-1)?.last).toBe(last);
        pieces.forEach((p, k) => {
          if (k > 0) {
            expect(p.first).toBe((pieces[k - 1]?.last as number) + 1);
            expect(p.network).not.toBe(pieces[k - 1]?.network); // neighbours of one network are one piece
          }
          for (let a = p.first; a <= p.last; a++) expect({ a, network: p.network }).toEqual({ a, network: networkAt(routes, a) });
        });
      });
    }));
  });
});
