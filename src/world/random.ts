/**
 * Seeded randomness for the synthetic world. Every entity draws from its own generator, seeded from
 * (world seed, stream name, index), so any entity can be rebuilt alone, in any order, without keeping
 * the others in memory: that is what lets the `full` world stream with flat memory.
 */

/** A 32-bit hash of a string (FNV-1a), for naming random streams. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes numbers into one well-spread 32-bit seed (murmur3's finalizer over each part). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    let k = Math.imul(part >>> 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
    // indices above 2^32 keep their high part
    if (part > 0xffffffff) h ^= Math.floor(part / 0x100000000);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A small, fast seeded generator (sfc32). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform number in [0, 1). */
  float(): number {
    return this.next() / 0x100000000;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** A uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** One element, with the given relative weights. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.float() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** A number from a rough log-normal around `median`, never below `min`. */
  skewed(median: number, spread: number, min = 1): number {
    const u = Math.max(this.float(), 1e-9);
    const v = this.float();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(min, Math.round(median * Math.exp(spread * normal)));
  }
}

/** A fixed weighted choice, with its cumulative weights computed once (for choices made millions of times). */
export class WeightedTable<T> {
  private readonly items: T[];
  private readonly cumulative: Float64Array;

  constructor(entries: readonly (readonly [T, number])[]) {
    this.items = entries.map(([item]) => item);
    this.cumulative = new Float64Array(entries.length);
    let total = 0;
    entries.forEach(([, w], i) => (this.cumulative[i] = total += w));
  }

  /** One item, drawn with the table's weights. */
  pick(rng: Rng): T {
    const r = rng.float() * (this.cumulative[this.cumulative.length - 1] as number);
    let i = 0;
    while (i < this.cumulative.length - 1 && (this.cumulative[i] as number) <= r) i++;
    return this.items[i] as T;
  }
}

/** The generator of one entity: the same (seed, stream, index) always gives the same draws. */
export function rngFor(seed: number, stream: string, index: number): Rng {
  return new Rng(mixSeed(seed, hashString(stream), index));
}

/**
 * A bijection of [0, size) that looks random: an affine map modulo `size` with a multiplier
 * coprime to it. Used to turn entity indices into unique, unordered-looking register numbers.
 */
export class Permutation {
  private readonly multiplier: number;
  private readonly offset: number;

  constructor(
    readonly size: number,
    salt: number,
  ) {
    let multiplier = Math.floor(size * 0.6180339887) + (Math.abs(salt) % 1000);
    if (multiplier % 2 === 0) multiplier += 1;
    while (gcd(multiplier, size) !== 1) multiplier += 2;
    this.multiplier = multiplier % size;
    this.offset = Math.abs(salt) % size;
  }

  /** The image of `index` (0 ≤ index < size). */
  at(index: number): number {
    const product = index * this.multiplier;
    if (Number.isSafeInteger(product)) return (product + this.offset) % this.size;
    return Number((BigInt(index) * BigInt(this.multiplier) + BigInt(this.offset)) % BigInt(this.size));
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
