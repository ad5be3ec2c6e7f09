/**
 * Full verification of an index file against every invariant of FORMAT.md — the checks the reader
 * leaves to the CRC-32s: sorted starts, merged neighbours, ids in range, classes, strings, aliases.
 * Run before publishing and by `ipreg index verify`.
 */
import { CLASSES, CONFIDENCE_SCALE, FIRST_LEVEL_HEAD, NO_CONFIDENCE, NONE, STRING_COLUMNS } from './layout.js';
import { IndexFileError, openIndex, type IndexReader, type IndexSections } from './read.js';

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

/**
 * Opens `bytes` and checks every invariant; throws IndexFileError (code INDEX_INVARIANT) on the first broken one.
 * The checks read the sections in place: beyond the file, they hold a byte per record and a bit per
 * string byte (about 10 MB for the world index), so a resolver verifying a new build beside the one
 * it serves needs little more than the two files.
 */
export function verifyIndex(bytes: Uint8Array): { reader: IndexReader; checks: readonly string[] } {
  const reader = openIndex(bytes);
  const s = reader.sections();
  const records = reader.meta().counts.records;
  const used = new Uint8Array(records);
  checkRelative('v4', s.v4Starts, s.v4FirstLevel);
  checkRelative('v6', s.v6Starts, s.v6FirstLevel);
  checkLowWords(s);
  checkFamily('v4', new StartWalk(s.v4Starts, s.v4FirstLevel), s.v4Records, records, used);
  checkFamily('v6', new StartWalk(s.v6Starts, s.v6FirstLevel, s.v6SecondWords, s.v6LowWords), s.v6Records, records, used);
  const unused = used.indexOf(0);
  if (unused >= 0) fail(`record ${unused} is used by no range`);
  const entries = checkStrings(s, reader.meta().counts.strings);
  checkRecords(s, reader.meta().attributions.length, entries);
  return { reader, checks: VERIFY_CHECKS };
}

function fail(message: string): never {
  throw new IndexFileError('INDEX_INVARIANT', message);
}

/**
 * A family's starts in order, one at a time, as four 32-bit words (most significant first; IPv4
 * starts fill the first only), read where they lie: relative first words are made absolute from
 * their bucket, IPv6 low words found by walking their sparse columns along.
 */
class StartWalk {
  readonly words = new Uint32Array(4);
  readonly previous = new Uint32Array(4);
  readonly count: number;
  /** The family's first-level table. */
  readonly table: Uint32Array;
  readonly #stored: Uint16Array | Uint32Array;
  readonly #second: Uint32Array | undefined;
  readonly #lows: Uint32Array | undefined;
  readonly #lowCount: number;
  readonly #relative: boolean;
  readonly #buckets: number;
  #i = -1;
  #bucket = 0;
  #low = 0;

  constructor(stored: Uint16Array | Uint32Array, table: Uint32Array, second?: Uint32Array, lows?: Uint32Array) {
    [this.#stored, this.table, this.#second, this.#lows] = [stored, table, second, lows];
    this.count = stored.length;
    this.#lowCount = (lows?.length ?? 0) / 3;
    this.#relative = stored.BYTES_PER_ELEMENT === 2;
    this.#buckets = 2 ** (table[2] as number);
  }

  /** Moves to the next start (the first, on the first call) and returns its index. */
  next(): number {
    const i = ++this.#i;
    this.previous.set(this.words);
    const w = this.words;
    const t = this.table;
    let w0 = this.#stored[i] as number;
    if (this.#relative && i >= (t[FIRST_LEVEL_HEAD] as number)) {
      while (this.#bucket < this.#buckets && i >= (t[FIRST_LEVEL_HEAD + this.#bucket + 1] as number)) this.#bucket++;
      if (this.#bucket === this.#buckets) fail(`${this.#second === undefined ? 'v4' : 'v6'}.starts: start ${i} is stored relative to a bucket, but lies past the first-level table's last one`);
      w0 += (t[0] as number) + this.#bucket * 2 ** (t[1] as number);
    }
    w[0] = w0;
    w[1] = this.#second?.[i] ?? 0;
    const lows = this.#lows;
    if (lows !== undefined && this.#low < this.#lowCount && lows[this.#low] === i) {
      w[2] = lows[this.#lowCount + this.#low] as number;
      w[3] = lows[2 * this.#lowCount + this.#low] as number;
      this.#low++;
    } else [w[2], w[3]] = [0, 0];
    return i;
  }

  /** The current start compared with the one before (negative, zero, positive), word by word. */
  order(): number {
    for (let c = 0; c < 4; c++) {
      const d = (this.words[c] as number) - (this.previous[c] as number);
      if (d !== 0) return d;
    }
    return 0;
  }
}

/** The IPv6 low-words columns list their starts in order, each in range and not both zero. */
function checkLowWords(s: IndexSections): void {
  const n = s.v6Records.length;
  const low = s.v6LowWords;
  const lows = low.length / 3;
  for (let k = 0; k < lows; k++) {
    const [i, w2, w3] = [low[k] as number, low[lows + k] as number, low[2 * lows + k] as number];
    if (i >= n || (k > 0 && i <= (low[k - 1] as number))) fail(`v6.low-words: entry ${k} names start ${i}: out of order or past the ${n} starts`);
    if (w2 === 0 && w3 === 0) fail(`v6.low-words: entry ${k} (start ${i}) lists low words that are zero`);
  }
}

/** 16-bit starts are offsets inside their bucket: each below the bucket's width. */
function checkRelative(family: string, stored: Uint16Array | Uint32Array, table: Uint32Array): void {
  if (stored instanceof Uint32Array) return;
  const width = 2 ** (table[1] as number);
  for (let i = 0; i < stored.length; i++) if ((stored[i] as number) >= width) fail(`${family}.starts: start ${i} has offset ${stored[i]}, not below the bucket width ${width}`);
}

/**
 * One pass over a family's ranges: starts from zero and rising, neighbours merged, record ids in
 * range (marked used), no IPv6 start in the IPv4 aliases, and the first-level table's entries — entry
 * k the count of starts below bucket k's first address.
 */
function checkFamily(family: 'v4' | 'v6', walk: StartWalk, ids: Uint32Array, records: number, used: Uint8Array): void {
  const name = `${family}.first-level`;
  const t = walk.table;
  const [base, width, buckets] = [t[0] as number, 2 ** (t[1] as number), 2 ** (t[2] as number)];
  let k = 0; // the next bucket whose entry is checked
  for (let n = 0; n < walk.count; n++) {
    const i = walk.next();
    const w = walk.words;
    if (i === 0 && (w[0] !== 0 || w[1] !== 0 || w[2] !== 0 || w[3] !== 0)) fail(`${family}.starts: the first start is not address zero`);
    if (i > 0 && walk.order() <= 0) fail(`${family}.starts: start ${i} is not above start ${i - 1}`);
    if (family === 'v6' && (((w[0] as number) === 0 && w[1] === 0 && w[2] === 0xffff) || (w[0] as number) >>> 16 === 0x2002)) {
      fail(`v6.starts: start ${i} lies in ::ffff:0:0/96 or 2002::/16, which are answered from IPv4`);
    }
    while (k <= buckets && base + k * width <= (w[0] as number)) {
      if (t[FIRST_LEVEL_HEAD + k] !== i) fail(`${name}: entry ${k} is ${t[FIRST_LEVEL_HEAD + k]}, but ${i} starts lie below its bucket`);
      k++;
    }
    const id = ids[i] as number;
    if (i > 0 && ids[i - 1] === id) fail(`${family}.records: ranges ${i - 1} and ${i} share record ${id === NONE ? 'NONE' : id} (neighbours must be merged)`);
    if (id === NONE) continue;
    if (id >= records) fail(`${family}.records: range ${i} has record id ${id}, not below the record count ${records}`);
    used[id] = 1;
  }
  for (; k <= buckets; k++) if (t[FIRST_LEVEL_HEAD + k] !== walk.count) fail(`${name}: entry ${k} is ${t[FIRST_LEVEL_HEAD + k]}, but ${walk.count} starts lie below its bucket`);
  if (walk.count > 0 && (walk.words[0] as number) >= base + buckets * width) fail(`${name}: the last start lies past the table's last bucket`);
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
    if (s.recordAsn[r] === 0 && s.recordStrings[10]?.[r] !== 0) fail(`record.as-name: record ${r} has an AS name but no AS number`);
    const access = CLASSES[klass] === 'isp' || CLASSES[klass] === 'mobile';
    if (access && [1, 2, 3].some((c) => s.recordStrings[c]?.[r] !== 0)) fail(`record ${r}: class ${CLASSES[klass]} names a company`);
  }
}
