/**
 * The primary keys of inetnum and inet6num objects: "a.b.c.d - e.f.g.h" (an inclusive range, not
 * necessarily CIDR) or "a.b.c.d/n" (LACNIC) for IPv4, "prefix/n" for IPv6. A key that is not an
 * address range is a skipped record, with a reason.
 */
import { parseIpv4, parseIpv6, ipv6PrefixEnd, type AddressRange } from '../ip/address.js';


/** The range of an inetnum key, or the reason it is not one. */
export function parseInetnumKey(key: string): AddressRange | { reason: string } {
  const dash = key.indexOf('-');
  if (dash === -1) {
    const [address, length] = key.split('/');
    const first = parseIpv4((address ?? '').trim());
    const n = Number(length);
    if (first === undefined || length === undefined) return { reason: 'not an IPv4 range' };
    if (!/^\d{1,2}$/.test(length.trim()) || n > 32) return { reason: 'prefix longer than 32' };
    const size = 2 ** (32 - n);
    if (first % size !== 0) return { reason: 'start not aligned to its prefix' };
    return { family: 4, first, last: first + size - 1 };
  }
  const first = parseIpv4(key.slice(0, dash).trim());
  const last = parseIpv4(key.slice(dash + 1).trim());
  if (first === undefined || last === undefined) return { reason: 'not an IPv4 range' };
  if (last < first) return { reason: 'end before start' };
  return { family: 4, first, last };
}

/** The range of an inet6num key, or the reason it is not one. */
export function parseInet6numKey(key: string): AddressRange | { reason: string } {
  const [address, length] = key.split('/');
  const first = parseIpv6((address ?? '').trim());
  if (first === undefined || length === undefined) return { reason: 'not an IPv6 prefix' };
  const n = Number(length);
  if (!/^\d{1,3}$/.test(length.trim()) || n > 128) return { reason: 'prefix longer than 128' };
  const hostBits = (1n << BigInt(128 - n)) - 1n;
  if ((first & hostBits) !== 0n) return { reason: 'start not aligned to its prefix' };
  return { family: 6, first, last: ipv6PrefixEnd(first, n) };
}
