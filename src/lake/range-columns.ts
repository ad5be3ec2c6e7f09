/**
 * The columns every table of address ranges carries, for the index build and for analysts' range
 * joins: first and last address as text, as 16-byte sortable keys (IPv4 as ::ffff:a.b.c.d), IPv4
 * also as integers, and coarse buckets (IPv4 /16, IPv6 /32) to make equi-joins before the range test.
 */
import { addressKeyHex, formatIpv4, formatIpv6, type AddressRange } from '../ip/address.js';
import type { Column } from './table-schema.js';

export const RANGE_COLUMNS: readonly Column[] = [
  { name: 'family', type: 'TINYINT', description: 'address family: 4 or 6' },
  { name: 'first_address', type: 'VARCHAR', description: 'first address of the range, as text (RFC 5952 for IPv6)' },
  { name: 'last_address', type: 'VARCHAR', description: 'last address of the range (inclusive), as text' },
  { name: 'first_key', type: 'BLOB', description: 'first address as a 16-byte big-endian key (IPv4 as ::ffff:a.b.c.d); sorts both families' },
  { name: 'last_key', type: 'BLOB', description: 'last address as a 16-byte big-endian key' },
  { name: 'first_v4', type: 'BIGINT', description: 'first IPv4 address as an integer (null for IPv6)' },
  { name: 'last_v4', type: 'BIGINT', description: 'last IPv4 address as an integer (null for IPv6)' },
  { name: 'bucket_first', type: 'BIGINT', description: 'bucket of the first address: the IPv4 /16 or the IPv6 /32, as an integer' },
  { name: 'bucket_last', type: 'BIGINT', description: 'bucket of the last address; join on buckets between these, then on the keys' },
];

/** The values of RANGE_COLUMNS for a range, in order (the keys as hex text, which the Parquet writer takes for BLOB). */
export function rangeValues(range: AddressRange): (string | number | bigint | null)[] {
  if (range.family === 4) {
    return [4, formatIpv4(range.first), formatIpv4(range.last), addressKeyHex(4, range.first), addressKeyHex(4, range.last), range.first, range.last, Math.floor(range.first / 65536), Math.floor(range.last / 65536)];
  }
  return [6, formatIpv6(range.first), formatIpv6(range.last), addressKeyHex(6, range.first), addressKeyHex(6, range.last), null, null, range.first >> 96n, range.last >> 96n];
}
