/**
 * Opening an index file (FORMAT.md): the header, the section table, the metadata and every CRC-32
 * checked, the padding zero, the counts and first-level tables sound; then each section viewed in
 * place as a typed array.
 */
import { crc32 } from './crc32.js';
import { IndexFileError } from './errors.js';
import {
  FIRST_LEVEL_HEAD, FORMAT_MAJOR, HEADER_BYTES, HEADER_CRC_OFFSET, MAGIC, MAX_FIRST_LEVEL_BITS,
  SECTION_ALIGN, SECTION_ENTRY_BYTES, SECTION_SINCE_MINOR, SECTIONS, STRING_COLUMNS, type IndexMeta, type SectionName,
} from './layout.js';

/** The typed-array views of a file's sections. */
export interface IndexSections {
  /** IPv4 starts: as they are (u32), or (u16) as offsets from their first-level bucket's first address. */
  v4Starts: Uint16Array | Uint32Array;
  v4Records: Uint32Array;
  v4FirstLevel: Uint32Array;
  /** IPv6 starts' first words: as they are (u32), or (u16) as offsets from their bucket's first key. */
  v6Starts: Uint16Array | Uint32Array;
  /** IPv6 starts' second words. */
  v6SecondWords: Uint32Array;
  /** The starts with low 64 bits not zero: index, third-word and fourth-word columns. */
  v6LowWords: Uint32Array;
  v6Records: Uint32Array;
  v6FirstLevel: Uint32Array;
  recordClass: Uint8Array;
  /** String offsets of each record, one column per STRING_COLUMNS entry. */
  recordStrings: (Uint8Array | Uint16Array | Uint32Array)[];
  recordConfidence: Uint16Array;
  recordAttribution: Uint16Array;
  /** AS number of each record (0: none); all zero in a file of a minor before 2. */
  recordAsn: Uint32Array | Uint16Array | Uint8Array;
  stringBytes: Uint8Array;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

interface SectionEntry {
  name: SectionName | undefined;
  id: number;
  element: number;
  offset: number;
  length: number;
  crc: number;
}

/** Reads and checks the header, section table, metadata and checksums; views each section. */
export function readLayout(buffer: Uint8Array, checks: boolean): { meta: IndexMeta; sections: IndexSections } {
  if (buffer.byteLength < HEADER_BYTES) throw new IndexFileError('INDEX_TRUNCATED', `file has ${buffer.byteLength} bytes, fewer than the ${HEADER_BYTES}-byte header`);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const magic = String.fromCharCode(...buffer.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new IndexFileError('INDEX_BAD_MAGIC', `magic is ${JSON.stringify(magic)}, not ${JSON.stringify(MAGIC)}: not an ipreg index file`);
  const major = view.getUint16(8, true);
  const minor = view.getUint16(10, true);
  if (major !== FORMAT_MAJOR) throw new IndexFileError('INDEX_UNSUPPORTED_VERSION', `format version ${major}.${minor} is not supported: this reader reads major version ${FORMAT_MAJOR}`);
  const headerLength = view.getUint32(12, true);
  const sectionCount = view.getUint32(16, true);
  const metaLength = view.getUint32(20, true);
  const fileLength = view.getUint32(24, true) + view.getUint32(28, true) * 2 ** 32;
  if (buffer.byteLength < headerLength) throw new IndexFileError('INDEX_TRUNCATED', `file has ${buffer.byteLength} bytes, fewer than its ${headerLength}-byte header`);
  if (buffer.byteLength < fileLength) throw new IndexFileError('INDEX_TRUNCATED', `file has ${buffer.byteLength} bytes, fewer than the ${fileLength} its header gives: truncated`);
  if (buffer.byteLength > fileLength) throw new IndexFileError('INDEX_LENGTH', `file has ${buffer.byteLength} bytes, more than the ${fileLength} its header gives`);
  if (HEADER_BYTES + sectionCount * SECTION_ENTRY_BYTES + metaLength > headerLength) {
    throw new IndexFileError('INDEX_BAD_SECTION', `header length ${headerLength} cannot hold ${sectionCount} section entries and ${metaLength} bytes of metadata`);
  }
  const stored = view.getUint32(HEADER_CRC_OFFSET, true);
  const computed = crc32(buffer.subarray(HEADER_CRC_OFFSET + 4, headerLength), crc32(new Uint8Array(4), crc32(buffer.subarray(0, HEADER_CRC_OFFSET))));
  if (stored !== computed) throw new IndexFileError('INDEX_CHECKSUM', `header: CRC-32 ${hex(computed)} differs from the stored ${hex(stored)} (bytes 0 to ${headerLength})`);
  const entries = readSectionTable(view, sectionCount, headerLength, fileLength, minor);
  const meta = readMeta(buffer.subarray(HEADER_BYTES + sectionCount * SECTION_ENTRY_BYTES, HEADER_BYTES + sectionCount * SECTION_ENTRY_BYTES + metaLength));
  for (const e of checks ? entries : []) {
    const actual = crc32(buffer.subarray(e.offset, e.offset + e.length));
    if (actual !== e.crc) throw new IndexFileError('INDEX_CHECKSUM', `${e.name ?? `section ${e.id}`}: CRC-32 ${hex(actual)} differs from the section table's ${hex(e.crc)} (offset ${e.offset}, ${e.length} bytes)`);
  }
  if (checks) checkPadding(buffer, entries, headerLength);
  const sections = viewSections(buffer, entries, meta.counts.records);
  checkCounts(meta, sections);
  if (checks) {
    checkFirstLevel('v4', sections.v4FirstLevel, sections.v4Starts);
    checkFirstLevel('v6', sections.v6FirstLevel, sections.v6Starts);
  }
  return { meta, sections };
}

/** Bytes no checksum covers (alignment padding between and after sections) must be zero: a flip there is damage too. */
function checkPadding(buffer: Uint8Array, entries: SectionEntry[], headerLength: number): void {
  let at = headerLength;
  const check = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      if (buffer[i] !== 0) throw new IndexFileError('INDEX_BAD_SECTION', `byte ${i}, padding between sections (bytes ${from} to ${to}), is ${buffer[i]}, not 0`);
    }
  };
  for (const e of [...entries].sort((a, b) => a.offset - b.offset)) {
    check(at, e.offset);
    at = e.offset + e.length;
  }
  check(at, buffer.byteLength);
}

const BY_ID = new Map<number, SectionName>(Object.entries(SECTIONS).map(([name, s]) => [s.id, name as SectionName]));

function readSectionTable(view: DataView, count: number, headerLength: number, fileLength: number, minor: number): SectionEntry[] {
  const entries: SectionEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    const id = view.getUint32(at, true);
    const e: SectionEntry = {
      name: BY_ID.get(id),
      id,
      element: view.getUint32(at + 4, true),
      offset: view.getUint32(at + 8, true) + view.getUint32(at + 12, true) * 2 ** 32,
      length: view.getUint32(at + 16, true) + view.getUint32(at + 20, true) * 2 ** 32,
      crc: view.getUint32(at + 24, true),
    };
    const label = e.name ?? `section ${id}`;
    const bad = (why: string) => new IndexFileError('INDEX_BAD_SECTION', `${label}: ${why}`);
    if (e.offset % SECTION_ALIGN !== 0) throw bad(`offset ${e.offset} is not a multiple of ${SECTION_ALIGN}`);
    if (e.offset < headerLength) throw bad(`offset ${e.offset} lies inside the ${headerLength}-byte header`);
    if (e.offset + e.length > fileLength) throw bad(`bytes ${e.offset} to ${e.offset + e.length} pass the end of the ${fileLength}-byte file`);
    const allowed: readonly number[] | undefined = e.name === undefined ? undefined : SECTIONS[e.name].elements;
    if (allowed !== undefined && !allowed.includes(e.element)) throw bad(`element size ${e.element}, expected ${allowed.join(' or ')}`);
    if (e.element !== 1 && e.element !== 2 && e.element !== 4) throw bad(`element size ${e.element} is not 1, 2 or 4`);
    if (e.length % e.element !== 0) throw bad(`length ${e.length} is not a multiple of its element size ${e.element}`);
    if (e.name !== undefined && entries.some((o) => o.id === id)) throw bad('appears twice in the section table');
    entries.push(e);
  }
  const sorted = [...entries].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const [p, e] = [sorted[i - 1] as SectionEntry, sorted[i] as SectionEntry];
    if (p.offset + p.length > e.offset) throw new IndexFileError('INDEX_BAD_SECTION', `${e.name ?? `section ${e.id}`}: offset ${e.offset} overlaps ${p.name ?? `section ${p.id}`} (bytes ${p.offset} to ${p.offset + p.length})`);
  }
  for (const name of Object.keys(SECTIONS) as SectionName[]) {
    if ((SECTION_SINCE_MINOR[name] ?? 0) > minor) continue;
    if (!entries.some((e) => e.name === name)) throw new IndexFileError('INDEX_BAD_SECTION', `${name}: required section missing from the section table`);
  }
  return entries;
}

function readMeta(bytes: Uint8Array): IndexMeta {
  let meta: IndexMeta;
  try {
    meta = JSON.parse(decoder.decode(bytes)) as IndexMeta;
  } catch (err) {
    throw new IndexFileError('INDEX_BAD_METADATA', `metadata is not UTF-8 JSON: ${(err as Error).message}`);
  }
  const counts = meta?.counts;
  const shaped = typeof meta === 'object' && meta !== null && typeof meta.buildId === 'string' && typeof counts === 'object' && counts !== null
    && Array.isArray(meta.sources) && Array.isArray(meta.attributions)
    && meta.attributions.every((set) => Array.isArray(set) && set.every((i) => Number.isInteger(i) && i >= 0 && i < meta.sources.length));
  if (!shaped) throw new IndexFileError('INDEX_BAD_METADATA', 'metadata lacks buildId, counts, sources or attributions, or an attribution names a source that is not listed');
  return meta;
}

function viewSections(buffer: Uint8Array, entries: SectionEntry[], records: number): IndexSections {
  const view = (name: SectionName) => {
    const e = entries.find((entry) => entry.name === name);
    // A record column an earlier minor version lacks: every record's string is "", its number 0.
    if (e === undefined) return new Uint8Array(Number.isSafeInteger(records) && records >= 0 ? records : 0);
    const start = buffer.byteOffset + e.offset;
    if (e.element === 4) return new Uint32Array(buffer.buffer, start, e.length / 4);
    if (e.element === 2) return new Uint16Array(buffer.buffer, start, e.length / 2);
    return buffer.subarray(e.offset, e.offset + e.length);
  };
  const u32 = (name: SectionName) => view(name) as Uint32Array;
  const v6LowWords = u32('v6.low-words');
  if (v6LowWords.length % 3 !== 0) throw new IndexFileError('INDEX_BAD_SECTION', `v6.low-words: ${v6LowWords.length} words, not three columns`);
  return {
    v4Starts: view('v4.starts') as Uint16Array | Uint32Array,
    v4Records: u32('v4.records'),
    v4FirstLevel: u32('v4.first-level'),
    v6Starts: view('v6.starts') as Uint16Array | Uint32Array,
    v6SecondWords: u32('v6.second-words'),
    v6LowWords,
    v6Records: u32('v6.records'),
    v6FirstLevel: u32('v6.first-level'),
    recordClass: view('record.class') as Uint8Array,
    recordStrings: STRING_COLUMNS.map(view),
    recordConfidence: view('record.confidence') as Uint16Array,
    recordAttribution: view('record.attribution') as Uint16Array,
    recordAsn: view('record.asn') as Uint32Array | Uint16Array | Uint8Array,
    stringBytes: view('string.bytes') as Uint8Array,
  };
}

function checkCounts(meta: IndexMeta, s: IndexSections): void {
  const c = meta.counts;
  const checks: [string, number, number][] = [
    ['v4.starts', s.v4Starts.length, c.v4Ranges],
    ['v4.records', s.v4Records.length, c.v4Ranges],
    ['v6.starts', s.v6Starts.length, c.v6Ranges],
    ['v6.second-words', s.v6SecondWords.length, c.v6Ranges],
    ['v6.records', s.v6Records.length, c.v6Ranges],
    ['record.class', s.recordClass.length, c.records],
    ['record.confidence', s.recordConfidence.length, c.records],
    ['record.attribution', s.recordAttribution.length, c.records],
    ['record.asn', s.recordAsn.length, c.records],
    ...s.recordStrings.map((a, i): [string, number, number] => [`record string column ${i}`, a.length, c.records]),
  ];
  for (const [name, actual, expected] of checks) {
    if (actual !== expected) throw new IndexFileError('INDEX_BAD_METADATA', `${name}: ${actual} elements, but the metadata's counts make it ${expected}`);
  }
  if (c.v4Ranges < 1 || c.v6Ranges < 1) throw new IndexFileError('INDEX_BAD_METADATA', `counts: each family needs at least one range (v4 ${c.v4Ranges}, v6 ${c.v6Ranges})`);
  if (s.stringBytes[0] !== 0) throw new IndexFileError('INDEX_BAD_SECTION', 'string.bytes: the entry at offset 0 is not the empty string');
}

function checkFirstLevel(family: string, table: Uint32Array, starts: Uint16Array | Uint32Array): void {
  const count = starts.length;
  const [shift, bits] = [table[1] as number, table[2] as number];
  const bad = (why: string) => new IndexFileError('INDEX_BAD_SECTION', `${family}.first-level: ${why}`);
  if (!(bits >= 1 && bits <= MAX_FIRST_LEVEL_BITS)) throw bad(`bits ${bits} is not between 1 and ${MAX_FIRST_LEVEL_BITS}`);
  if (shift > 31) throw bad(`shift ${shift} is above 31`);
  const entries = 2 ** bits + 1;
  if (table.length !== FIRST_LEVEL_HEAD + entries) throw bad(`${table.length} words, expected ${FIRST_LEVEL_HEAD + entries} for ${bits} bits`);
  let previous = 0;
  for (let k = FIRST_LEVEL_HEAD; k < table.length; k++) {
    const v = table[k] as number;
    if (v < previous || v > count) throw bad(`entry ${k - FIRST_LEVEL_HEAD} is ${v}, out of order or above the ${count} starts`);
    previous = v;
  }
  // Starts stored relative to their bucket: only start 0 may lie below the first bucket, none past the last.
  if (starts.BYTES_PER_ELEMENT === 2 && (shift > 16 || (table[FIRST_LEVEL_HEAD] as number) > 1 || table[table.length - 1] !== count || starts[0] !== 0)) {
    throw new IndexFileError('INDEX_BAD_SECTION', `${family}.starts: 16-bit starts need buckets of at most 2^16 (shift ${shift}), only start 0 before the first bucket and none after the last`);
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
