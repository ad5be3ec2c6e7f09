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
  const heap = new OpenHeap<T>();
  let at: T | undefined; // the first address not yet emitted, once something started
  let pending: FlatRange<T> | undefined;
  let order = 0;
  let lastFirst: T | undefined;

  function* emit(segment: FlatRange<T>): Generator<FlatRange<T>> {
    if (pending !== undefined && pending.value === segment.value && steps.next(pending.last) === segment.first) {
      pending.last = segment.last;
      return;
    }
    if (pending !== undefined) yield pending;
    pending = segment;
  }

  /** Emits what the open ranges give from `at` up to `limit` (inclusive; undefined: to the end). */
  function* sweepUntil(limit: T | undefined): Generator<FlatRange<T>> {
    for (;;) {
      while (heap.size > 0 && at !== undefined && (heap.peek() as Open<T>).last < at) heap.pop();
      const top = heap.peek();
      if (top === undefined || at === undefined || (limit !== undefined && at > limit)) return;
      const end = limit !== undefined && limit < top.last ? limit : top.last;
      yield* emit({ first: at, last: end, value: top.value });
      at = steps.next(end); // past the family's last address after a range that ends there: nothing follows
    }
  }

  for (const input of inputs) {
    if (input.last < input.first) throw new Error(`flatten: range ${String(input.first)}-${String(input.last)} ends before it starts`);
    if (lastFirst !== undefined && input.first < lastFirst) throw new Error(`flatten: range starting ${String(input.first)} comes after one starting ${String(lastFirst)}: inputs must be sorted`);
    lastFirst = input.first;
    if (at !== undefined) yield* sweepUntil(steps.previous(input.first));
    if (at === undefined || heap.size === 0 || at < input.first) at = input.first;
    heap.push({ ...input, size: (input.last as number) - (input.first as number) as unknown as T, order: order++ });
  }
  yield* sweepUntil(undefined);
  if (pending !== undefined) yield pending;
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
