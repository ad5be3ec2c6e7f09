/**
 * IP addresses and ranges without dependencies: parsing IPv4 and
 * IPv6 text, formatting (RFC 5952 for IPv6), the 16-byte sortable key both families share (IPv4 as
 * ::ffff:a.b.c.d), and splitting an inclusive range into CIDR prefixes.
 */
import { parseV4 } from './parse-address.js';

/** A range of addresses, inclusive. */
export type AddressRange = { family: 4; first: number; last: number } | { family: 6; first: bigint; last: bigint };

/** An IPv4 address as an unsigned 32-bit integer, or undefined when `text` is not one (dotted quad, no leading zeros). */
export function parseIpv4(text: string): number | undefined {
  const value = parseV4(text);
  return value < 0 ? undefined : value;
}

/** Dotted-quad text of an IPv4 integer. */
export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** An IPv6 address as a 128-bit bigint, or undefined when `text` is not one (an embedded IPv4 tail is allowed). */
export function parseIpv6(text: string): bigint | undefined {
  if (text.length < 2 || text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const compressed = halves.length === 2;
  const head = wordsOf(halves[0] as string, !compressed);
  const tail = compressed ? wordsOf(halves[1] as string, true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const fill = 8 - head.length - tail.length;
  if (compressed ? fill < 1 : fill !== 0) return undefined;
  let value = 0n;
  for (const word of [...head, ...new Array<number>(fill).fill(0), ...tail]) value = (value << 16n) | BigInt(word);
  return value;
}

/** The 16-bit words of colon-separated groups; the last group may be a dotted IPv4 (two words). */
function wordsOf(part: string, v4Allowed: boolean): number[] | undefined {
  if (part === '') return [];
  const groups = part.split(':');
  const words: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] as string;
    if (v4Allowed && i === groups.length - 1 && g.includes('.')) {
      const v4 = parseIpv4(g);
      if (v4 === undefined) return undefined;
      words.push(v4 >>> 16, v4 & 0xffff);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
      words.push(parseInt(g, 16));
    } else {
      return undefined;
    }
  }
  return words;
}

/** RFC 5952 text of an IPv6 bigint: lower case, the longest run of two or more zero groups compressed. */
export function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

const V4_MAPPED = 0xffff00000000n;

/**
 * The 16-byte big-endian key of an address: IPv6 as is, IPv4 as ::ffff:a.b.c.d. Keys of both families
 * sort in one order (all IPv4 together), so one binary column serves range joins on either.
 */
export function addressKey(family: 4 | 6, value: number | bigint): Buffer {
  const v = family === 4 ? V4_MAPPED | BigInt(value as number) : (value as bigint);
  const key = Buffer.alloc(16);
  key.writeBigUInt64BE(v >> 64n, 0);
  key.writeBigUInt64BE(v & 0xffffffffffffffffn, 8);
  return key;
}

const V4_MAPPED_HEX = '00000000000000000000ffff';

/** The same key as lower-case hex text (32 digits), made without a Buffer: the Parquet writer's fast path. */
export function addressKeyHex(family: 4 | 6, value: number | bigint): string {
  if (family === 4) return V4_MAPPED_HEX + (value as number).toString(16).padStart(8, '0');
  return (value as bigint).toString(16).padStart(32, '0');
}

/** The address a 16-byte key holds, with its family. */
export function addressFromKey(key: Uint8Array): { family: 4 | 6; value: number | bigint } {
  const buffer = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  const v = (buffer.readBigUInt64BE(0) << 64n) | buffer.readBigUInt64BE(8);
  return v >> 32n === 0xffffn ? { family: 4, value: Number(v & 0xffffffffn) } : { family: 6, value: v };
}

/** A CIDR prefix: first address and length. */
export interface Prefix<T extends number | bigint> {
  start: T;
  length: number;
}

/** The fewest CIDR prefixes that cover exactly the IPv4 range first..last (inclusive). */
export function ipv4RangeToPrefixes(first: number, last: number): Prefix<number>[] {
  const out: Prefix<number>[] = [];
  let at = first;
  while (at <= last) {
    // The largest block aligned at `at` that does not pass `last`.
    let size = at === 0 ? 2 ** 32 : 2 ** Math.min(32, trailingZeros32(at));
    while (at + size - 1 > last) size /= 2;
    out.push({ start: at, length: 32 - Math.log2(size) });
    at += size;
  }
  return out;
}

function trailingZeros32(n: number): number {
  let count = 0;
  while (count < 32 && n % 2 === 0) {
    n /= 2;
    count++;
  }
  return count;
}

/** The fewest CIDR prefixes that cover the IPv6 range first..last (inclusive). */
export function ipv6RangeToPrefixes(first: bigint, last: bigint): Prefix<bigint>[] {
  const out: Prefix<bigint>[] = [];
  let at = first;
  while (at <= last) {
    let size = 128;
    while (size > 0 && (at & ((1n << BigInt(size)) - 1n)) !== 0n) size--;
    while (at + (1n << BigInt(size)) - 1n > last) size--;
    out.push({ start: at, length: 128 - size });
    at += 1n << BigInt(size);
  }
  return out;
}

/** The last address of an IPv6 prefix. */
export function ipv6PrefixEnd(start: bigint, length: number): bigint {
  return start | ((1n << BigInt(128 - length)) - 1n);
}
