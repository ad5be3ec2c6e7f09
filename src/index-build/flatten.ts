/**
 * Flattening: overlapping ranges (an allocation, the assignments inside it, the customer ranges
 * inside those) become disjoint ranges where the most specific one wins — the smallest range holding
 * an address, then the lower rank (a WHOIS range before an RIR allocation of the same bounds), then
 * the later start (of two equal ranges overlapping in part), then the later input. One sweep in address order with a heap of the ranges open at the sweep point:
 * memory is bounded by the depth of nesting, not by the input.
 */

/** A range to flatten: bounds (inclusive), the answer it gives, and its rank among equals. */
export interface FlattenInput<T extends number | bigint> {
  first: T;
  last: T;
  value: number;
  rank: number;
}

/** A disjoint output range. */
export interface FlatRange<T extends number | bigint> {
  first: T;
  last: T;
  value: number;
}

/** +1 and −1 for the family's numbers (number for IPv4, bigint for IPv6). */
export interface Steps<T extends number | bigint> {
  next(x: T): T;
  previous(x: T): T;
}

export const V4_STEPS: Steps<number> = { next: (x) => x + 1, previous: (x) => x - 1 };
export const V6_STEPS: Steps<bigint> = { next: (x) => x + 1n, previous: (x) => x - 1n };

interface Open<T extends number | bigint> extends FlattenInput<T> {
  size: T;
  order: number;
}

/**
 * Disjoint ranges, in address order, of `inputs` (which must come sorted by first address); neighbours
 * with the same value are merged. Throws when the inputs are out of order.
 */
export function* flattenRanges<T extends number | bigint>(inputs: Iterable<FlattenInput<T>>, steps: Steps<T>): Generator<FlatRange<T>> {
  const out: FlatRange<T>[] = [];
  const flattener = new RangeFlattener(steps, (r) => out.push(r));
  for (const input of inputs) {
    flattener.push(input);
    yield* out.splice(0);
  }
  flattener.end();
  yield* out;
}

/** The push form of flattenRanges, for inputs that arrive in batches: output goes to `emit` as it is decided. */
export class RangeFlattener<T extends number | bigint> {
  readonly #steps: Steps<T>;
  readonly #emit: (range: FlatRange<T>) => void;
  readonly #heap = new OpenHeap<T>();
  /** The first address not yet emitted, once something started. */
  #at: T | undefined;
  #pending: FlatRange<T> | undefined;
  #order = 0;
  #lastFirst: T | undefined;

  constructor(steps: Steps<T>, emit: (range: FlatRange<T>) => void) {
    this.#steps = steps;
    this.#emit = emit;
  }

  /** Adds the next input (sorted by first address). */
  push(input: FlattenInput<T>): void {
    this.add(input.first, input.last, input.value, input.rank);
  }

  /** push() without the input object: millions of ranges a build. */
  add(first: T, last: T, value: number, rank: number): void {
    if (last < first) throw new Error(`flatten: range ${String(first)}-${String(last)} ends before it starts`);
    if (this.#lastFirst !== undefined && first < this.#lastFirst) throw new Error(`flatten: range starting ${String(first)} comes after one starting ${String(this.#lastFirst)}: inputs must be sorted`);
    this.#lastFirst = first;
    if (this.#at !== undefined) this.#sweepUntil(this.#steps.previous(first));
    if (this.#at === undefined || this.#heap.size === 0 || this.#at < first) this.#at = first;
    const size = ((last as number) - (first as number)) as unknown as T;
    this.#heap.push({ first, last, value, rank, size, order: this.#order++ });
  }

  /** Emits the rest. */
  end(): void {
    this.#sweepUntil(undefined);
    if (this.#pending !== undefined) this.#emit(this.#pending);
    this.#pending = undefined;
  }

  /** Emits what the open ranges give from the sweep point up to `limit` (inclusive; undefined: to the end). */
  #sweepUntil(limit: T | undefined): void {
    const heap = this.#heap;
    for (;;) {
      const at = this.#at;
      while (heap.size > 0 && at !== undefined && (heap.peek() as Open<T>).last < at) heap.pop();
      const top = heap.peek();
      if (top === undefined || at === undefined || (limit !== undefined && at > limit)) return;
      const end = limit !== undefined && limit < top.last ? limit : top.last;
      this.#merge({ first: at, last: end, value: top.value });
      this.#at = this.#steps.next(end); // past the family's last address after a range ending there: nothing follows
    }
  }

  #merge(segment: FlatRange<T>): void {
    const pending = this.#pending;
    if (pending !== undefined && pending.value === segment.value && this.#steps.next(pending.last) === segment.first) {
      pending.last = segment.last;
      return;
    }
    if (pending !== undefined) this.#emit(pending);
    this.#pending = segment;
  }
}

/** True when `a` is more specific than `b`. */
function beats<T extends number | bigint>(a: Open<T>, b: Open<T>): boolean {
  if (a.size !== b.size) return a.size < b.size;
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.first !== b.first) return a.first > b.first;
  return a.order > b.order;
}

/** A binary heap of open ranges, the most specific on top. */
class OpenHeap<T extends number | bigint> {
  #items: Open<T>[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): Open<T> | undefined {
    return this.#items[0];
  }

  push(item: Open<T>): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!beats(items[i] as Open<T>, items[parent] as Open<T>)) break;
      [items[i], items[parent]] = [items[parent] as Open<T>, items[i] as Open<T>];
      i = parent;
    }
  }

  pop(): Open<T> | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let best = i;
        if (l < items.length && beats(items[l] as Open<T>, items[best] as Open<T>)) best = l;
        if (r < items.length && beats(items[r] as Open<T>, items[best] as Open<T>)) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best] as Open<T>, items[i] as Open<T>];
        i = best;
      }
    }
    return top;
  }
}
