/**
 * Full verification of an index file against every invariant of FORMAT.md — the checks the reader
 * leaves to the CRC-32s: sorted starts, merged neighbours, ids in range, classes, strings, aliases.
 * Run before publishing and by `ipreg index verify`.
 */
import { CLASSES, CONFIDENCE_SCALE, FIRST_LEVEL_HEAD, NO_CONFIDENCE, NONE, STRING_COLUMNS } from './layout.js';
import { absoluteKeys, IndexFileError, openIndex, type IndexReader, type IndexSections } from './read.js';

/** The checks verify ran, by name, for manifests and reports. */
export const VERIFY_CHECKS = [
  'header, sections and checksums',
  'starts sorted from zero, neighbours merged',
  'record ids in range, every record used',
  'record columns valid',
  'string entries whole and valid UTF-8',
  'no access-provider record names a company',
  'no IPv6 start in the IPv4 aliases',
  'first-level tables consistent',
] as const;

/** Opens `bytes` and checks every invariant; throws IndexFileError (code INDEX_INVARIANT) on the first broken one. */
export function verifyIndex(bytes: Uint8Array): { reader: IndexReader; checks: readonly string[] } {
  const reader = openIndex(bytes);
  const s = reader.sections();
  const records = reader.meta().counts.records;
  const used = new Uint8Array(records);
  const v6Columns = fullV6Columns(s);
  const v4Starts = absoluteKeys(s.v4Starts, s.v4FirstLevel);
  checkRelative('v4', s.v4Starts, s.v4FirstLevel);
  checkRelative('v6', s.v6Starts, s.v6FirstLevel);
  checkFamily('v4', [v4Starts], s.v4Records, records, used);
  checkFamily('v6', v6Columns, s.v6Records, records, used);
  const unused = used.indexOf(0);
  if (unused >= 0) fail(`record ${unused} is used by no range`);
  const entries = checkStrings(s, reader.meta().counts.strings);
  checkRecords(s, reader.meta().attributions.length, entries);
  checkAliases(v6Columns);
  checkTable('v4.first-level', s.v4FirstLevel, v4Starts);
  checkTable('v6.first-level', s.v6FirstLevel, v6Columns[0] as Uint32Array);
  return { reader, checks: VERIFY_CHECKS };
}

function fail(message: string): never {
  throw new IndexFileError('INDEX_INVARIANT', message);
}

/** The IPv6 starts as four full columns, the low words checked on the way (sorted, in range, not zero). */
function fullV6Columns(s: IndexSections): Uint32Array[] {
  const n = s.v6Records.length;
  const columns = [absoluteKeys(s.v6Starts, s.v6FirstLevel), s.v6SecondWords, new Uint32Array(n), new Uint32Array(n)] as const;
  const lows = s.v6LowWords.length / 3;
  for (let k = 0; k < lows; k++) {
    const [i, w2, w3] = [s.v6LowWords[k] as number, s.v6LowWords[lows + k] as number, s.v6LowWords[2 * lows + k] as number];
    if (i >= n || (k > 0 && i <= (s.v6LowWords[k - 1] as number))) fail(`v6.low-words: entry ${k} names start ${i}: out of order or past the ${n} starts`);
    if (w2 === 0 && w3 === 0) fail(`v6.low-words: entry ${k} (start ${i}) lists low words that are zero`);
    columns[2][i] = w2;
    columns[3][i] = w3;
  }
  return [...columns];
}

/** 16-bit starts are offsets inside their bucket: each below the bucket's width. */
function checkRelative(family: string, stored: Uint16Array | Uint32Array, table: Uint32Array): void {
  if (stored instanceof Uint32Array) return;
  const width = 2 ** (table[1] as number);
  for (let i = 0; i < stored.length; i++) if ((stored[i] as number) >= width) fail(`${family}.starts: start ${i} has offset ${stored[i]}, not below the bucket width ${width}`);
}

/** Compares starts i and j, held in columns (most significant first), lexicographically. */
function compare(columns: Uint32Array[], i: number, j: number): number {
  for (const c of columns) {
    const d = (c[i] as number) - (c[j] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function checkFamily(family: string, columns: Uint32Array[], ids: Uint32Array, records: number, used: Uint8Array): void {
  if (columns.some((c) => c[0] !== 0)) fail(`${family}.starts: the first start is not address zero`);
  for (let i = 0; i < ids.length; i++) {
    if (i > 0 && compare(columns, i - 1, i) >= 0) fail(`${family}.starts: start ${i} is not above start ${i - 1}`);
    const id = ids[i] as number;
    if (i > 0 && ids[i - 1] === id) fail(`${family}.records: ranges ${i - 1} and ${i} share record ${id === NONE ? 'NONE' : id} (neighbours must be merged)`);
    if (id === NONE) continue;
    if (id >= records) fail(`${family}.records: range ${i} has record id ${id}, not below the record count ${records}`);
    used[id] = 1;
  }
}

/** Walks the string entries; returns a bitset of the offsets that start one (a bit, not a byte, per offset: 8 MB, not 64, for the world). */
function checkStrings(s: IndexSections, count: number): Uint8Array {
  const bytes = s.stringBytes;
  const starts = new Uint8Array((bytes.length >>> 3) + 1);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let entries = 0;
  for (let at = 0; at < bytes.length; ) {
    const offset = at;
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= bytes.length || shift > 28) fail(`string.bytes: the entry at offset ${offset} has a broken length`);
      const b = bytes[at++] as number;
      length += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    if (at + length > bytes.length) fail(`string.bytes: the entry at offset ${offset} runs past the section's end`);
    try {
      decoder.decode(bytes.subarray(at, at + length));
    } catch {
      fail(`string.bytes: the entry at offset ${offset} is not valid UTF-8`);
    }
    if (offset === 0 && length !== 0) fail('string.bytes: the entry at offset 0 is not the empty string');
    starts[offset >>> 3] = (starts[offset >>> 3] as number) | (1 << (offset & 7));
    entries++;
    at += length;
  }
  if (entries !== count) fail(`string.bytes: ${entries} entries, the metadata counts ${count}`);
  return starts;
}

function checkRecords(s: IndexSections, attributions: number, entries: Uint8Array): void {
  for (let r = 0; r < s.recordClass.length; r++) {
    const klass = s.recordClass[r] as number;
    if (klass >= CLASSES.length) fail(`record.class: record ${r} has class code ${klass}, not below ${CLASSES.length}`);
    const confidence = s.recordConfidence[r] as number;
    if (confidence !== NO_CONFIDENCE && confidence > CONFIDENCE_SCALE) fail(`record.confidence: record ${r} has ${confidence}, above ${CONFIDENCE_SCALE}`);
    if ((s.recordAttribution[r] as number) >= attributions) fail(`record.attribution: record ${r} has ${s.recordAttribution[r]}, not below the ${attributions} attributions`);
    s.recordStrings.forEach((column, c) => {
      const offset = column[r] as number;
      if ((((entries[offset >>> 3] ?? 0) >>> (offset & 7)) & 1) !== 1) fail(`${STRING_COLUMNS[c]}: record ${r} has string offset ${column[r]}, where no string entry starts`);
    });
    const access = CLASSES[klass] === 'isp' || CLASSES[klass] === 'mobile';
    if (access && [1, 2, 3].some((c) => s.recordStrings[c]?.[r] !== 0)) fail(`record ${r}: class ${CLASSES[klass]} names a company`);
  }
}

function checkAliases(columns: Uint32Array[]): void {
  const [c0, c1, c2] = columns as [Uint32Array, Uint32Array, Uint32Array | undefined];
  for (let i = 0; i < c0.length; i++) {
    const [w0, w1, w2] = [c0[i] as number, c1[i] as number, c2?.[i] ?? 0];
    if ((w0 === 0 && w1 === 0 && w2 === 0xffff) || w0 >>> 16 === 0x2002) fail(`v6.starts: start ${i} lies in ::ffff:0:0/96 or 2002::/16, which are answered from IPv4`);
  }
}

function checkTable(name: string, table: Uint32Array, keys: Uint32Array): void {
  const [base, shift, bits] = [table[0] as number, table[1] as number, table[2] as number];
  const count = keys.length;
  const buckets = 2 ** bits;
  let i = 0;
  for (let k = 0; k <= buckets; k++) {
    const from = base + k * 2 ** shift;
    while (i < count && (keys[i] as number) < from) i++;
    if (table[FIRST_LEVEL_HEAD + k] !== i) fail(`${name}: entry ${k} is ${table[FIRST_LEVEL_HEAD + k]}, but ${i} starts lie below its bucket`);
  }
  if (count > 0 && (keys[count - 1] as number) >= base + buckets * 2 ** shift) fail(`${name}: the last start lies past the table's last bucket`);
}
