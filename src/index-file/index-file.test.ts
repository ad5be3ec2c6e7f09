import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenRanges, V4_STEPS, V6_STEPS, type FlattenInput } from '../index-build/flatten.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../ip/address.js';
import { parseAddressWords, parseV4 } from '../ip/parse-address.js';
import { openIndex, secondLevel, type IndexRecord } from './read.js';
import { verifyIndex } from './verify.js';
import { IndexWriter, overlapsV4Aliases, type RecordInput } from './write.js';

const SOURCES = [
  { id: 'ripe-rpsl', publisher: 'RIPE NCC', licence: 'RIPE terms', attribution: 'Contains data from the RIPE Database.' },
  { id: 'gb-companies-house', publisher: 'Companies House', licence: 'OGL v3.0', attribution: 'Contains public sector information (OGL v3.0).' },
];

const RECORDS: RecordInput[] = [
  { class: 'business', country: 'GB', company: { name: 'Acme Logistics Ltd', register: 'gb-companies-house', registerId: '01234567', country: 'GB', lei: null, city: 'Leeds', industry: { scheme: 'SIC2007', codes: ['49410', '52290'] }, website: null }, linkRule: 'exact-name', confidence: 0.9912, sources: ['ripe-rpsl', 'gb-companies-house'], asn: 64500, asName: 'ACME-AS Acme Logistics' },
  { class: 'isp', country: 'DE', company: null, linkRule: null, confidence: null, sources: ['ripe-rpsl'], asn: 4_200_000_001, asName: 'EXAMPLE-BROADBAND' },
  { class: 'hosting', country: 'NL', company: null, linkRule: null, confidence: null, sources: ['ripe-rpsl'] },
  { class: 'business', country: 'FR', company: { name: 'Société Générale d’Études', register: 'fr-sirene', registerId: '552120222', country: 'FR', lei: '969500EXAMPLE0000001', city: 'Paris 9e Arrondissement', industry: { scheme: 'NAFRev2', codes: ['64.19Z'] }, website: 'https://www.example.fr' }, linkRule: 'lei', confidence: 1, sources: ['ripe-rpsl'] },
  { class: 'unknown', country: null, company: null, linkRule: null, confidence: null, sources: [] },
  // A company with only the fields every register has.
  { class: 'hosting', country: 'NO', company: { name: 'Fjord Drift AS', register: 'no-brreg', registerId: '923609016', country: 'NO', lei: null }, linkRule: 'register-number', confidence: 0.97, sources: ['ripe-rpsl'] },
  // A network the routing data gives no name.
  { class: 'isp', country: 'DE', company: null, linkRule: null, confidence: null, sources: ['ripe-rpsl'], asn: 64501 },
];

/** What a record input reads back as. */
function expected(r: RecordInput): Omit<IndexRecord, 'attribution'> {
  return {
    class: r.class,
    country: r.country,
    company: r.company === null ? null : { city: null, industry: null, website: null, ...r.company },
    linkRule: r.linkRule,
    confidence: r.confidence,
    sources: [...r.sources].sort((a, b) => SOURCES.findIndex((s) => s.id === a) - SOURCES.findIndex((s) => s.id === b)),
    asn: r.asn ?? null,
    asName: r.asName ?? null,
  };
}

function answerOf(r: IndexRecord | undefined): Omit<IndexRecord, 'attribution'> | undefined {
  if (r === undefined) return undefined;
  const { attribution: _a, ...rest } = r;
  const company = rest.company === null ? null : { ...rest.company, industry: rest.company.industry === null ? null : { scheme: rest.company.industry.scheme, codes: [...rest.company.industry.codes] } };
  return { ...rest, sources: [...rest.sources], company };
}

/** The answer a linear scan gives: the smallest range holding `a`, then the lower rank, the later start, the later input. */
function scan<T extends number | bigint>(inputs: FlattenInput<T>[], a: T): number | undefined {
  let best: { size: T; rank: number; first: T; order: number; value: number } | undefined;
  inputs.forEach((r, order) => {
    if (r.first > a || r.last < a) return;
    const size = ((r.last as number) - (r.first as number)) as unknown as T;
    const wins = best === undefined || size < best.size
      || (size === best.size && (r.rank < best.rank || (r.rank === best.rank && (r.first > best.first || (r.first === best.first && order > best.order)))));
    if (wins) best = { size, rank: r.rank, first: r.first, order, value: r.value };
  });
  return best?.value;
}

const MAX4 = 2 ** 32 - 1;
const MAX6 = (1n << 128n) - 1n;

/** IPv4 addresses crowded near the edges of the space and each other, so ranges nest and touch. */
const v4Address = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: MAX4 - 40, max: MAX4 }), fc.integer({ min: 0x0a000000, max: 0x0a000040 }), fc.nat(MAX4));
const v6Address = fc.oneof(
  fc.bigInt({ min: 0n, max: 40n }),
  fc.bigInt({ min: MAX6 - 40n, max: MAX6 }),
  fc.bigInt({ min: 0x2a010000n << 96n, max: (0x2a010000n << 96n) + 64n }),
  fc.bigInt({ min: 0n, max: MAX6 }),
);

function rangeArb<T extends number | bigint>(address: fc.Arbitrary<T>) {
  return fc.record({ a: address, b: address, value: fc.nat(RECORDS.length - 1), rank: fc.nat(2) }).map(({ a, b, value, rank }) => ({ first: a < b ? a : b, last: a < b ? b : a, value, rank }));
}

function build(v4: FlattenInput<number>[], v6: FlattenInput<bigint>[]) {
  const writer = new IndexWriter({ buildId: 'test-build', snapshot: '2026-11-01', sources: SOURCES });
  // Records on first use, as the builder does: an answer no range keeps is not stored.
  const ids: (number | undefined)[] = [];
  const id = (value: number) => (ids[value] ??= writer.recordId(RECORDS[value] as RecordInput));
  const byFirst = <T extends number | bigint>(a: FlattenInput<T>, b: FlattenInput<T>) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0);
  for (const r of flattenRanges([...v4].sort(byFirst), V4_STEPS)) writer.addV4(r.first, r.last, id(r.value));
  for (const r of flattenRanges([...v6].sort(byFirst), V6_STEPS)) writer.addV6(r.first, r.last, id(r.value));
  const { meta, chunks } = writer.finish();
  return { meta, bytes: Buffer.concat(chunks) };
}

function probes<T extends number | bigint>(inputs: FlattenInput<T>[], extra: T[], steps: { next(x: T): T; previous(x: T): T }, max: T): T[] {
  const out = new Set<T>(extra);
  for (const r of inputs) {
    for (const x of [r.first, r.last]) out.add(x);
    if (r.first > 0) out.add(steps.previous(r.first));
    if (r.last < max) out.add(steps.next(r.last));
  }
  return [...out];
}

describe('index file', () => {
  it('answers every address as a linear scan with most-specific-wins does (both families, boundaries)', () => {
    fc.assert(
      fc.property(fc.array(rangeArb(v4Address), { maxLength: 25 }), fc.array(rangeArb(v6Address), { maxLength: 25 }), (v4, v6in) => {
        const v6 = v6in.filter((r) => !overlapsV4Aliases(r.first, r.last));
        const reader = openIndex(build(v4, v6).bytes);
        for (const a of probes(v4, [0, MAX4], V4_STEPS, MAX4)) {
          const want = scan(v4, a);
          expect(answerOf(reader.lookup(formatIpv4(a)))).toEqual(want === undefined ? undefined : expected(RECORDS[want] as RecordInput));
          // The same address as IPv4-mapped IPv6 and as 6to4 gets the same answer.
          expect(reader.lookup(`::ffff:${formatIpv4(a)}`)).toBe(reader.lookupV4(a));
          expect(reader.lookup(formatIpv6((0x2002n << 112n) | (BigInt(a) << 80n) | 1n))).toBe(reader.lookupV4(a));
        }
        for (const a of probes(v6, [0n, MAX6], V6_STEPS, MAX6)) {
          if (overlapsV4Aliases(a, a)) continue;
          const want = scan(v6, a);
          expect(answerOf(reader.lookup(formatIpv6(a)))).toEqual(want === undefined ? undefined : expected(RECORDS[want] as RecordInput));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers the same with 16-bit starts (ranges clustered: buckets at most 2^16 wide)', () => {
    const v4Near = fc.integer({ min: 0x0a000000, max: 0x0a03ffff });
    const v6Near = fc.bigInt({ min: 0x2a010000n << 96n, max: (0x2a01ffffn << 96n) | ((1n << 96n) - 1n) });
    let relative = 0;
    fc.assert(
      fc.property(fc.array(rangeArb(v4Near), { minLength: 8, maxLength: 40 }), fc.array(rangeArb(v6Near), { minLength: 8, maxLength: 40 }), (v4, v6) => {
        const reader = openIndex(build(v4, v6).bytes);
        if (reader.sections().v4Starts.BYTES_PER_ELEMENT === 2 && reader.sections().v6Starts.BYTES_PER_ELEMENT === 2) relative++;
        for (const a of probes(v4, [0, MAX4, 0x09ffffff], V4_STEPS, MAX4)) {
          const want = scan(v4, a);
          expect(answerOf(reader.lookup(formatIpv4(a)))).toEqual(want === undefined ? undefined : expected(RECORDS[want] as RecordInput));
        }
        for (const a of probes(v6, [0n, MAX6], V6_STEPS, MAX6)) {
          const want = scan(v6, a);
          expect(answerOf(reader.lookup(formatIpv6(a)))).toEqual(want === undefined ? undefined : expected(RECORDS[want] as RecordInput));
        }
        expect(() => verifyIndex(build(v4, v6).bytes)).not.toThrow();
      }),
      { numRuns: 200 },
    );
    expect(relative).toBeGreaterThan(100);
  });

  it('answers the same in crowded first-level buckets, searched through the second level (ties on both high words)', () => {
    const inOne32 = fc.bigInt({ min: 0x2a0104f8n << 96n, max: (0x2a0104f8n << 96n) | ((1n << 96n) - 1n) });
    const oneWord = fc.bigInt({ min: 0n, max: 0xffffn }).map((x) => (0x2a0104f8n << 96n) | (x << 64n)); // starts that tie on both high words
    // A few /32s spread over 2a00::/12, so the first level's buckets span many first words.
    const fewWords = fc.tuple(fc.constantFrom(0x2a000000n, 0x2a000001n, 0x2a013000n, 0x2a0fff00n), fc.bigInt({ min: 0n, max: (1n << 96n) - 1n })).map(([w, rest]) => (w << 96n) | rest);
    // Small ranges, most of them disjoint: many starts, so buckets crowd past the second level's threshold.
    const small = fc.record({ a: fc.oneof(inOne32, oneWord, fewWords), size: fc.bigInt({ min: 0n, max: 1n << 70n }), value: fc.nat(RECORDS.length - 1), rank: fc.nat(2) })
      .map(({ a, size, value, rank }) => ({ first: a, last: a + size > MAX6 ? MAX6 : a + size, value, rank }));
    let seconded = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(rangeArb(fc.oneof(inOne32, oneWord, fewWords)), small), { minLength: 40, maxLength: 150 }), (v6) => {
        const reader = openIndex(build([], v6).bytes);
        const s = reader.sections();
        if (secondLevel(s.v6FirstLevel, s.v6Starts, s.v6SecondWords).at.some((at) => at >= 0)) seconded++;
        for (const a of probes(v6, [0n, MAX6, 0x2a000000n << 96n], V6_STEPS, MAX6)) {
          const want = scan(v6, a);
          expect(answerOf(reader.lookup(formatIpv6(a)))).toEqual(want === undefined ? undefined : expected(RECORDS[want] as RecordInput));
        }
      }),
      { numRuns: 150 },
    );
    expect(seconded).toBeGreaterThan(75);
  });

  it('round-trips: the ranges read back are the flattened input, gaps explicit, neighbours merged', () => {
    fc.assert(
      fc.property(fc.array(rangeArb(v4Address), { maxLength: 30 }), (v4) => {
        const reader = openIndex(build(v4, []).bytes);
        const ranges = [...reader.ranges(4)];
        expect(ranges[0]?.first).toBe(0);
        expect(ranges.at(-1)?.last).toBe(MAX4);
        for (let i = 1; i < ranges.length; i++) {
          expect(ranges[i]?.first).toBe((ranges[i - 1]?.last as number) + 1);
          expect(ranges[i]?.recordId).not.toBe(ranges[i - 1]?.recordId);
        }
        for (const r of ranges) {
          const want = scan(v4, r.first as number);
          expect(r.recordId === 0xffffffff ? undefined : reader.record(r.recordId).class).toBe(want === undefined ? undefined : RECORDS[want]?.class);
          expect(reader.lookupIdV4(r.last as number)).toBe(r.recordId);
          if (r.recordId !== 0xffffffff) expect(reader.recordClass(r.recordId)).toBe(RECORDS[want as number]?.class);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('builds the same bytes from the same input, and each record object once', () => {
    const v4 = [{ first: 10, last: 20, value: 0, rank: 0 }, { first: 15, last: 16, value: 1, rank: 0 }];
    const a = build(v4, [{ first: 5n, last: 9n, value: 3, rank: 0 }]);
    const b = build(v4, [{ first: 5n, last: 9n, value: 3, rank: 0 }]);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    const reader = openIndex(a.bytes);
    expect(reader.lookup('0.0.0.10')).toBe(reader.lookup('0.0.0.20'));
    expect(reader.lookup('0.0.0.15')?.class).toBe('isp');
    expect(reader.lookup('0.0.0.15')?.company).toBeNull();
    expect(reader.lookup('::7')?.company?.lei).toBe('969500EXAMPLE0000001');
    expect(reader.lookup('0.0.0.10')?.attribution).toBe('Contains data from the RIPE Database. Contains public sector information (OGL v3.0).');
    expect(reader.meta().counts).toEqual({ v4Ranges: 5, v6Ranges: 3, records: 3, linkedRecords: 2, strings: reader.meta().counts.strings });
  });

  it('keeps at most recordsKept record objects and builds the same record again when one was dropped', () => {
    const v4 = [0, 1, 2, 3].map((value) => ({ first: 10 * value + 10, last: 10 * value + 15, value, rank: 0 }));
    const bytes = build(v4, []).bytes;
    const all = openIndex(bytes);
    const few = openIndex(bytes, { recordsKept: 2 });
    const ips = ['0.0.0.10', '0.0.0.20', '0.0.0.30', '0.0.0.40'];
    for (let pass = 0; pass < 3; pass++) for (const ip of ips) expect(few.lookup(ip)).toEqual(all.lookup(ip));
    expect(all.lookup('0.0.0.10')).toBe(all.lookup('0.0.0.11'));
    const first = few.lookup('0.0.0.10');
    for (const ip of ips.slice(1)) few.lookup(ip);
    expect(few.lookup('0.0.0.10')).not.toBe(first);
    expect(few.lookup('0.0.0.10')).toEqual(first);
  });

  it('refuses a company on an access-provider class', () => {
    const writer = new IndexWriter({ buildId: 'b', snapshot: '2026-11-01', sources: SOURCES });
    expect(() => writer.recordId({ ...(RECORDS[0] as RecordInput), class: 'mobile' })).toThrow('a mobile range cannot name a company');
  });

  it('keeps the AS numbers in the narrowest column: a byte a record without networks, four with 32-bit ones', () => {
    const width = (records: RecordInput[]) => {
      const writer = new IndexWriter({ buildId: 'b', snapshot: '2026-11-01', sources: SOURCES });
      records.forEach((r, i) => writer.addV4(i * 10, i * 10 + 5, writer.recordId(r, true)));
      const reader = openIndex(Buffer.concat(writer.finish().chunks));
      expect(records.map((_, i) => reader.record(i).asn)).toEqual(records.map((r) => r.asn ?? null));
      return reader.sections().recordAsn.BYTES_PER_ELEMENT;
    };
    const plain = RECORDS.map((r) => ({ ...r, asn: null, asName: null }));
    expect(width(plain)).toBe(1);
    expect(width([...plain, { ...(RECORDS[1] as RecordInput), asn: 64500, asName: null }])).toBe(2);
    expect(width(RECORDS)).toBe(4);
  });

  it('refuses an AS name without an AS number, and a number no AS has', () => {
    const writer = new IndexWriter({ buildId: 'b', snapshot: '2026-11-01', sources: SOURCES });
    expect(() => writer.recordId({ ...(RECORDS[1] as RecordInput), asn: null })).toThrow('AS name "EXAMPLE-BROADBAND" without an AS number');
    expect(() => writer.recordId({ ...(RECORDS[1] as RecordInput), asn: 2 ** 32 })).toThrow('AS number 4294967296 is not a 32-bit AS number');
    expect(() => writer.recordId({ ...(RECORDS[1] as RecordInput), asn: 1.5 })).toThrow('AS number 1.5');
  });

  it('rejects text that is not an address without repeating it', () => {
    const reader = openIndex(build([], []).bytes);
    for (const bad of ['', '1.2.3', '01.2.3.4', '256.1.1.1', '1.2.3.4.5', '::1::', '1:2:3:4:5:6:7:8:9', 'gggg::', '192.0.2.1 ']) {
      expect(() => reader.lookup(bad)).toThrow(/^not an IPv4 or IPv6 address$/);
    }
  });
});

describe('address parsing on the lookup path', () => {
  it('reads IPv4 text as a dotted-quad grammar does (no leading zeros, octets to 255)', () => {
    // An independent reference: the grammar as a regular expression, the value from the octets.
    const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
    const QUAD = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
    const reference = (text: string) => {
      const m = QUAD.exec(text);
      return m === null ? -1 : m.slice(1).reduce((v, o) => v * 256 + Number(o), 0);
    };
    const digitsAndDots = fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.'), maxLength: 16 });
    fc.assert(fc.property(fc.oneof(fc.ipV4(), fc.ipV4Extended(), digitsAndDots, fc.string({ maxLength: 16 })), (text) => {
      expect(parseV4(text)).toBe(reference(text));
    }), { numRuns: 5000 });
    expect(parseIpv4('255.255.255.255')).toBe(2 ** 32 - 1);
  });

  it('agrees with the pipeline parser on IPv6 text', () => {
    const words = new Uint32Array(4);
    fc.assert(fc.property(fc.oneof(fc.ipV6(), fc.string({ maxLength: 40 }), fc.constantFrom('::', '::1', '1::', '::ffff:1.2.3.4', '1:2:3:4:5:6:1.2.3.4', ':1::', '1:::2')), (text) => {
      const v = parseIpv6(text);
      const ok = parseAddressWords(text, words);
      expect(ok).toBe(v !== undefined);
      if (v !== undefined) expect((BigInt(words[0] as number) << 96n) | (BigInt(words[1] as number) << 64n) | (BigInt(words[2] as number) << 32n) | BigInt(words[3] as number)).toBe(v);
    }), { numRuns: 2000 });
  });
});
