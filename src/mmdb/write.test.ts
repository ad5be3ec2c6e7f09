import fc from 'fast-check';
import { Reader } from 'maxmind';
import { describe, expect, it } from 'vitest';
import { flattenRanges, V4_STEPS, V6_STEPS } from '../index-build/flatten.js';
import { formatIpv4, formatIpv6 } from '../ip/address.js';
import { NONE } from '../index-file/layout.js';
import { openIndex, type IndexReader, type IndexRecord } from '../index-file/read.js';
import { IndexWriter, overlapsV4Aliases, type RecordInput } from '../index-file/write.js';
import { exportMmdb } from './write.js';

const SOURCES = [{ id: 'ripe-rpsl', publisher: 'RIPE NCC', licence: 'RIPE terms', attribution: 'Contains data from the RIPE Database.' }];
const RECORDS: RecordInput[] = [
  { class: 'business', country: 'GB', company: { name: 'Acme Logistics Ltd', register: 'gb-companies-house', registerId: '01234567', country: 'GB', lei: '213800ABCDEFGHIJKL12', city: 'Leeds', industry: { scheme: 'SIC2007', codes: ['49410', '52290'] }, website: 'https://acme.example' }, linkRule: 'exact-name', confidence: 0.98, sources: ['ripe-rpsl'] },
  { class: 'isp', country: 'DE', company: null, linkRule: null, confidence: null, sources: ['ripe-rpsl'] },
  { class: 'hosting', country: null, company: null, linkRule: null, confidence: null, sources: [] },
  // A long name (a string past the one-byte size field) and non-ASCII text.
  { class: 'business', country: 'FR', company: { name: `Société ${'très '.repeat(80)}générale`, register: 'fr-sirene', registerId: '552120222', country: 'FR', lei: null }, linkRule: 'lei', confidence: 1, sources: ['ripe-rpsl'] },
];

/** What an MMDB reader should return for an index record. */
function mmdbValue(r: IndexRecord): Record<string, unknown> {
  const value: Record<string, unknown> = { class: r.class };
  if (r.country !== null) value['country'] = r.country;
  if (r.company !== null) {
    value['company'] = { name: r.company.name, register: r.company.register, register_id: r.company.registerId, ...(r.company.country === null ? {} : { country: r.company.country }), ...(r.company.lei === null ? {} : { lei: r.company.lei }),
      ...(r.company.city == null ? {} : { city: r.company.city }),
      ...(r.company.industry == null ? {} : { industry: { scheme: r.company.industry.scheme, codes: [...r.company.industry.codes] } }),
      ...(r.company.website == null ? {} : { website: r.company.website }) };
  }
  if (r.linkRule !== null) value['link_rule'] = r.linkRule;
  if (r.confidence !== null) value['confidence'] = r.confidence;
  value['sources'] = [...r.sources];
  value['attribution'] = r.attribution;
  return value;
}

function buildIndex(v4: { first: number; last: number; value: number }[], v6: { first: bigint; last: bigint; value: number }[]): IndexReader {
  const writer = new IndexWriter({ buildId: 'mmdb-test', snapshot: '2026-11-01', sources: SOURCES });
  const ids = RECORDS.map((r) => writer.recordId(r));
  const sorted = <T extends number | bigint>(a: { first: T; last: T; value: number }[]) => [...a].sort((x, y) => (x.first < y.first ? -1 : x.first > y.first ? 1 : 0)).map((r) => ({ ...r, rank: 0 }));
  for (const r of flattenRanges(sorted(v4), V4_STEPS)) writer.addV4(r.first, r.last, ids[r.value] as number);
  for (const r of flattenRanges(sorted(v6), V6_STEPS)) writer.addV6(r.first, r.last, ids[r.value] as number);
  const { chunks } = writer.finish();
  return openIndex(Buffer.concat(chunks));
}

const MAX4 = 2 ** 32 - 1;
const v4Address = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: MAX4 - 64, max: MAX4 }), fc.integer({ min: 0xc0000200, max: 0xc0000300 }), fc.nat(MAX4));
const v6Address = fc.oneof(fc.bigInt({ min: 1n << 32n, max: (1n << 32n) + 64n }), fc.bigInt({ min: 0x2a010000n << 96n, max: (0x2a010000n << 96n) + 300n }), fc.bigInt({ min: (1n << 128n) - 64n, max: (1n << 128n) - 1n }), fc.bigInt({ min: 1n << 32n, max: (1n << 128n) - 1n }));
const range = <T extends number | bigint>(address: fc.Arbitrary<T>) => fc.record({ a: address, b: address, value: fc.nat(RECORDS.length - 1) }).map(({ a, b, value }) => ({ first: a < b ? a : b, last: a < b ? b : a, value }));

describe('MMDB export', () => {
  it('answers like the index at every range start and end, for both families and the IPv4 aliases', () => {
    fc.assert(
      fc.property(fc.array(range(v4Address), { maxLength: 12 }), fc.array(range(v6Address), { maxLength: 12 }), (v4, v6in) => {
        const v6 = v6in.filter((r) => !overlapsV4Aliases(r.first, r.last));
        const index = buildIndex(v4, v6);
        const mmdb = new Reader<Record<string, unknown>>(Buffer.concat(exportMmdb(index, { databaseType: 'ipreg-test', description: 'test', buildEpoch: 1_793_491_200 }).chunks));
        for (const r of index.ranges(4)) {
          for (const a of [r.first as number, r.last as number]) {
            const want = r.recordId === NONE ? null : mmdbValue(index.record(r.recordId));
            expect(mmdb.get(formatIpv4(a))).toEqual(want);
            expect(mmdb.get(`::ffff:${formatIpv4(a)}`)).toEqual(want);
            expect(mmdb.get(formatIpv6((0x2002n << 112n) | (BigInt(a) << 80n)))).toEqual(want);
          }
        }
        for (const r of index.ranges(6)) {
          for (const a of [r.first as bigint, r.last as bigint]) {
            if (a <= 0xffffffffn || overlapsV4Aliases(a, a)) continue;
            expect(mmdb.get(formatIpv6(a))).toEqual(r.recordId === NONE ? null : mmdbValue(index.record(r.recordId)));
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('writes the metadata readers need', () => {
    const index = buildIndex([{ first: 0xc0000200, last: 0xc00002ff, value: 0 }], []);
    const mmdb = new Reader(Buffer.concat(exportMmdb(index, { databaseType: 'ipreg-company', description: 'ipreg answers', buildEpoch: 1_793_491_200 }).chunks));
    expect(mmdb.metadata).toMatchObject({ binaryFormatMajorVersion: 2, binaryFormatMinorVersion: 0, databaseType: 'ipreg-company', ipVersion: 6, languages: ['en'], description: { en: 'ipreg answers' } });
    expect(Number(mmdb.metadata.buildEpoch)).toBe(1_793_491_200 * 1000);
    expect(mmdb.getWithPrefixLength('192.0.2.7')).toEqual([mmdbValue(index.record(0)), 24]);
  });
});
