/**
 * The distinct answers of an index build, held in columns with their text interned once: a full
 * build has about 1.6 M of them, too many to keep as objects. Read from DuckDB chunk by chunk.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { CLASSES, parseIndustryText, type RangeClass } from '../index-file/layout.js';
import type { RecordInput } from '../index-file/write.js';

/** The text columns of an answer, in the order they are stored. */
const TEXT_COLUMNS = ['country', 'register', 'register_id', 'company_name', 'company_country', 'lei', 'link_rule', 'company_city', 'industry', 'website'] as const;

/** Answers by number: class, texts, confidence and sources, each built into a record on demand. */
export class AnswerColumns {
  readonly count: number;
  readonly #klass: Uint8Array;
  readonly #texts: Uint32Array;
  readonly #confidence: Float64Array;
  readonly #sourceSet: Uint16Array;
  readonly #strings: string[] = [];
  readonly #stringIds = new Map<string, number>();
  readonly #sets: string[][] = [];

  private constructor(count: number) {
    this.count = count;
    this.#klass = new Uint8Array(count);
    this.#texts = new Uint32Array(count * TEXT_COLUMNS.length);
    this.#confidence = new Float64Array(count).fill(NaN);
    this.#sourceSet = new Uint16Array(count);
  }

  /** Reads `table` (record_id 0…n−1 and the answer columns) in record order. */
  static async read(duck: DuckDBConnection, table: string): Promise<AnswerColumns> {
    const count = Number((await duck.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0]?.[0] ?? 0);
    const answers = new AnswerColumns(count);
    const setIds = new Map<string, number>();
    const selected = TEXT_COLUMNS.map((c) => (c === 'industry' ? `CASE WHEN len(industry_codes) > 0 THEN industry_scheme || ':' || array_to_string(industry_codes, ',') END` : c));
    const result = await duck.stream(`SELECT record_id, range_class, ${selected.join(', ')}, confidence::DOUBLE, array_to_string(list_sort(sources), ',') FROM ${table} ORDER BY record_id`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const rows = chunk.rowCount;
      const columns = Array.from({ length: 4 + TEXT_COLUMNS.length }, (_, i) => chunk.getColumnVector(i));
      for (let r = 0; r < rows; r++) {
        const id = Number(columns[0]?.getItem(r));
        const klass = CLASSES.indexOf(columns[1]?.getItem(r) as RangeClass);
        if (klass < 0) throw new Error(`index build: answer ${id} has the unknown class ${String(columns[1]?.getItem(r))}`);
        answers.#klass[id] = klass;
        TEXT_COLUMNS.forEach((_, c) => {
          answers.#texts[id * TEXT_COLUMNS.length + c] = answers.#intern((columns[2 + c]?.getItem(r) as string | null) ?? '');
        });
        const confidence = columns[2 + TEXT_COLUMNS.length]?.getItem(r);
        if (confidence !== null && confidence !== undefined) answers.#confidence[id] = Number(confidence);
        const sources = (columns[3 + TEXT_COLUMNS.length]?.getItem(r) as string | null) ?? '';
        let set = setIds.get(sources);
        if (set === undefined) {
          set = answers.#sets.length;
          setIds.set(sources, set);
          answers.#sets.push(sources === '' ? [] : sources.split(','));
        }
        answers.#sourceSet[id] = set;
      }
    }
    return answers;
  }

  /** Every source id an answer credits. */
  sources(): string[] {
    return [...new Set(this.#sets.flat())].sort();
  }

  /** Answer `id` as the writer takes it. */
  record(id: number): RecordInput {
    const text = (c: number) => this.#strings[this.#texts[id * TEXT_COLUMNS.length + c] as number] as string;
    const orNull = (c: number) => (text(c) === '' ? null : text(c));
    const register = orNull(1);
    const confidence = this.#confidence[id] as number;
    return {
      class: CLASSES[this.#klass[id] as number] as RangeClass,
      country: orNull(0),
      company: register === null ? null : { name: text(3), register, registerId: text(2), country: orNull(4), lei: orNull(5), city: orNull(7), industry: parseIndustryText(text(8)), website: orNull(9) },
      linkRule: orNull(6),
      confidence: Number.isNaN(confidence) ? null : confidence,
      sources: this.#sets[this.#sourceSet[id] as number] as string[],
    };
  }

  /** The class of answer `id`. */
  className(id: number): RangeClass {
    return CLASSES[this.#klass[id] as number] as RangeClass;
  }

  /** A number for the company answer `id` names (register and number), or -1 when it names none. */
  companyKey(id: number): number {
    const [register, number] = [this.#texts[id * TEXT_COLUMNS.length + 1] as number, this.#texts[id * TEXT_COLUMNS.length + 2] as number];
    return this.#strings[register] === '' ? -1 : register * 2 ** 32 + number;
  }

  #intern(text: string): number {
    let id = this.#stringIds.get(text);
    if (id === undefined) {
      id = this.#strings.length;
      this.#strings.push(text);
      this.#stringIds.set(text, id);
    }
    return id;
  }
}
