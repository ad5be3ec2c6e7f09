import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressFromKey,
  addressKey,
  addressKeyHex,
  formatIpv4,
  formatIpv6,
  ipv4RangeToPrefixes,
  ipv6RangeToPrefixes,
  ipv6PrefixEnd,
  parseIpv4,
  parseIpv6,
} from './address.js';

describe('IPv4', () => {
  it('parses dotted quads and rejects everything else', () => {
    expect(parseIpv4('0.0.0.0')).toBe(0);
    expect(parseIpv4('255.255.255.255')).toBe(2 ** 32 - 1);
    expect(parseIpv4('193.0.4.1')).toBe(((193 * 256 + 0) * 256 + 4) * 256 + 1);
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '193.0.300.0', '01.2.3.4', '1.2.3.a', ' 1.2.3.4', '1..3.4', '1.2.3.4.']) {
      expect(parseIpv4(bad), bad).toBeUndefined();
    }
  });

  it('round-trips text and integer, and agrees with node:net on validity (property)', () => {
    fc.assert(fc.property(fc.ipV4(), (text) => formatIpv4(parseIpv4(text)!) === text));
    fc.assert(fc.property(fc.string({ maxLength: 16 }), (text) => (parseIpv4(text) !== undefined) === (isIPv4(text) && !/(^|\.)0\d/.test(text))));
  });
});

describe('IPv6', () => {
  it('parses every notation, including an IPv4 tail', () => {
    expect(parseIpv6('::')).toBe(0n);
    expect(parseIpv6('::1')).toBe(1n);
    expect(parseIpv6('2a00:1450:4000::')).toBe(0x2a001450400000000000000000000000n);
    expect(parseIpv6('2001:DB8::1')).toBe(0x20010db8000000000000000000000001n);
    expect(parseIpv6('::ffff:192.0.2.1')).toBe(0xffffc0000201n);
    expect(parseIpv6('0:0:0:0:0:ffff:192.0.2.1')).toBe(0xffffc0000201n);
    expect(parseIpv6('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe((1n << 128n) - 1n);
    for (const bad of ['', ':', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'g::', '1:2:3:4:5:6:7:8::', '::1.2.3', '1.2.3.4::']) {
      expect(parseIpv6(bad), bad).toBeUndefined();
    }
  });

  it('formats per RFC 5952 and round-trips (property)', () => {
    expect(formatIpv6(0x20010db8000000000001000000000001n)).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6(0x20010db8000100000000000000000001n)).toBe('2001:db8:1::1');
    expect(formatIpv6(0x20010db8000000010001000100010001n)).toBe('2001:db8:0:1:1:1:1:1');
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const value = parseIpv6(text);
        expect(value).toBeDefined();
        expect(parseIpv6(formatIpv6(value!))).toBe(value);
      }),
    );
    // node:net accepts zone ids (fe80::1%eth0); an address in a lake never has one.
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (text) => (parseIpv6(text) !== undefined) === (isIPv6(text) && !text.includes('%'))));
    fc.assert(fc.property(fc.ipV6(), (text) => parseIpv6(text) !== undefined));
  });
});

describe('the 16-byte key', () => {
  it('round-trips both families and sorts IPv4 by value (property)', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 32 - 1), fc.nat(2 ** 32 - 1), (a, b) => {
        expect(addressFromKey(addressKey(4, a))).toEqual({ family: 4, value: a });
        expect(addressKeyHex(4, a)).toBe(addressKey(4, a).toString('hex'));
        expect(Math.sign(Buffer.compare(addressKey(4, a), addressKey(4, b)))).toBe(Math.sign(a - b));
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (v) => {
        fc.pre(v >> 32n !== 0xffffn);
        expect(addressFromKey(addressKey(6, v))).toEqual({ family: 6, value: v });
        expect(addressKeyHex(6, v)).toBe(addressKey(6, v).toString('hex'));
      }),
    );
  });
});

describe('ranges and prefixes', () => {
  it('splits RIR counts that are not powers of two (393216 at 164.146.0.0 = /15 + /14)', () => {
    const start = parseIpv4('164.146.0.0')!;
    expect(ipv4RangeToPrefixes(start, start + 393216 - 1).map((p) => `${formatIpv4(p.start)}/${p.length}`)).toEqual([
      '164.146.0.0/15',
      '164.148.0.0/14',
    ]);
    expect(ipv4RangeToPrefixes(0, 2 ** 32 - 1)).toEqual([{ start: 0, length: 0 }]);
    expect(ipv4RangeToPrefixes(parseIpv4('194.206.161.47')!, parseIpv4('194.206.161.47')!)).toEqual([{ start: parseIpv4('194.206.161.47'), length: 32 }]);
  });

  it('covers exactly the range, with aligned, disjoint, ascending prefixes (property)', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 32 - 1), fc.nat(1 << 22), (first, count) => {
        const last = Math.min(2 ** 32 - 1, first + count);
        const prefixes = ipv4RangeToPrefixes(first, last);
        let at = first;
        for (const p of prefixes) {
          const size = 2 ** (32 - p.length);
          expect(p.start).toBe(at);
          expect(p.start % size).toBe(0);
          at += size;
        }
        expect(at - 1).toBe(last);
        expect(prefixes.length).toBeLessThanOrEqual(62);
      }),
    );
  });

  it('covers exactly an IPv6 range with aligned, ascending prefixes, fewest where a prefix fits (property)', () => {
    const address = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
    fc.assert(
      fc.property(address, fc.bigInt({ min: 0n, max: 1n << 70n }), (first, count) => {
        const last = first + count > (1n << 128n) - 1n ? (1n << 128n) - 1n : first + count;
        const prefixes = ipv6RangeToPrefixes(first, last);
        let at = first;
        for (const p of prefixes) {
          const size = 1n << BigInt(128 - p.length);
          expect(p.start).toBe(at);
          expect(p.start % size).toBe(0n);
          at += size;
        }
        expect(at - 1n).toBe(last);
        expect(prefixes.length).toBeLessThanOrEqual(254);
      }),
    );
    expect(ipv6RangeToPrefixes(parseIpv6('2001:db8::')!, parseIpv6('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')!)).toEqual([{ start: parseIpv6('2001:db8::'), length: 32 }]);
    expect(ipv6RangeToPrefixes(0n, (1n << 128n) - 1n)).toEqual([{ start: 0n, length: 0 }]);
  });

  it('gives the last address of an IPv6 prefix', () => {
    expect(formatIpv6(ipv6PrefixEnd(parseIpv6('2a00:1450:4000::')!, 37))).toBe('2a00:1450:47ff:ffff:ffff:ffff:ffff:ffff');
  });
});

describe('real ranges (iptoasn.com, first rows of each file)', () => {
  const REAL = new URL('./fixtures/iptoasn/', import.meta.url);
  const rows = (name: string) =>
    readFileSync(new URL(name, REAL), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));

  it('reads the IPv4 text ranges to the integers of the u32 file, back to the same text, tiling the space', () => {
    const text = rows('ip2asn-v4.first20.tsv');
    const u32 = rows('ip2asn-v4-u32.first20.tsv');
    expect(text).toHaveLength(u32.length);
    let next: number | undefined;
    text.forEach(([first, last], i) => {
      const [a, b] = [parseIpv4(first!), parseIpv4(last!)];
      expect([a, b]).toEqual([Number(u32[i]![0]), Number(u32[i]![1])]);
      expect([formatIpv4(a!), formatIpv4(b!)]).toEqual([first, last]);
      expect(a! <= b!).toBe(true);
      if (next !== undefined) expect(a).toBe(next);
      next = b! + 1;
    });
  });

  it('reads the IPv6 ranges, writes them back as published (RFC 5952), and their keys sort as they do', () => {
    const ranges = rows('ip2asn-v6.first20.tsv').map(([first, last]) => [first!, last!] as const);
    expect(ranges.length).toBeGreaterThan(10);
    let previous: bigint | undefined;
    for (const [first, last] of ranges) {
      const [a, b] = [parseIpv6(first), parseIpv6(last)];
      expect([formatIpv6(a!), formatIpv6(b!)]).toEqual([first, last]);
      expect(a! <= b!).toBe(true);
      if (previous !== undefined) {
        expect(a! > previous).toBe(true);
        expect(addressKeyHex(6, a!) > addressKeyHex(6, previous)).toBe(true);
      }
      previous = b!;
    }
  });
});
