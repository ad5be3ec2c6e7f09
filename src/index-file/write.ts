/**
 * The index writer (FORMAT.md). Ranges arrive in address order, disjoint (flatten them first); the
 * writer fills the gaps explicitly, merges neighbours with the same answer, deduplicates records and
 * strings, and lays the sections out. Memory is bounded by the output — a few bytes per range and per
 * distinct record — never by the input.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { crc32 } from './crc32.js';
import {
  CLASSES, CONFIDENCE_SCALE, FIRST_LEVEL_HEAD, FORMAT_MAJOR, FORMAT_MINOR, HEADER_BYTES, HEADER_CRC_OFFSET, MAGIC, NARROW_STRING_COLUMNS,
  NO_ASN, NO_CONFIDENCE, NONE, SECTION_ALIGN, SECTION_ENTRY_BYTES, SECTIONS, STRING_COLUMNS, industryText, type IndexMeta, type RangeClass, type SectionName,
  type SourceAttribution,
} from './layout.js';

/** An answer to store: the class, the range's country and, for a link, the company. */
export interface RecordInput {
  class: RangeClass;
  country: string | null;
  company: {
    name: string;
    register: string;
    registerId: string;
    country: string | null;
    lei: string | null;
    city?: string | null;
    industry?: { scheme: string; codes: readonly string[] } | null;
    website?: string | null;
  } | null;
  linkRule: string | null;
  confidence: number | null;
  /** Ids of the sources to credit (each must be among the writer's sources). */
  sources: readonly string[];
  /** The autonomous system that announces the range, and its name, when the routing data has one. */
  asn?: number | null;
  asName?: string | null;
}

/** What the writer needs besides the ranges. */
export interface WriterOptions {
  buildId: string;
  snapshot: string;
  /** Every source a record may credit. */
  sources: readonly SourceAttribution[];
}

const V4_END = 2 ** 32;
const V6_END = 1n << 128n;
/** First-level tables spend at most 2^20 entries (4 MiB). */
const MAX_WRITER_BITS = 20;
const LINKABLE = new Set<RangeClass>(['unknown', 'business', 'hosting', 'education', 'government']);

/** A section's contents as a typed array (its element size is the section's). */
type TypedColumn = Uint8Array | Uint16Array | Uint32Array;

/** A growable u32 column. */
class U32Column {
  data = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

/** Builds one index file. */
export class IndexWriter {
  readonly #options: WriterOptions;
  readonly #sourceIndex: Map<string, number>;
  readonly #strings = new Map<string, number>([['', 0]]);
  readonly #records = new Map<string, number>();
  /** Records in columns: class, the string index of each STRING_COLUMNS entry, confidence, attribution. */
  readonly #recordClass = new U32Column();
  readonly #recordStrings = new U32Column();
  readonly #recordConfidence = new U32Column();
  readonly #recordAttribution = new U32Column();
  readonly #recordAsn = new U32Column();
  readonly #attributions = new Map<string, number>();
  readonly #v4Starts = new U32Column();
  readonly #v4Ids = new U32Column();
  readonly #v6Starts = new U32Column();
  readonly #v6Ids = new U32Column();
  #v4Next = 0;
  #v6Next = 0n;
  #linked = 0;

  constructor(options: WriterOptions) {
    this.#options = options;
    this.#sourceIndex = new Map(options.sources.map((s, i) => [s.id, i]));
  }

  /**
   * The id of an answer, stored once however many ranges share it. `unique`: the caller knows the
   * answer is new (the build deduplicated them already), so no lookup key is kept for it.
   */
  recordId(record: RecordInput, unique = false): number {
    const klass = CLASSES.indexOf(record.class);
    if (klass < 0) throw new Error(`index writer: unknown class ${JSON.stringify(record.class)}`);
    if (record.company !== null && !LINKABLE.has(record.class)) throw new Error(`index writer: a ${record.class} range cannot name a company`);
    const c = record.company;
    const texts = [
      record.country ?? '', c?.name ?? '', c?.register ?? '', c?.registerId ?? '', c?.country ?? '', c?.lei ?? '', record.linkRule ?? '',
      c?.city ?? '', industryText(c?.industry), c?.website ?? '', record.asName ?? '',
    ];
    const asn = record.asn ?? NO_ASN;
    if (!(Number.isInteger(asn) && asn >= 0 && asn <= 0xffffffff)) throw new Error(`index writer: AS number ${String(record.asn)} is not a 32-bit AS number`);
    if (asn === NO_ASN && texts[10] !== '') throw new Error(`index writer: AS name ${JSON.stringify(record.asName)} without an AS number`);
    const confidence = record.confidence === null ? NO_CONFIDENCE : Math.round(Math.min(1, Math.max(0, record.confidence)) * CONFIDENCE_SCALE);
    const attribution = this.#attributionIndex(record.sources);
    const key = unique ? '' : `${klass}\u0000${texts.join('\u0000')}\u0000${confidence}\u0000${attribution}\u0000${asn}`;
    const known = unique ? undefined : this.#records.get(key);
    if (known !== undefined) return known;
    const id = this.#recordClass.length;
    this.#recordClass.push(klass);
    for (const t of texts) this.#recordStrings.push(this.#stringId(t));
    this.#recordConfidence.push(confidence);
    this.#recordAttribution.push(attribution);
    this.#recordAsn.push(asn);
    if (!unique) this.#records.set(key, id);
    if (c !== null) this.#linked++;
    return id;
  }

  /** Adds an IPv4 range (inclusive); ranges come in address order and do not overlap. */
  addV4(first: number, last: number, recordId: number): void {
    if (!(first >= this.#v4Next && last >= first && last < V4_END)) throw new Error(`index writer: IPv4 range ${first}-${last} is out of order, inverted or overlaps the previous one`);
    if (first > this.#v4Next) this.#pushV4(this.#v4Next, NONE);
    this.#pushV4(first, recordId);
    this.#v4Next = last + 1;
  }

  /** Adds an IPv6 range (inclusive), as for addV4; none may touch ::ffff:0:0/96 or 2002::/16 (FORMAT.md). */
  addV6(first: bigint, last: bigint, recordId: number): void {
    if (!(first >= this.#v6Next && last >= first && last < V6_END)) throw new Error(`index writer: IPv6 range ${first.toString(16)}-${last.toString(16)} is out of order, inverted or overlaps the previous one`);
    if (overlapsV4Aliases(first, last)) throw new Error(`index writer: IPv6 range ${first.toString(16)}-${last.toString(16)} overlaps ::ffff:0:0/96 or 2002::/16, which are answered from IPv4`);
    if (first > this.#v6Next) this.#pushV6(this.#v6Next, NONE);
    this.#pushV6(first, recordId);
    this.#v6Next = last + 1n;
  }

  /** Writes the file to `path`; returns its metadata and size. */
  async writeFile(path: string): Promise<{ meta: IndexMeta; bytes: number }> {
    const { meta, chunks } = this.finish();
    const out = createWriteStream(path);
    let bytes = 0;
    for (const chunk of chunks) {
      bytes += chunk.byteLength;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    return { meta, bytes };
  }

  /** The file as a list of byte chunks (header first), with its metadata. */
  finish(): { meta: IndexMeta; chunks: Uint8Array[] } {
    this.#closeV4();
    this.#closeV6();
    const strings = this.#stringEntries();
    const records = this.#recordSections(strings.offsets);
    const v4 = keyedStarts(this.#v4Starts.view());
    const v6 = v6Columns(this.#v6Starts.view());
    const v6First = keyedStarts(v6.first);
    const sections: [SectionName, TypedColumn][] = [
      ['v4.starts', v4.stored],
      ['v4.records', this.#v4Ids.view()],
      ['v4.first-level', v4.table],
      ['v6.starts', v6First.stored],
      ['v6.records', this.#v6Ids.view()],
      ['v6.first-level', v6First.table],
      ['v6.low-words', v6.low],
      ['v6.second-words', v6.second],
      ...records,
      ['string.bytes', strings.bytes],
    ];
    const meta: IndexMeta = {
      buildId: this.#options.buildId,
      created: this.#options.snapshot,
      snapshot: this.#options.snapshot,
      counts: { v4Ranges: this.#v4Ids.length, v6Ranges: this.#v6Ids.length, records: this.#recordClass.length, linkedRecords: this.#linked, strings: this.#strings.size },
      sources: [...this.#options.sources],
      attributions: [...this.#attributions.keys()].map((k) => (k === '' ? [] : k.split(',').map(Number))),
    };
    return { meta, chunks: layOut(meta, sections) };
  }

  #pushV4(start: number, id: number): void {
    const ids = this.#v4Ids;
    if (ids.length > 0 && ids.data[ids.length - 1] === id) return; // same answer as the neighbour: one range
    this.#v4Starts.push(start);
    ids.push(id);
  }

  #pushV6(start: bigint, id: number): void {
    const ids = this.#v6Ids;
    if (ids.length > 0 && ids.data[ids.length - 1] === id) return; // same answer as the neighbour: one range
    this.#v6Starts.push(Number(start >> 96n));
    this.#v6Starts.push(Number((start >> 64n) & 0xffffffffn));
    this.#v6Starts.push(Number((start >> 32n) & 0xffffffffn));
    this.#v6Starts.push(Number(start & 0xffffffffn));
    ids.push(id);
  }

  #closeV4(): void {
    if (this.#v4Next < V4_END) this.#pushV4(this.#v4Next, NONE);
    this.#v4Next = V4_END;
  }

  #closeV6(): void {
    if (this.#v6Next < V6_END) this.#pushV6(this.#v6Next, NONE);
    this.#v6Next = V6_END;
  }

  #stringId(text: string): number {
    let id = this.#strings.get(text);
    if (id === undefined) {
      id = this.#strings.size;
      this.#strings.set(text, id);
    }
    return id;
  }

  #attributionIndex(sources: readonly string[]): number {
    const indices = [...new Set(sources)].map((id) => {
      const i = this.#sourceIndex.get(id);
      if (i === undefined) throw new Error(`index writer: record credits source ${JSON.stringify(id)}, which is not among the build's sources`);
      return i;
    }).sort((a, b) => a - b);
    const key = indices.join(',');
    let index = this.#attributions.get(key);
    if (index === undefined) {
      index = this.#attributions.size;
      if (index > 0xffff) throw new Error('index writer: more than 65536 attribution sets');
      this.#attributions.set(key, index);
    }
    return index;
  }

  /**
   * The string entries (FORMAT.md: a LEB128 length, then UTF-8) and each string's offset: the empty
   * string at 0, then the strings of the narrow columns, then the rest, each group in order of first
   * use. Encoded straight into one buffer: millions of strings, no array each.
   */
  #stringEntries(): { offsets: Uint32Array; bytes: Uint8Array } {
    const texts = [...this.#strings.keys()];
    const narrow = new Uint8Array(texts.length);
    const width = STRING_COLUMNS.length;
    const strings = this.#recordStrings.view();
    for (let r = 0; r < this.#recordClass.length; r++) for (const c of NARROW_STRING_COLUMNS) narrow[strings[r * width + c] as number] = 1;
    narrow[0] = 2; // first of all
    const sizes = new Uint32Array(texts.length);
    let total = 0;
    texts.forEach((t, i) => {
      sizes[i] = Buffer.byteLength(t, 'utf8');
      total += leb128(sizes[i] as number).length + (sizes[i] as number);
    });
    const bytes = new Uint8Array(total);
    const offsets = new Uint32Array(texts.length);
    const encoder = new TextEncoder();
    let at = 0;
    for (const group of [2, 1, 0]) {
      for (let i = 0; i < texts.length; i++) {
        if (narrow[i] !== group) continue;
        offsets[i] = at;
        for (const b of leb128(sizes[i] as number)) bytes[at++] = b;
        at += encoder.encodeInto(texts[i] as string, bytes.subarray(at, at + (sizes[i] as number))).written;
      }
    }
    return { offsets, bytes };
  }

  #recordSections(offsets: Uint32Array): [SectionName, TypedColumn][] {
    const count = this.#recordClass.length;
    const strings = this.#recordStrings.view();
    const width = STRING_COLUMNS.length;
    const columns = STRING_COLUMNS.map((name, c): [SectionName, TypedColumn] => {
      let max = 0;
      for (let r = 0; r < count; r++) max = Math.max(max, offsets[strings[r * width + c] as number] as number);
      const column = max < 256 ? new Uint8Array(count) : max < 65536 ? new Uint16Array(count) : new Uint32Array(count);
      for (let r = 0; r < count; r++) column[r] = offsets[strings[r * width + c] as number] as number;
      return [name, column];
    });
    return [
      ['record.class', Uint8Array.from(this.#recordClass.view())],
      ...columns,
      ['record.confidence', Uint16Array.from(this.#recordConfidence.view())],
      ['record.attribution', Uint16Array.from(this.#recordAttribution.view())],
      ['record.asn', narrowest(this.#recordAsn.view())],
    ];
  }
}

/** Numbers in the narrowest column that holds the largest (a build without routing data spends a byte a record). */
function narrowest(values: Uint32Array): TypedColumn {
  const max = values.reduce((m, v) => Math.max(m, v), 0);
  return max < 256 ? Uint8Array.from(values) : max < 65536 ? Uint16Array.from(values) : values;
}

/** A length as LEB128: seven bits a byte, least significant first, the high bit set on all but the last. */
function leb128(n: number): number[] {
  const out: number[] = [];
  let v = n;
  do {
    const low = v & 0x7f;
    v = Math.floor(v / 128);
    out.push(v > 0 ? low | 0x80 : low);
  } while (v > 0);
  return out;
}

/**
 * Row-wise IPv6 starts (four words each) as the file holds them: the first and second words in two
 * columns, and the few starts whose low 64 bits are not zero (ranges cut finer than a /64) listed
 * apart in three columns — index, third word, fourth word.
 */
function v6Columns(rows: Uint32Array): { first: Uint32Array; second: Uint32Array; low: Uint32Array } {
  const count = rows.length / 4;
  const first = new Uint32Array(count);
  const second = new Uint32Array(count);
  const low: number[] = [];
  for (let i = 0; i < count; i++) {
    first[i] = rows[i * 4] as number;
    second[i] = rows[i * 4 + 1] as number;
    if (rows[i * 4 + 2] !== 0 || rows[i * 4 + 3] !== 0) low.push(i);
  }
  const lowColumns = new Uint32Array(low.length * 3);
  low.forEach((i, k) => {
    lowColumns[k] = i;
    lowColumns[low.length + k] = rows[i * 4 + 2] as number;
    lowColumns[2 * low.length + k] = rows[i * 4 + 3] as number;
  });
  return { first, second, low: lowColumns };
}

const V4_MAPPED = { first: 0xffffn << 32n, last: (0xffffn << 32n) | 0xffffffffn };
const SIX_TO_FOUR = { first: 0x2002n << 112n, last: (0x2003n << 112n) - 1n };

/** True when first..last touches a block the reader answers from IPv4. */
export function overlapsV4Aliases(first: bigint, last: bigint): boolean {
  return [V4_MAPPED, SIX_TO_FOUR].some((b) => first <= b.last && last >= b.first);
}

/** The first-level table over the keys of the starts (IPv4: the starts; IPv6: their first words). */
function firstLevel(keys: Uint32Array): Uint32Array {
  const count = keys.length;
  const key = (i: number) => keys[i] as number;
  const base = count > 1 ? key(1) : 0;
  const span = count > 1 ? key(count - 1) - base : 0;
  const spanBits = span === 0 ? 0 : 32 - Math.clz32(span);
  // About four starts a bucket: the binary search's last steps stay within a cache line or two.
  const bits = Math.max(1, Math.min(MAX_WRITER_BITS, Math.ceil(Math.log2(Math.max(2, count))) - 2, Math.max(1, spanBits)));
  const shift = Math.max(0, spanBits - bits);
  const buckets = 2 ** bits;
  const table = new Uint32Array(FIRST_LEVEL_HEAD + buckets + 1);
  table.set([base, shift, bits, 0]);
  let i = 0;
  for (let k = 0; k <= buckets; k++) {
    const from = base + k * 2 ** shift;
    while (i < count && key(i) < from) i++;
    table[FIRST_LEVEL_HEAD + k] = i;
  }
  return table;
}

/**
 * The first-level table of `keys` and the keys as the file stores them: when buckets are at most
 * 2^16 wide, each key as its offset from its bucket's first key (u16: half the bytes, and a
 * narrower binary search), else as they are (FORMAT.md).
 */
function keyedStarts(keys: Uint32Array): { table: Uint32Array; stored: Uint16Array | Uint32Array } {
  const table = firstLevel(keys);
  const [base, shift, bits] = [table[0] as number, table[1] as number, table[2] as number];
  const buckets = 2 ** bits;
  const t = (k: number) => table[FIRST_LEVEL_HEAD + k] as number;
  if (shift > 16 || t(0) > 1 || t(buckets) !== keys.length || keys[0] !== 0) return { table, stored: keys };
  const stored = new Uint16Array(keys.length);
  for (let k = 0; k < buckets; k++) {
    const from = base + k * 2 ** shift;
    for (let i = t(k); i < t(k + 1); i++) stored[i] = (keys[i] as number) - from;
  }
  return { table, stored };
}

/** The bytes of a typed array, without copying. */
function bytesOf(array: Uint32Array | Uint16Array | Uint8Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Header, section table and metadata, then each section at its aligned offset. */
function layOut(meta: IndexMeta, sections: [SectionName, TypedColumn][]): Uint8Array[] {
  const metaBytes = new TextEncoder().encode(JSON.stringify(meta));
  const headerLength = align(HEADER_BYTES + sections.length * SECTION_ENTRY_BYTES + metaBytes.byteLength);
  const header = new Uint8Array(headerLength);
  const view = new DataView(header.buffer);
  const chunks: Uint8Array[] = [header];
  let offset = headerLength;
  sections.forEach(([name, column], i) => {
    const bytes = bytesOf(column);
    const at = HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    view.setUint32(at, SECTIONS[name].id, true);
    view.setUint32(at + 4, column.BYTES_PER_ELEMENT, true);
    setU64(view, at + 8, offset);
    setU64(view, at + 16, bytes.byteLength);
    view.setUint32(at + 24, crc32(bytes), true);
    chunks.push(bytes);
    offset += bytes.byteLength;
    const pad = align(offset) - offset;
    if (pad > 0) chunks.push(new Uint8Array(pad));
    offset += pad;
  });
  for (let i = 0; i < MAGIC.length; i++) header[i] = MAGIC.charCodeAt(i);
  view.setUint16(8, FORMAT_MAJOR, true);
  view.setUint16(10, FORMAT_MINOR, true);
  view.setUint32(12, headerLength, true);
  view.setUint32(16, sections.length, true);
  view.setUint32(20, metaBytes.byteLength, true);
  setU64(view, 24, offset);
  header.set(metaBytes, HEADER_BYTES + sections.length * SECTION_ENTRY_BYTES);
  view.setUint32(HEADER_CRC_OFFSET, crc32(header), true);
  return chunks;
}

function align(n: number): number {
  return Math.ceil(n / SECTION_ALIGN) * SECTION_ALIGN;
}

function setU64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value % 2 ** 32, true);
  view.setUint32(at + 4, Math.floor(value / 2 ** 32), true);
}
