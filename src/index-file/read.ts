/**
 * The index reader (FORMAT.md): a buffer in, lookups out. It checks the header, the section table,
 * the metadata and every CRC-32 before the first lookup (open.ts), then views the sections in place as
 * typed arrays — no per-range objects — finds an address's range by binary search (lookup.ts) and
 * builds each record object once, on first use (records.ts). It imports nothing of the pipeline side,
 * so services embed it alone (`ipreg/reader`).
 */
import { parseAddressWords, parseV4 } from '../ip/parse-address.js';
import { IndexFileError, InvalidAddressError } from './errors.js';
import { NONE, SECTION_ALIGN, type IndexMeta, type RangeClass } from './layout.js';
import { absoluteKeys, RangeFinder, type SecondLevel } from './lookup.js';
import { readLayout, type IndexSections } from './open.js';
import { RecordTable, type IndexRecord, type ReaderOptions } from './records.js';

export { IndexFileError, InvalidAddressError, type IndexFileErrorCode } from './errors.js';
export { absoluteKeys, secondLevel, type SecondLevel } from './lookup.js';
export type { IndexSections } from './open.js';
export type { IndexCompany, IndexRecord, ReaderOptions } from './records.js';

/** A range of the file with its record id (NONE for a gap); IPv6 bounds as bigints. */
export interface IndexRange {
  family: 4 | 6;
  first: number | bigint;
  last: number | bigint;
  recordId: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Opens an index held in `bytes` (the whole file); throws IndexFileError when it is not a sound one. */
export function openIndex(bytes: Uint8Array, options: ReaderOptions = {}): IndexReader {
  if (!LITTLE_ENDIAN) throw new IndexFileError('INDEX_BAD_SECTION', 'this reader needs a little-endian host to view sections in place');
  // Typed views need their offsets aligned; a buffer that starts mid-pool is copied once.
  const buffer = bytes.byteOffset % SECTION_ALIGN === 0 ? bytes : bytes.slice();
  const { meta, sections } = readLayout(buffer, true);
  return new IndexReader(meta, sections, undefined, options);
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
  readonly #find: RangeFinder;
  readonly #records: RecordTable;
  readonly #words = new Uint32Array(4);

  constructor(meta: IndexMeta, sections: IndexSections, second?: SecondLevel, options: ReaderOptions = {}) {
    this.#meta = meta;
    this.#s = sections;
    this.#find = new RangeFinder(sections, second);
    this.#records = new RecordTable(meta, sections, options);
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
    return this.#s.v4Records[this.#find.findV4(address >>> 0)] as number;
  }

  /** The record id for an IPv6 address given as its four 32-bit words, most significant first, or NONE. */
  lookupIdV6Words(w0: number, w1: number, w2: number, w3: number): number {
    if (w0 === 0 && w1 === 0 && w2 === 0xffff) return this.lookupIdV4(w3);
    if (w0 >>> 16 === 0x2002) return this.lookupIdV4(((w0 & 0xffff) * 65536 + (w1 >>> 16)) >>> 0);
    return this.#s.v6Records[this.#find.findV6(w0, w1, w2, w3)] as number;
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
    return this.#records.recordClass(id);
  }

  /** Record `id` as an object, built on first use and shared while kept (see ReaderOptions.recordsKept). */
  record(id: number): IndexRecord {
    return this.#records.record(id);
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
      const last = i + 1 < n ? this.#find.v6Start(i + 1) - 1n : (1n << 128n) - 1n;
      yield { family, first: this.#find.v6Start(i), last, recordId: s.v6Records[i] as number };
    }
  }

  /** IPv6 start `i` as a bigint. */
  v6Start(i: number): bigint {
    return this.#find.v6Start(i);
  }

  /** The IPv6 second level this reader built (to hand to openVerifiedIndex with the bytes it came from). */
  v6SecondLevel(): SecondLevel {
    return this.#find.secondLevel;
  }

  /** The sections as typed arrays (for verify and export; treat as read-only). */
  sections(): IndexSections {
    return this.#s;
  }
}
