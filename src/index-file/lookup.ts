/**
 * Finding an address's range: a first-level table narrows the search to a bucket (and, for crowded
 * IPv6 buckets, the reader's own second level to a sub-bucket), then a binary search over the starts
 * as they are stored — IPv4 as u16 offsets or u32, IPv6 over the first-word, second-word and low-word
 * columns. No object is made per lookup.
 */
import { FIRST_LEVEL_HEAD } from './layout.js';
import type { IndexSections } from './open.js';

/** Finds range indexes in a file's sections. */
export class RangeFinder {
  readonly #s: IndexSections;
  readonly #c0: Uint16Array | Uint32Array;
  readonly #c1: Uint32Array;
  #absoluteFirstWords: Uint32Array | undefined;
  readonly #v4Mask: number;
  readonly #lowIndex: Uint32Array;
  readonly #low2: Uint32Array;
  readonly #low3: Uint32Array;
  readonly #v4Base: number;
  readonly #v4Shift: number;
  readonly #v4Buckets: number;
  readonly #v6Base: number;
  readonly #v6Shift: number;
  readonly #v6Buckets: number;
  readonly #v6Second: SecondLevel;
  readonly #v6OffsetMask: number;
  readonly #v6Relative: boolean;

  /** `second`: the IPv6 second level, when already built for these sections (else built here). */
  constructor(sections: IndexSections, second?: SecondLevel) {
    this.#s = sections;
    [this.#c0, this.#c1] = [sections.v6Starts, sections.v6SecondWords];
    const lows = sections.v6LowWords.length / 3;
    const low = (w: number) => sections.v6LowWords.subarray(w * lows, (w + 1) * lows);
    [this.#lowIndex, this.#low2, this.#low3] = [low(0), low(1), low(2)];
    const v4 = sections.v4FirstLevel;
    [this.#v4Base, this.#v4Shift, this.#v4Buckets] = [v4[0] as number, v4[1] as number, 2 ** (v4[2] as number)];
    // Relative (u16) starts compare against the address's offset in its bucket; absolute ones against the address.
    this.#v4Mask = sections.v4Starts.BYTES_PER_ELEMENT === 2 ? 2 ** this.#v4Shift - 1 : -1;
    const v6 = sections.v6FirstLevel;
    [this.#v6Base, this.#v6Shift, this.#v6Buckets] = [v6[0] as number, v6[1] as number, 2 ** (v6[2] as number)];
    this.#v6OffsetMask = 2 ** this.#v6Shift - 1;
    this.#v6Relative = sections.v6Starts.BYTES_PER_ELEMENT === 2;
    this.#v6Second = second ?? secondLevel(v6, this.#c0, this.#c1);
  }

  /** The IPv6 second level (to hand to openVerifiedIndex with the bytes it came from). */
  get secondLevel(): SecondLevel {
    return this.#v6Second;
  }

  /** IPv6 start `i` as a bigint. */
  v6Start(i: number): bigint {
    const k = this.#lowAt(i);
    const [w2, w3] = k < 0 ? [0, 0] : [this.#low2[k] as number, this.#low3[k] as number];
    this.#absoluteFirstWords ??= absoluteKeys(this.#c0, this.#s.v6FirstLevel);
    return (BigInt(this.#absoluteFirstWords[i] as number) << 96n) | (BigInt(this.#c1[i] as number) << 64n) | (BigInt(w2) << 32n) | BigInt(w3);
  }

  /** Where start `i` is in the low-words columns, or -1 when its low 64 bits are zero. */
  #lowAt(i: number): number {
    const index = this.#lowIndex;
    let lo = 0;
    let hi = index.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((index[mid] as number) < i) lo = mid + 1;
      else hi = mid;
    }
    return lo < index.length && index[lo] === i ? lo : -1;
  }

  /** The index of the last IPv4 start at or before `a` (-1 when none). */
  findV4(a: number): number {
    const t = this.#s.v4FirstLevel;
    const starts = this.#s.v4Starts;
    let lo: number;
    let hi: number;
    let key = a;
    if (a < this.#v4Base) {
      lo = 0;
      hi = t[FIRST_LEVEL_HEAD] as number;
    } else {
      const k = (a - this.#v4Base) >>> this.#v4Shift;
      if (k >= this.#v4Buckets) {
        lo = t[FIRST_LEVEL_HEAD + this.#v4Buckets] as number;
        hi = starts.length;
      } else {
        lo = t[FIRST_LEVEL_HEAD + k] as number;
        hi = t[FIRST_LEVEL_HEAD + k + 1] as number;
        if (this.#v4Mask >= 0) key = (a - this.#v4Base) & this.#v4Mask;
      }
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((starts[mid] as number) <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** The index of the last IPv6 start at or before the address of words w0…w3 (-1 when none). */
  findV6(w0: number, w1: number, w2: number, w3: number): number {
    const t = this.#s.v6FirstLevel;
    const c0 = this.#c0;
    const c1 = this.#c1;
    let lo: number;
    let hi: number;
    let key = w0;
    if (w0 < this.#v6Base) {
      lo = 0;
      hi = t[FIRST_LEVEL_HEAD] as number;
    } else {
      const k = (w0 - this.#v6Base) >>> this.#v6Shift;
      if (k >= this.#v6Buckets) {
        lo = t[FIRST_LEVEL_HEAD + this.#v6Buckets] as number;
        hi = c0.length;
      } else {
        const offset = (w0 - this.#v6Base) & this.#v6OffsetMask; // the address's place in its bucket
        if (this.#v6Relative) key = offset;
        const second = this.#v6Second;
        const at = second.at[k] as number;
        if (at < 0) {
          lo = t[FIRST_LEVEL_HEAD + k] as number;
          hi = t[FIRST_LEVEL_HEAD + k + 1] as number;
        } else {
          const j = subBucket(offset, w1, this.#v6Shift, second.bits[k] as number);
          lo = second.bounds[at + j] as number;
          hi = second.bounds[at + j + 1] as number;
        }
      }
    }
    // Most steps end on the dense first-word column; the second is read on a tie, the low words on a tie of both.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s0 = c0[mid] as number;
      let notAfter: boolean;
      if (s0 !== key) notAfter = s0 < key;
      else {
        const s1 = c1[mid] as number;
        notAfter = s1 !== w1 ? s1 < w1 : this.#lowNotAfter(mid, w2, w3);
      }
      if (notAfter) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Whether the low 64 bits of start `i` are at most (w2, w3); zero when the start has no low-words entry. */
  #lowNotAfter(i: number, w2: number, w3: number): boolean {
    const k = this.#lowIndex.length === 0 ? -1 : this.#lowAt(i);
    if (k < 0) return true;
    const s2 = this.#low2[k] as number;
    return s2 !== w2 ? s2 < w2 : (this.#low3[k] as number) <= w3;
  }
}

/**
 * The reader's own second level over crowded IPv6 buckets, built at open (not stored): real IPv6
 * space is clustered (2001::/20, 2a00::/12 hold most assignments), so some first-level buckets keep
 * thousands of starts. Each bucket of more than SECOND_LEVEL_MIN starts gets 2^bits sub-buckets over
 * the next bits of the 64-bit prefix (about eight starts each); `bounds[at[k] + j]` is the first start of
 * bucket k whose sub-bucket is j or more, `at[k]` -1 for buckets searched whole.
 */
export interface SecondLevel {
  at: Int32Array;
  bits: Uint8Array;
  bounds: Uint32Array;
}

const SECOND_LEVEL_MIN = 32;

/** Sub-bucket of an address at `offset` in its first-level bucket of 2^shift first words, second word `w1`. */
function subBucket(offset: number, w1: number, shift: number, bits: number): number {
  return bits <= shift ? offset >>> (shift - bits) : (offset << (bits - shift)) | (w1 >>> (32 - bits + shift));
}

/** Exported for the tests, which check that crowded buckets get one. */
export function secondLevel(table: Uint32Array, c0: Uint16Array | Uint32Array, c1: Uint32Array): SecondLevel {
  const [base, shift, buckets] = [table[0] as number, table[1] as number, 2 ** (table[2] as number)];
  const at = new Int32Array(buckets).fill(-1);
  const bits = new Uint8Array(buckets);
  let size = 0;
  for (let k = 0; k < buckets; k++) {
    const count = (table[FIRST_LEVEL_HEAD + k + 1] as number) - (table[FIRST_LEVEL_HEAD + k] as number);
    if (count <= SECOND_LEVEL_MIN) continue;
    bits[k] = Math.min(24, Math.ceil(Math.log2(count / 8)));
    at[k] = size;
    size += 2 ** (bits[k] as number) + 1;
  }
  const bounds = new Uint32Array(size);
  const relative = c0.BYTES_PER_ELEMENT === 2;
  for (let k = 0; k < buckets; k++) {
    const from = at[k] as number;
    if (from < 0) continue;
    const [lo, hi, b] = [table[FIRST_LEVEL_HEAD + k] as number, table[FIRST_LEVEL_HEAD + k + 1] as number, bits[k] as number];
    const bucketBase = base + k * 2 ** shift;
    let j = 0;
    for (let i = lo; i < hi; i++) {
      const offset = relative ? (c0[i] as number) : (c0[i] as number) - bucketBase;
      const sub = subBucket(offset, c1[i] as number, shift, b);
      while (j <= sub) bounds[from + j++] = i;
    }
    while (j <= 2 ** b) bounds[from + j++] = hi;
  }
  return { at, bits, bounds };
}

/** Absolute keys (IPv4 starts, IPv6 first words) of starts stored as they are or relative to their bucket. */
export function absoluteKeys(stored: Uint16Array | Uint32Array, table: Uint32Array): Uint32Array {
  if (stored instanceof Uint32Array) return stored;
  const [base, shift, bits] = [table[0] as number, table[1] as number, table[2] as number];
  const keys = new Uint32Array(stored.length);
  keys[0] = stored[0] as number;
  for (let k = 0; k < 2 ** bits; k++) {
    const from = base + k * 2 ** shift;
    for (let i = table[FIRST_LEVEL_HEAD + k] as number; i < (table[FIRST_LEVEL_HEAD + k + 1] as number); i++) keys[i] = from + (stored[i] as number);
  }
  return keys;
}
