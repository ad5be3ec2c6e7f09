/**
 * Full verification of an index file against every invariant of FORMAT.md — the checks the reader
 * leaves to the CRC-32s: sorted starts, merged neighbours, ids in range, classes, strings, aliases.
 * Run before publishing and by `ipreg index verify`.
 */
import { CLASSES, CONFIDENCE_SCALE, FIRST_LEVEL_HEAD, NO_CONFIDENCE, NONE } from './layout.js';
import { IndexFileError, openIndex, type IndexReader, type IndexSections } from './read.js';

/** The checks verify ran, by name, for manifests and reports. */
export const VERIFY_CHECKS = [
  'header, sections and checksums',
  'starts sorted from zero, neighbours merged',
  'record ids in range, every record used',
  'record columns valid',
  'strings valid UTF-8',
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
  checkFamily('v4', s.v4Starts, s.v4Records, 1, records, used);
  checkFamily('v6', s.v6Starts, s.v6Records, 4, records, used);
  const unused = used.indexOf(0);
  if (unused >= 0) fail(`record ${unused} is used by no range`);
  checkRecords(s, reader.meta().attributions.length);
  checkStrings(s);
  checkAliases(s.v6Starts);
  checkTable('v4.first-level', s.v4FirstLevel, s.v4Starts, 1);
  checkTable('v6.first-level', s.v6FirstLevel, s.v6Starts, 4);
  return { reader, checks: VERIFY_CHECKS };
}

function fail(message: string): never {
  throw new IndexFileError('INDEX_INVARIANT', message);
}

/** Compares starts i and j (stride words each) lexicographically. */
function compare(starts: Uint32Array, stride: number, i: number, j: number): number {
  for (let w = 0; w < stride; w++) {
    const d = (starts[i * stride + w] as number) - (starts[j * stride + w] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function checkFamily(family: string, starts: Uint32Array, ids: Uint32Array, stride: number, records: number, used: Uint8Array): void {
  for (let w = 0; w < stride; w++) if (starts[w] !== 0) fail(`${family}.starts: the first start is not address zero`);
  for (let i = 0; i < ids.length; i++) {
    if (i > 0 && compare(starts, stride, i - 1, i) >= 0) fail(`${family}.starts: start ${i} is not above start ${i - 1}`);
    const id = ids[i] as number;
    if (i > 0 && ids[i - 1] === id) fail(`${family}.records: ranges ${i - 1} and ${i} share record ${id === NONE ? 'NONE' : id} (neighbours must be merged)`);
    if (id === NONE) continue;
    if (id >= records) fail(`${family}.records: range ${i} has record id ${id}, not below the record count ${records}`);
    used[id] = 1;
  }
}

function checkRecords(s: IndexSections, attributions: number): void {
  const strings = s.stringOffsets.length - 1;
  for (let r = 0; r < s.recordClass.length; r++) {
    const klass = s.recordClass[r] as number;
    if (klass >= CLASSES.length) fail(`record.class: record ${r} has class code ${klass}, not below ${CLASSES.length}`);
    const confidence = s.recordConfidence[r] as number;
    if (confidence !== NO_CONFIDENCE && confidence > CONFIDENCE_SCALE) fail(`record.confidence: record ${r} has ${confidence}, above ${CONFIDENCE_SCALE}`);
    if ((s.recordAttribution[r] as number) >= attributions) fail(`record.attribution: record ${r} has ${s.recordAttribution[r]}, not below the ${attributions} attributions`);
    s.recordStrings.forEach((column, c) => {
      if ((column[r] as number) >= strings) fail(`record string column ${c}: record ${r} has string id ${column[r]}, not below the string count ${strings}`);
    });
    const access = CLASSES[klass] === 'isp' || CLASSES[klass] === 'mobile';
    if (access && [1, 2, 3].some((c) => s.recordStrings[c]?.[r] !== 0)) fail(`record ${r}: class ${CLASSES[klass]} names a company`);
  }
}

function checkStrings(s: IndexSections): void {
  const { stringOffsets: offsets, stringBytes: bytes } = s;
  if (offsets[0] !== 0 || offsets[1] !== 0) fail('string.offsets: string 0 is not the empty string');
  for (let i = 1; i < offsets.length; i++) if ((offsets[i] as number) < (offsets[i - 1] as number)) fail(`string.offsets: offset ${i} goes backwards`);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail('string.bytes: not valid UTF-8');
  }
  // A string boundary inside a multi-byte character would decode whole yet split characters.
  for (let i = 0; i < offsets.length; i++) if (((bytes[offsets[i] as number] ?? 0) & 0xc0) === 0x80) fail(`string.offsets: string ${i} starts inside a UTF-8 character`);
}

function checkAliases(starts: Uint32Array): void {
  for (let i = 0; i < starts.length; i += 4) {
    const [w0, w1, w2] = [starts[i] as number, starts[i + 1] as number, starts[i + 2] as number];
    if ((w0 === 0 && w1 === 0 && w2 === 0xffff) || w0 >>> 16 === 0x2002) fail(`v6.starts: start ${i / 4} lies in ::ffff:0:0/96 or 2002::/16, which are answered from IPv4`);
  }
}

function checkTable(name: string, table: Uint32Array, starts: Uint32Array, stride: number): void {
  const [base, shift, bits] = [table[0] as number, table[1] as number, table[2] as number];
  const count = starts.length / stride;
  const buckets = 2 ** bits;
  let i = 0;
  for (let k = 0; k <= buckets; k++) {
    const from = base + k * 2 ** shift;
    while (i < count && (starts[i * stride] as number) < from) i++;
    if (table[FIRST_LEVEL_HEAD + k] !== i) fail(`${name}: entry ${k} is ${table[FIRST_LEVEL_HEAD + k]}, but ${i} starts lie below its bucket`);
  }
  if (count > 0 && (starts[(count - 1) * stride] as number) >= base + buckets * 2 ** shift) fail(`${name}: the last start lies past the table's last bucket`);
}
