/**
 * Address text to numbers for the lookup path: no allocation, no BigInt, no regular expressions.
 * IPv4 as a dotted quad without leading zeros; IPv6 as RFC 4291 text (`::` once, an IPv4 tail allowed,
 * no zone). src/ip/address.ts parses IPv4 with this; its IPv6 parser (bigints) is checked against this by a property test.
 */

/** The IPv4 address as an unsigned 32-bit integer, or -1 when `text` is not a dotted quad. */
export function parseV4(text: string): number {
  const n = text.length;
  if (n < 7 || n > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return -1; // a leading zero: octal to some readers
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

const groups = new Uint16Array(8);

/** The value of each hex digit's character code, -1 for every other UTF-16 code unit (64 KiB: no range check on the hot path). */
const HEX = new Int8Array(65536).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) HEX[97 + c] = HEX[65 + c] = 10 + c;

/**
 * Parses IPv6 text into four 32-bit words, most significant first, written to `out`; false when
 * `text` is not an IPv6 address.
 */
export function parseAddressWords(text: string, out: Uint32Array): boolean {
  const n = text.length;
  if (n < 2 || n > 45) return false;
  let count = 0; // groups written
  let gap = -1; // index in groups where '::' stands
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
    if (i === n) return finish(out, count, gap);
  }
  while (i < n) {
    // One group: hex digits up to ':' or the end, or a dotted IPv4 tail.
    let value = 0;
    const start = i;
    while (i < n) {
      const d = HEX[text.charCodeAt(i)] as number;
      if (d < 0) break;
      value = (value << 4) | d; // more than four digits is refused below, whatever this holds then
      i++;
    }
    const digits = i - start;
    if (i < n && text.charCodeAt(i) === 46) {
      if (count > 6) return false;
      const v4 = parseV4(text.slice(start));
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      return finish(out, count, gap);
    }
    if (digits === 0 || digits > 4 || count === 8) return false;
    groups[count++] = value;
    if (i === n) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < n && text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i++;
      if (i === n) break;
    } else if (i === n) {
      return false; // a trailing single ':'
    }
  }
  return finish(out, count, gap);
}

/** Spreads the groups around the '::' gap and packs them into words. */
function finish(out: Uint32Array, count: number, gap: number): boolean {
  if (gap < 0) {
    if (count !== 8) return false;
    for (let w = 0; w < 4; w++) out[w] = (groups[2 * w] as number) * 65536 + (groups[2 * w + 1] as number);
    return true;
  }
  if (count > 7) return false;
  const fill = 8 - count;
  let word = 0;
  for (let g = 0; g < 8; g++) {
    let value: number;
    if (g < gap) value = groups[g] as number;
    else if (g < gap + fill) value = 0;
    else value = groups[g - fill] as number;
    if (g % 2 === 0) word = value * 65536;
    else out[g >>> 1] = word + value;
  }
  return true;
}
