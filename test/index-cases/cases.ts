/**
 * The index test cases: good.idx built from source.json, and corrupt/ — the same file truncated at
 * every section boundary, a byte flipped in the header and in each section, a wrong magic and a
 * future major — each with the error code a reader must give. `npm run index-cases` writes them.
 */
import { readFileSync } from 'node:fs';
import { flattenRanges, V4_STEPS, V6_STEPS, type FlattenInput } from '../../src/index-build/flatten.js';
import { parseIpv4, parseIpv6 } from '../../src/ip/address.js';
import { HEADER_BYTES, SECTION_ENTRY_BYTES, SECTIONS } from '../../src/index-file/layout.js';
import { IndexWriter, type RecordInput } from '../../src/index-file/write.js';

export interface CaseSource {
  buildId: string;
  snapshot: string;
  sources: { id: string; publisher: string; licence: string; attribution: string }[];
  records: Record<string, RecordInput>;
  ranges: { first: string; last: string; record: string }[];
  lookups: { ip: string; record: string | null }[];
}

export const SOURCE: CaseSource = JSON.parse(readFileSync(new URL('source.json', import.meta.url), 'utf8')) as CaseSource;

/** good.idx, built from the source. */
export function goodFile(source: CaseSource = SOURCE): Buffer {
  const writer = new IndexWriter({ buildId: source.buildId, snapshot: source.snapshot, sources: source.sources });
  const ids = new Map(Object.entries(source.records).map(([name, r]) => [name, writer.recordId(r)]));
  const v4: FlattenInput<number>[] = [];
  const v6: FlattenInput<bigint>[] = [];
  for (const r of source.ranges) {
    const value = ids.get(r.record) as number;
    const [a4, b4] = [parseIpv4(r.first), parseIpv4(r.last)];
    if (a4 !== undefined && b4 !== undefined) v4.push({ first: a4, last: b4, value, rank: 0 });
    else v6.push({ first: parseIpv6(r.first) as bigint, last: parseIpv6(r.last) as bigint, value, rank: 0 });
  }
  for (const r of flattenRanges(v4, V4_STEPS)) writer.addV4(r.first, r.last, r.value);
  for (const r of flattenRanges(v6, V6_STEPS)) writer.addV6(r.first, r.last, r.value);
  return Buffer.concat(writer.finish().chunks);
}

/** A corrupt variant and the error code a reader must reject it with. */
export interface CorruptCase {
  name: string;
  code: string;
  bytes: Buffer;
}

const NAMES = new Map<number, string>(Object.entries(SECTIONS).map(([name, s]) => [s.id, name]));

/** The sections of a good file: name, offset and length, from its section table. */
function sectionsOf(file: Buffer): { name: string; offset: number; length: number }[] {
  const count = file.readUInt32LE(16);
  const out = [];
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    out.push({ name: NAMES.get(file.readUInt32LE(at)) ?? `section-${file.readUInt32LE(at)}`, offset: Number(file.readBigUInt64LE(at + 8)), length: Number(file.readBigUInt64LE(at + 16)) });
  }
  return out;
}

/** Every corrupt variant of `good`. */
export function corruptCases(good: Buffer = goodFile()): CorruptCase[] {
  const cases: CorruptCase[] = [];
  const edit = (name: string, code: string, change: (b: Buffer) => Buffer) => cases.push({ name, code, bytes: change(Buffer.from(good)) });
  edit('empty', 'INDEX_TRUNCATED', (b) => b.subarray(0, 0));
  edit('truncated-header', 'INDEX_TRUNCATED', (b) => b.subarray(0, HEADER_BYTES - 1));
  edit('truncated-section-table', 'INDEX_TRUNCATED', (b) => b.subarray(0, HEADER_BYTES + SECTION_ENTRY_BYTES));
  edit('bad-magic', 'INDEX_BAD_MAGIC', (b) => b.fill('X', 0, 1));
  edit('future-major', 'INDEX_UNSUPPORTED_VERSION', (b) => {
    b.writeUInt16LE(2, 8);
    return b;
  });
  edit('flipped-header', 'INDEX_CHECKSUM', (b) => {
    b[40] = (b[40] as number) ^ 0x01; // a reserved byte: only the header CRC-32 notices
    return b;
  });
  edit('flipped-metadata', 'INDEX_CHECKSUM', (b) => {
    const at = b.readUInt32LE(12) - 9;
    b[at] = (b[at] as number) ^ 0x20;
    return b;
  });
  edit('appended-byte', 'INDEX_LENGTH', (b) => Buffer.concat([b, Buffer.from([0])]));
  edit('flipped-padding', 'INDEX_BAD_SECTION', (b) => {
    // The last byte: alignment padding after the last section, which no checksum covers.
    const last = sectionsOf(good).reduce((end, s) => Math.max(end, s.offset + s.length), 0);
    if (last >= b.length) throw new Error('index cases: the good file has no padding after its last section; pick another padding byte');
    b[b.length - 1] = (b[b.length - 1] as number) ^ 0x01;
    return b;
  });
  for (const s of sectionsOf(good)) {
    edit(`truncated-at-${s.name}`, 'INDEX_TRUNCATED', (b) => b.subarray(0, s.offset));
    if (s.length > 0) {
      edit(`flipped-${s.name}`, 'INDEX_CHECKSUM', (b) => {
        const at = s.offset + Math.floor(s.length / 2);
        b[at] = (b[at] as number) ^ 0x40;
        return b;
      });
    }
  }
  return cases;
}
