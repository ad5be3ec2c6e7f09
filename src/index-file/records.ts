/**
 * An index file's records: each answer's class, country, company, link rule, confidence, sources and network,
 * read from the record columns and the string section, built as a frozen object on first use and kept
 * (within a bound) for the next lookup that lands on it.
 */
import { IndexFileError } from './errors.js';
import { CLASSES, CONFIDENCE_SCALE, NO_CONFIDENCE, STRING_COLUMNS, parseIndustryText, type IndexMeta, type RangeClass } from './layout.js';
import type { IndexSections } from './open.js';

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
  /** The autonomous system announcing the range, when the routing data has one (files before format 1.2: null). */
  readonly asn: number | null;
  /** That network's name in the routing data. */
  readonly asName: string | null;
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

/** How a reader keeps what it builds. */
export interface ReaderOptions {
  /** Record objects kept for reuse, at most (default 65 536, about 20 MB); past it they are dropped and built again on use. */
  recordsKept?: number;
}

/** The records of one file. */
export class RecordTable {
  readonly #count: number;
  readonly #s: IndexSections;
  /**
   * Record objects built so far, in pages of RECORD_PAGE made on first use: one array of 1.6 M slots
   * costs 14–30 ms to allocate, which a resolver's swap would spend on its event loop.
   */
  readonly #records: ((IndexRecord | undefined)[] | undefined)[];
  #recordsBuilt = 0;
  readonly #recordsKept: number;
  readonly #strings = new Map<number, string>();
  readonly #attributions: { sources: string[]; text: string }[];

  constructor(meta: IndexMeta, sections: IndexSections, options: ReaderOptions = {}) {
    this.#count = meta.counts.records;
    this.#s = sections;
    this.#recordsKept = Math.max(1, options.recordsKept ?? RECORDS_KEPT);
    this.#records = new Array<(IndexRecord | undefined)[] | undefined>(Math.ceil(Math.max(0, meta.counts.records) / RECORD_PAGE));
    this.#attributions = meta.attributions.map((set) => ({
      sources: set.map((i) => (meta.sources[i] as { id: string }).id),
      text: set.map((i) => (meta.sources[i] as { attribution: string }).attribution).join(' '),
    }));
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
    if (!(id < this.#count)) throw new IndexFileError('INDEX_INVARIANT', `record id ${id} is not below the record count ${this.#count}`);
    const built = this.#buildRecord(id);
    if (++this.#recordsBuilt > this.#recordsKept) {
      this.#records.fill(undefined);
      this.#recordsBuilt = 1;
    }
    (this.#records[id >>> RECORD_PAGE_BITS] ??= new Array<IndexRecord | undefined>(RECORD_PAGE))[id & (RECORD_PAGE - 1)] = built;
    return built;
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
      asn: s.recordAsn[id] === 0 ? null : (s.recordAsn[id] as number),
      asName: orNull(text(10)),
    });
  }
}
