/**
 * The index reader (FORMAT.md): a buffer in, lookups out. It checks the header, the section table,
 * the metadata and every CRC-32 before the first lookup, then views the sections in place as typed
 * arrays — no per-range objects — and builds each record object once, on first use. It imports
 * nothing of the pipeline side, so services embed it alone (`ipreg/reader`).
 */
import { crc32 } from './crc32.js';
import { parseAddressWords, parseV4 } from '../ip/parse-address.js';
import {
  CLASSES, CONFIDENCE_SCALE, FIRST_LEVEL_HEAD, FORMAT_MAJOR, HEADER_BYTES, HEADER_CRC_OFFSET, MAGIC, MAX_FIRST_LEVEL_BITS,
  NO_CONFIDENCE, NONE, SECTION_ALIGN, SECTION_ENTRY_BYTES, SECTION_SINCE_MINOR, SECTIONS, STRING_COLUMNS, parseIndustryText, type IndexMeta, type RangeClass, type SectionName,
} from './layout.js';

/** Why a file was rejected: the codes of FORMAT.md. */
export type IndexFileErrorCode =
  | 'INDEX_TRUNCATED' | 'INDEX_BAD_MAGIC' | 'INDEX_UNSUPPORTED_VERSION' | 'INDEX_CHECKSUM' | 'INDEX_LENGTH'
  | 'INDEX_BAD_SECTION' | 'INDEX_BAD_METADATA' | 'INDEX_INVARIANT';

/** A file the reader will not use, with what is wrong and where. */
export class IndexFileError extends Error {
  readonly code: IndexFileErrorCode;
  constructor(code: IndexFileErrorCode, message: string) {
    super(message);
    this.name = 'IndexFileError';
    this.code = code;
  }
}

/** Text that is not an IP address. The message never repeats it: it may be a visitor's address. */
export class InvalidAddressError extends Error {
  readonly code = 'INVALID_ADDRESS';
  constructor() {
    super('not an IPv4 or IPv6 address');
    this.name = 'InvalidAddressError';
  }
}

/** The company a record names. */
export interface IndexCompany {
  readonly name: string;
  readonly register: string;
  readonly registerId: string;
  readonly country: string | null;
  readonly lei: string | null;
  /** City of the registered office, where the register publishes it. */
  readonly city: string | null;
  /** Industry codes as the register publishes them, main first, with their scheme (SIC2007, NAFRev2, NACE2008, SN2007, EMTAK). */
  readonly industry: { readonly scheme: string; readonly codes: readonly string[] } | null;
  readonly website: string | null;
}

/** One answer: the class of the range, its country and, when linked, the company. */
export interface IndexRecord {
  readonly class: RangeClass;
  readonly country: string | null;
  readonly company: IndexCompany | null;
  readonly linkRule: string | null;
  readonly confidence: number | null;
  /** Ids of the sources the answer comes from. */
  readonly sources: readonly string[];
  /** What their licences ask to be shown with the answer. */
  readonly attribution: string;
}

/** A range of the file with its record id (NONE for a gap); IPv6 bounds as bigints. */
export interface IndexRange {
  family: 4 | 6;
  first: number | bigint;
  last: number | bigint;
  recordId: number;
}

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
  stringBytes: Uint8Array;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
/**
 * The string columns whose strings many records share (countries, registers, link rules, cities,
 * industries): decoded once and kept. Names, numbers, LEIs and websites are nearly one per record —
 * keeping them would only add a map entry per record (3.3 M strings in the world index).
 */
const SHARED_COLUMNS = Uint8Array.from(STRING_COLUMNS, (name) => (['record.company-name', 'record.register-id', 'record.lei', 'record.company-website'].includes(name) ? 0 : 1));

const RECORD_PAGE_BITS = 12;
const RECORD_PAGE = 2 ** RECORD_PAGE_BITS;
/**
 * Record objects kept at most (about 300 bytes each): past the bound every page is dropped and the hot
 * records come back at once. Unbounded, uniform traffic over a world build would in time keep all
 * 1.6 M of them — half a gigabyte a long-running service never gives back.
 */
const RECORDS_KEPT = 65_536;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Opens an index held in `bytes` (the whole file); throws IndexFileError when it is not a sound one. */
export function openIndex(bytes: Uint8Array, options: ReaderOptions = {}): IndexReader {
  if (!LITTLE_ENDIAN) throw new IndexFileError('INDEX_BAD_SECTION', 'this reader needs a little-endian host to view sections in place');
  // Typed views need their offsets aligned; a buffer that starts mid-pool is copied once.
  const buffer = bytes.byteOffset % SECTION_ALIGN === 0 ? bytes : bytes.slice();
  const { meta, sections } = readLayout(buffer, true);
  return new IndexReader(meta, sections, undefined, options);
}

/** How a reader keeps what it builds. */
export interface ReaderOptions {
  /** Record objects kept for reuse, at most (default 65 536, about 20 MB); past it they are dropped and built again on use. */
  recordsKept?: number;
}

/**
 * Opens bytes that `verifyIndex` has just checked whole — in a worker thread that then transferred
 * this very buffer (and the reader's IPv6 second level), so nothing else can have changed them —
 * without checking them again: no CRC-32s, no table walks, no second level to build, so the swap
 * costs the event loop under a millisecond instead of about 70 ms for a 137 MB file (world index). Not part of
 * `ipreg/reader`: anything else should call openIndex.
 */
export function openVerifiedIndex(bytes: Uint8Array, second: SecondLevel, options: ReaderOptions = {}): IndexReader {
  if (bytes.byteOffset % SECTION_ALIGN !== 0) return openIndex(bytes, options);
  const { meta, sections } = readLayout(bytes, false);
  return new IndexReader(meta, sections, second, options);
}

/** A sound index, ready for lookups. */
export class IndexReader {
  readonly #meta: IndexMeta;
  readonly #s: IndexSections;
  /**
   * Record objects built so far, in pages of RECORD_PAGE made on first use: one array of 1.6 M slots
   * costs 14–30 ms to allocate, which a resolver's swap would spend on its event loop.
   */
  readonly #records: ((IndexRecord | undefined)[] | undefined)[];
  #recordsBuilt = 0;
  readonly #recordsKept: number;
  readonly #strings = new Map<number, string>();
  readonly #c0: Uint16Array | Uint32Array;
  readonly #c1: Uint32Array;
  #absoluteFirstWords: Uint32Array | undefined;
  readonly #v4Mask: number;
  readonly #lowIndex: Uint32Array;
  readonly #low2: Uint32Array;
  readonly #low3: Uint32Array;
  readonly #attributions: { sources: string[]; text: string }[];
  readonly #words = new Uint32Array(4);
  readonly #v4Base: number;
  readonly #v4Shift: number;
  readonly #v4Buckets: number;
  readonly #v6Base: number;
  readonly #v6Shift: number;
  readonly #v6Buckets: number;
  readonly #v6Second: SecondLevel;
  readonly #v6OffsetMask: number;
  readonly #v6Relative: boolean;

  constructor(meta: IndexMeta, sections: IndexSections, second?: SecondLevel, options: ReaderOptions = {}) {
    this.#meta = meta;
    this.#recordsKept = Math.max(1, options.recordsKept ?? RECORDS_KEPT);
    this.#s = sections;
    this.#records = new Array<(IndexRecord | undefined)[] | undefined>(Math.ceil(Math.max(0, meta.counts.records) / RECORD_PAGE));
    [this.#c0, this.#c1] = [sections.v6Starts, sections.v6SecondWords];
    const lows = sections.v6LowWords.length / 3;
    const low = (w: number) => sections.v6LowWords.subarray(w * lows, (w + 1) * lows);
    [this.#lowIndex, this.#low2, this.#low3] = [low(0), low(1), low(2)];
    this.#attributions = meta.attributions.map((set) => ({
      sources: set.map((i) => (meta.sources[i] as { id: string }).id),
      text: set.map((i) => (meta.sources[i] as { attribution: string }).attribution).join(' '),
    }));
    const v4 = sections.v4FirstLevel;
    [this.#v4Base, this.#v4Shift, this.#v4Buckets] = [v4[0] as number, v4[1] as number, 2 ** (v4[2] as number)];
    // Relative (u16) starts compare against the address's offset in its bucket; absolute ones against the address.
    this.#v4Mask = sections.v4Starts.BYTES_PER_ELEMENT === 2 ? 2 ** this.#v4Shift - 1 : -1;
    const v6 = sections.v6FirstLevel;
    [this.#v6Base, this.#v6Shift, this.#v6Buckets] = [v6[0] as number, v6[1] as number, 2 ** (v6[2] as number)];
    this.#v6OffsetMask = 2 ** this.#v6Shift - 1;
    this.#v6Relative = sections.v6Starts.BYTES_PER_ELEMENT === 2;
    this.#v6Second = second ?? secondLevel(v6, this.#c0, this.#c1);
  }

  /** The file's metadata: build id, snapshot, counts, sources and their attributions. */
  meta(): IndexMeta {
    return this.#meta;
  }

  /** The answer for an address as text (IPv4 or IPv6), or undefined when none; InvalidAddressError when it is not one. */
  lookup(ip: string): IndexRecord | undefined {
    const id = this.lookupId(ip);
    return id === NONE ? undefined : this.record(id);
  }

  /**
   * The record id for an address as text, or NONE (0xffffffff) when no range holds it;
   * InvalidAddressError when it is not one. No object is made: for callers that keep their own
   * per-record state (the resolver keeps answers' texts by id).
   */
  lookupId(ip: string): number {
    const v4 = parseV4(ip);
    if (v4 >= 0) return this.lookupIdV4(v4);
    const w = this.#words;
    if (!parseAddressWords(ip, w)) throw new InvalidAddressError();
    return this.lookupIdV6Words(w[0] as number, w[1] as number, w[2] as number, w[3] as number);
  }

  /** The record id for an IPv4 address as an unsigned 32-bit integer, or NONE. */
  lookupIdV4(address: number): number {
    return this.#s.v4Records[this.#findV4(address >>> 0)] as number;
  }

  /** The record id for an IPv6 address given as its four 32-bit words, most significant first, or NONE. */
  lookupIdV6Words(w0: number, w1: number, w2: number, w3: number): number {
    if (w0 === 0 && w1 === 0 && w2 === 0xffff) return this.lookupIdV4(w3);
    if (w0 >>> 16 === 0x2002) return this.lookupIdV4(((w0 & 0xffff) * 65536 + (w1 >>> 16)) >>> 0);
    return this.#s.v6Records[this.#findV6(w0, w1, w2, w3)] as number;
  }

  /** The answer for an IPv4 address as an unsigned 32-bit integer. */
  lookupV4(address: number): IndexRecord | undefined {
    const id = this.lookupIdV4(address);
    return id === NONE ? undefined : this.record(id);
  }

  /** The answer for an IPv6 address given as its four 32-bit words, most significant first. */
  lookupV6Words(w0: number, w1: number, w2: number, w3: number): IndexRecord | undefined {
    const id = this.lookupIdV6Words(w0, w1, w2, w3);
    return id === NONE ? undefined : this.record(id);
  }

  /** Record `id`'s class, read from its column (no object made). */
  recordClass(id: number): RangeClass {
    const name = CLASSES[this.#s.recordClass[id] as number];
    if (name === undefined) throw new IndexFileError('INDEX_INVARIANT', `record ${id}: class code ${this.#s.recordClass[id]} is not one of the ${CLASSES.length} classes`);
    return name;
  }

  /** Record `id` as an object, built on first use and shared while kept (see ReaderOptions.recordsKept). */
  record(id: number): IndexRecord {
    const cached = this.#records[id >>> RECORD_PAGE_BITS]?.[id & (RECORD_PAGE - 1)];
    if (cached !== undefined) return cached;
    if (!(id < this.#meta.counts.records)) throw new IndexFileError('INDEX_INVARIANT', `record id ${id} is not below the record count ${this.#meta.counts.records}`);
    const built = this.#buildRecord(id);
    if (++this.#recordsBuilt > this.#recordsKept) {
      this.#records.fill(undefined);
      this.#recordsBuilt = 1;
    }
    (this.#records[id >>> RECORD_PAGE_BITS] ??= new Array<IndexRecord | undefined>(RECORD_PAGE))[id & (RECORD_PAGE - 1)] = built;
    return built;
  }

  /** Every range of a family in address order, gaps included (record id NONE). */
  *ranges(family: 4 | 6): Generator<IndexRange> {
    const s = this.#s;
    if (family === 4) {
      const starts = absoluteKeys(s.v4Starts, s.v4FirstLevel);
      const n = starts.length;
      for (let i = 0; i < n; i++) {
        const last = i + 1 < n ? (starts[i + 1] as number) - 1 : 0xffffffff;
        yield { family, first: starts[i] as number, last, recordId: s.v4Records[i] as number };
      }
      return;
    }
    const n = s.v6Records.length;
    for (let i = 0; i < n; i++) {
      const last = i + 1 < n ? this.v6Start(i + 1) - 1n : (1n << 128n) - 1n;
      yield { family, first: this.v6Start(i), last, recordId: s.v6Records[i] as number };
    }
  }

  /** IPv6 start `i` as a bigint. */
  v6Start(i: number): bigint {
    const k = this.#lowAt(i);
    const [w2, w3] = k < 0 ? [0, 0] : [this.#low2[k] as number, this.#low3[k] as number];
    this.#absoluteFirstWords ??= absoluteKeys(this.#c0, this.#s.v6FirstLevel);
    return (BigInt(this.#absoluteFirstWords[i] as number) << 96n) | (BigInt(this.#c1[i] as number) << 64n) | (BigInt(w2) << 32n) | BigInt(w3);
  }

  /** Where start `i` is in the low-words columns, or -1 when its low 64 bits are zero. */
  #lowAt(i: number): number {
    const index = this.#lowIndex;
    let lo = 0;
    let hi = index.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((index[mid] as number) < i) lo = mid + 1;
      else hi = mid;
    }
    return lo < index.length && index[lo] === i ? lo : -1;
  }

  /** The IPv6 second level this reader built (to hand to openVerifiedIndex with the bytes it came from). */
  v6SecondLevel(): SecondLevel {
    return this.#v6Second;
  }

  /** The sections as typed arrays (for verify and export; treat as read-only). */
  sections(): IndexSections {
    return this.#s;
  }

  #findV4(a: number): number {
    const t = this.#s.v4FirstLevel;
    const starts = this.#s.v4Starts;
    let lo: number;
    let hi: number;
    let key = a;
    if (a < this.#v4Base) {
      lo = 0;
      hi = t[FIRST_LEVEL_HEAD] as number;
    } else {
      const k = (a - this.#v4Base) >>> this.#v4Shift;
      if (k >= this.#v4Buckets) {
        lo = t[FIRST_LEVEL_HEAD + this.#v4Buckets] as number;
        hi = starts.length;
      } else {
        lo = t[FIRST_LEVEL_HEAD + k] as number;
        hi = t[FIRST_LEVEL_HEAD + k + 1] as number;
        if (this.#v4Mask >= 0) key = (a - this.#v4Base) & this.#v4Mask;
      }
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((starts[mid] as number) <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  #findV6(w0: number, w1: number, w2: number, w3: number): number {
    const t = this.#s.v6FirstLevel;
    const c0 = this.#c0;
    const c1 = this.#c1;
    let lo: number;
    let hi: number;
    let key = w0;
    if (w0 < this.#v6Base) {
      lo = 0;
      hi = t[FIRST_LEVEL_HEAD] as number;
    } else {
      const k = (w0 - this.#v6Base) >>> this.#v6Shift;
      if (k >= this.#v6Buckets) {
        lo = t[FIRST_LEVEL_HEAD + this.#v6Buckets] as number;
        hi = c0.length;
      } else {
        const offset = (w0 - this.#v6Base) & this.#v6OffsetMask; // the address's place in its bucket
        if (this.#v6Relative) key = offset;
        const second = this.#v6Second;
        const at = second.at[k] as number;
        if (at < 0) {
          lo = t[FIRST_LEVEL_HEAD + k] as number;
          hi = t[FIRST_LEVEL_HEAD + k + 1] as number;
        } else {
          const j = subBucket(offset, w1, this.#v6Shift, second.bits[k] as number);
          lo = second.bounds[at + j] as number;
          hi = second.bounds[at + j + 1] as number;
        }
      }
    }
    // Most steps end on the dense first-word column; the second is read on a tie, the low words on a tie of both.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s0 = c0[mid] as number;
      let notAfter: boolean;
      if (s0 !== key) notAfter = s0 < key;
      else {
        const s1 = c1[mid] as number;
        notAfter = s1 !== w1 ? s1 < w1 : this.#lowNotAfter(mid, w2, w3);
      }
      if (notAfter) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Whether the low 64 bits of start `i` are at most (w2, w3); zero when the start has no low-words entry. */
  #lowNotAfter(i: number, w2: number, w3: number): boolean {
    const k = this.#lowIndex.length === 0 ? -1 : this.#lowAt(i);
    if (k < 0) return true;
    const s2 = this.#low2[k] as number;
    return s2 !== w2 ? s2 < w2 : (this.#low3[k] as number) <= w3;
  }

  /** The string whose entry (LEB128 length, UTF-8) starts at `offset` of string.bytes. */
  #string(offset: number, keep: boolean): string {
    if (offset === 0) return '';
    const cached = keep ? this.#strings.get(offset) : undefined;
    if (cached !== undefined) return cached;
    const bytes = this.#s.stringBytes;
    let length = 0;
    let at = offset;
    for (let shift = 0; ; shift += 7) {
      if (at >= bytes.length || shift > 28) throw new IndexFileError('INDEX_INVARIANT', `string.bytes: no string entry at offset ${offset}`);
      const b = bytes[at++] as number;
      length += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    if (at + length > bytes.length) throw new IndexFileError('INDEX_INVARIANT', `string.bytes: the string at offset ${offset} runs past the section's end`);
    const text = decoder.decode(bytes.subarray(at, at + length));
    if (keep) this.#strings.set(offset, text);
    return text;
  }

  #buildRecord(id: number): IndexRecord {
    const s = this.#s;
    const text = (column: number) => this.#string(s.recordStrings[column]?.[id] as number, SHARED_COLUMNS[column] === 1);
    const orNull = (value: string) => (value === '' ? null : value);
    const className = CLASSES[s.recordClass[id] as number];
    if (className === undefined) throw new IndexFileError('INDEX_INVARIANT', `record ${id}: class code ${s.recordClass[id]} is not one of the ${CLASSES.length} classes`);
    const attribution = this.#attributions[s.recordAttribution[id] as number];
    if (attribution === undefined) throw new IndexFileError('INDEX_INVARIANT', `record ${id}: attribution ${s.recordAttribution[id]} is not in the metadata`);
    const name = text(1);
    const confidence = s.recordConfidence[id] as number;
    const industry = parseIndustryText(text(8));
    const company: IndexCompany | null = name === '' ? null : Object.freeze({
      name,
      register: text(2),
      registerId: text(3),
      country: orNull(text(4)),
      lei: orNull(text(5)),
      city: orNull(text(7)),
      industry: industry === null ? null : Object.freeze({ scheme: industry.scheme, codes: Object.freeze(industry.codes) }),
      website: orNull(text(9)),
    });
    return Object.freeze({
      class: className,
      country: orNull(text(0)),
      company,
      linkRule: orNull(text(6)),
      confidence: confidence === NO_CONFIDENCE ? null : confidence / CONFIDENCE_SCALE,
      sources: attribution.sources,
      attribution: attribution.text,
    });
  }
}

interface SectionEntry {
  name: SectionName | undefined;
  id: number;
  element: number;
  offset: number;
  length: number;
  crc: number;
}

/** Reads and checks the header, section table, metadata and checksums; views each section. */
function readLayout(buffer: Uint8Array, checks: boolean): { meta: IndexMeta; sections: IndexSections } {
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
    // A string column an earlier minor version lacks: every record's string is "".
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

/**
 * The reader's own second level over crowded IPv6 buckets, built at open (not stored): real IPv6
 * space is clustered (2001::/20, 2a00::/12 hold most assignments), so some first-level buckets keep
 * thousands of starts. Each bucket of more than SECOND_LEVEL_MIN starts gets 2^bits sub-buckets over
 * the next bits of the 64-bit prefix (about eight starts each); `bounds[at[k] + j]` is the first start of
 * bucket k whose sub-bucket is j or more, `at[k]` -1 for buckets searched whole.
 */
export interface SecondLevel {
  at: Int32Array;
  bits: Uint8Array;
  bounds: Uint32Array;
}

const SECOND_LEVEL_MIN = 32;

/** Sub-bucket of an address at `offset` in its first-level bucket of 2^shift first words, second word `w1`. */
function subBucket(offset: number, w1: number, shift: number, bits: number): number {
  return bits <= shift ? offset >>> (shift - bits) : (offset << (bits - shift)) | (w1 >>> (32 - bits + shift));
}

/** Exported for the tests, which check that crowded buckets get one. */
export function secondLevel(table: Uint32Array, c0: Uint16Array | Uint32Array, c1: Uint32Array): SecondLevel {
  const [base, shift, buckets] = [table[0] as number, table[1] as number, 2 ** (table[2] as number)];
  const at = new Int32Array(buckets).fill(-1);
  const bits = new Uint8Array(buckets);
  let size = 0;
  for (let k = 0; k < buckets; k++) {
    const count = (table[FIRST_LEVEL_HEAD + k + 1] as number) - (table[FIRST_LEVEL_HEAD + k] as number);
    if (count <= SECOND_LEVEL_MIN) continue;
    bits[k] = Math.min(24, Math.ceil(Math.log2(count / 8)));
    at[k] = size;
    size += 2 ** (bits[k] as number) + 1;
  }
  const bounds = new Uint32Array(size);
  const relative = c0.BYTES_PER_ELEMENT === 2;
  for (let k = 0; k < buckets; k++) {
    const from = at[k] as number;
    if (from < 0) continue;
    const [lo, hi, b] = [table[FIRST_LEVEL_HEAD + k] as number, table[FIRST_LEVEL_HEAD + k + 1] as number, bits[k] as number];
    const bucketBase = base + k * 2 ** shift;
    let j = 0;
    for (let i = lo; i < hi; i++) {
      const offset = relative ? (c0[i] as number) : (c0[i] as number) - bucketBase;
      const sub = subBucket(offset, c1[i] as number, shift, b);
      while (j <= sub) bounds[from + j++] = i;
    }
    while (j <= 2 ** b) bounds[from + j++] = hi;
  }
  return { at, bits, bounds };
}

/** Absolute keys (IPv4 starts, IPv6 first words) of starts stored as they are or relative to their bucket. */
export function absoluteKeys(stored: Uint16Array | Uint32Array, table: Uint32Array): Uint32Array {
  if (stored instanceof Uint32Array) return stored;
  const [base, shift, bits] = [table[0] as number, table[1] as number, table[2] as number];
  const keys = new Uint32Array(stored.length);
  keys[0] = stored[0] as number;
  for (let k = 0; k < 2 ** bits; k++) {
    const from = base + k * 2 ** shift;
    for (let i = table[FIRST_LEVEL_HEAD + k] as number; i < (table[FIRST_LEVEL_HEAD + k + 1] as number); i++) keys[i] = from + (stored[i] as number);
  }
  return keys;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
