/**
 * Address space for the synthetic world: each RIR hands out blocks from the /8s (IPv4) and /12s
 * (IPv6) the real registries hold, front to back, so allocations never overlap and come out sorted.
 */
import { IpregError } from '../errors.js';

/** The five regional registries. */
export type Rir = 'ripencc' | 'arin' | 'apnic' | 'lacnic' | 'afrinic';

/** IPv4 /8s per RIR (first octets), as the real registries hold them (abridged). */
const IPV4_POOLS: Record<Rir, readonly number[]> = {
  ripencc: [2, 5, 25, 31, 37, 46, 51, 53, 57, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 109, 141, 145, 151, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217],
  arin: [3, 4, 8, 23, 24, 50, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 96, 97, 98, 99, 104, 107, 108, 184, 199, 204, 205, 206, 207, 208, 209, 216],
  apnic: [1, 14, 27, 36, 39, 42, 43, 49, 58, 59, 60, 61, 101, 103, 106, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 175, 180, 182, 183, 202, 203, 210, 211, 218, 219, 220, 221, 222, 223],
  lacnic: [177, 179, 181, 186, 187, 189, 190, 191, 200, 201],
  afrinic: [41, 102, 105, 154, 196, 197],
};

/** The IPv6 /12 of each RIR. */
const IPV6_POOLS: Record<Rir, bigint> = {
  ripencc: 0x2a00n << 112n,
  arin: 0x2600n << 112n,
  apnic: 0x2400n << 112n,
  lacnic: 0x2800n << 112n,
  afrinic: 0x2c00n << 112n,
};

/** Hands out aligned IPv4 blocks of an RIR in ascending order. */
export class Ipv4Cursor {
  private poolIndex = 0;
  private next: number;

  constructor(private readonly rir: Rir) {
    this.next = (IPV4_POOLS[rir][0] as number) * 2 ** 24;
  }

  /** The first address of a new block of `size` addresses (a power of two), aligned to its size. */
  take(size: number): number {
    for (;;) {
      const start = Math.ceil(this.next / size) * size;
      const pool = IPV4_POOLS[this.rir][this.poolIndex] as number;
      if (start + size <= (pool + 1) * 2 ** 24) {
        this.next = start + size;
        return start;
      }
      this.poolIndex++;
      const nextPool = IPV4_POOLS[this.rir][this.poolIndex];
      if (nextPool === undefined) {
        throw new IpregError('INTERNAL', `the world ran out of ${this.rir} IPv4 space (asked for ${size} addresses)`);
      }
      this.next = nextPool * 2 ** 24;
    }
  }

  /** Leaves a gap of `size` addresses (unallocated space between allocations). */
  skip(size: number): void {
    this.next += size;
  }
}

/** Hands out IPv6 prefixes of an RIR in ascending order. */
export class Ipv6Cursor {
  private next: bigint;
  private readonly end: bigint;

  constructor(rir: Rir) {
    this.next = IPV6_POOLS[rir];
    this.end = IPV6_POOLS[rir] + (1n << 116n);
  }

  /** The first address of a new, aligned prefix of length `prefixLength`. */
  take(prefixLength: number): bigint {
    const size = 1n << BigInt(128 - prefixLength);
    const start = ((this.next + size - 1n) / size) * size;
    if (start + size > this.end) throw new IpregError('INTERNAL', `the world ran out of IPv6 space for a /${prefixLength}`);
    this.next = start + size;
    return start;
  }
}

/** The smallest power of two not below n. */
export function ceilPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, n)));
}
