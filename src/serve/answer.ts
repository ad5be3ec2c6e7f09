/**
 * The answer to a lookup, as the resolver API and `ipreg resolve` give it: the range's class and
 * country, the company when the range is linked to one, the confidence, the announcing network and
 * the sources — and the build it comes from. Never the address asked about: a caller that needs it
 * pairs answers with its own list (the batch endpoint answers in order).
 */
import { NONE as NO_RECORD } from '../index-file/layout.js';
import type { IndexReader, IndexRecord } from '../index-file/read.js';
import type { IndexMeta } from '../index-file/layout.js';

const NOT_FOUND_ITEM = '{"found":false}';

/**
 * Answers' texts kept: past the bound the cache starts over and the hot answers come back at once.
 * A world build has 1.6 M answers of ~300 bytes; keeping every one a long-running service was ever
 * asked for would grow it by half a gigabyte, and a resolver swapping builds must fit beside two
 * files. Traffic concentrates: over uniformly random IPv4 addresses on the full world, the 1 000
 * records covering most space take 93 % of the found answers. 16 384 texts are about 6 MB; a text
 * not kept costs about 3 µs to make again.
 */
const TEXTS_KEPT = 16_384;

/**
 * `text` as one flat string. A concatenation or a slice is a V8 rope or view that every write to a
 * socket would flatten or copy again (measured: half the throughput on answers found). Reading a
 * character flattens a rope in place, once: one copy, where a round trip through a Buffer made two.
 */
function flat(text: string): string {
  text.charCodeAt(text.length - 1);
  return text;
}

/** The company of an answer, in the API's field names. */
export interface AnswerCompany {
  name: string;
  register: string;
  register_id: string;
  country: string | null;
  city: string | null;
  industry: { scheme: string; codes: readonly string[] } | null;
  website: string | null;
  lei: string | null;
}

/** One answer. `found` false: no range of the build holds the address (nothing else is said). */
export interface Answer {
  build_id: string;
  found: boolean;
  class?: IndexRecord['class'];
  country?: string | null;
  company?: AnswerCompany | null;
  confidence?: number | null;
  link_rule?: string | null;
  /** The autonomous system announcing the range, and its name, from the routing data. */
  asn?: number | null;
  as_name?: string | null;
  sources?: readonly string[];
}

/** The answer fields of a record (everything but the build id). */
export function answerFields(record: IndexRecord): Omit<Answer, 'build_id'> {
  const c = record.company;
  return {
    found: true,
    class: record.class,
    country: record.country,
    // Access providers' ranges (isp, mobile) never carry a company: the index refuses to store one.
    company: c === null ? null : { name: c.name, register: c.register, register_id: c.registerId, country: c.country, city: c.city, industry: c.industry, website: c.website, lei: c.lei },
    confidence: record.confidence,
    link_rule: record.linkRule,
    asn: record.asn,
    as_name: record.asName,
    sources: record.sources,
  };
}

/**
 * A loaded build and its answers as JSON text by record id: a record's text is made once and kept
 * (up to TEXTS_KEPT), so a lookup costs the search. The batch's entries are the same texts without
 * the build id (one cache, not two).
 */
export class AnswerBuild {
  readonly reader: IndexReader;
  readonly meta: IndexMeta;
  readonly #prefix: string;
  readonly #notFound: string;
  readonly #texts = new Map<number, string>();
  readonly #kept: number;

  constructor(reader: IndexReader, kept = TEXTS_KEPT) {
    this.reader = reader;
    this.#kept = kept;
    this.meta = reader.meta();
    this.#prefix = `{"build_id":${JSON.stringify(this.meta.buildId)},`;
    this.#notFound = `${this.#prefix}"found":false}`;
  }

  /** The answer for record `id` (NO_RECORD: none), as JSON text (flat: made once per record, written to sockets as it is). */
  json(id: number): string {
    if (id === NO_RECORD) return this.#notFound;
    let text = this.#texts.get(id);
    if (text === undefined) {
      text = flat(this.#prefix + JSON.stringify(answerFields(this.reader.record(id))).slice(1));
      if (this.#texts.size >= this.#kept) this.#texts.clear();
      this.#texts.set(id, text);
    }
    return text;
  }

  /** A batch entry: the answer without the build id (the batch states it once). */
  item(id: number): string {
    if (id === NO_RECORD) return NOT_FOUND_ITEM;
    return `{${this.json(id).slice(this.#prefix.length)}`;
  }

  /** The answer for record `id` (NO_RECORD: none), as an object. */
  answer(id: number): Answer {
    return id === NO_RECORD ? { build_id: this.meta.buildId, found: false } : { build_id: this.meta.buildId, ...answerFields(this.reader.record(id)) };
  }
}
