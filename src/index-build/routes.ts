/**
 * The networks of an index build: the routing data's announced ranges (routed_prefixes) flattened so
 * that the most specific announcement holds each address — the longest prefix, as a router picks it —
 * and laid over the answers, so that each answered range is cut where the announcing network changes
 * and each piece carries that network's AS number and name.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { parquet } from '../lake/sql.js';
import { RangeFlattener, V4_STEPS, V6_STEPS, type FlatRange, type Steps } from './flatten.js';

/** An announcing network: its AS number, its name in the routing data, and the source that says so. */
export interface Network {
  asn: number;
  name: string | null;
  source: string;
}

/** Disjoint announced ranges of one family, in address order, each with the index of its network. */
export interface RouteTable<T extends number | bigint> {
  first: T[];
  last: T[];
  network: number[];
}

/** A piece of an answered range: its bounds and the network announcing it (−1: none). */
export interface RoutedPiece<T extends number | bigint> {
  first: T;
  last: T;
  network: number;
}

/** The networks and their announced space, read once per build. */
export interface Routes {
  networks: Network[];
  v4: RouteTable<number>;
  v6: RouteTable<bigint>;
}

/** No routing data: every answer without a network. */
export const NO_ROUTES: Routes = { networks: [], v4: { first: [], last: [], network: [] }, v6: { first: [], last: [], network: [] } };

/** Reads routed_prefixes (and as_names for the names) and flattens them per family. */
export async function readRoutes(duck: DuckDBConnection, routedPrefixes: readonly string[], asNames: readonly string[]): Promise<Routes> {
  if (routedPrefixes.length === 0) return NO_ROUTES;
  const names = asNames.length === 0
    ? 'SELECT NULL::BIGINT AS asn, NULL::VARCHAR AS source, NULL::VARCHAR AS as_name WHERE false'
    : `SELECT asn, source, min(as_name) AS as_name FROM ${parquet(asNames)} GROUP BY asn, source`;
  await duck.run(`CREATE OR REPLACE TEMP TABLE route_networks AS
    SELECT row_number() OVER (ORDER BY p.asn, p.source) - 1 AS network, p.asn, p.source, n.as_name
    FROM (SELECT DISTINCT asn, source FROM ${parquet(routedPrefixes)} WHERE asn BETWEEN 1 AND 4294967295) p
      LEFT JOIN (${names}) n ON n.asn = p.asn AND n.source = p.source`);
  const networks: Network[] = (await duck.runAndReadAll('SELECT asn::UBIGINT, as_name, source FROM route_networks ORDER BY network')).getRows()
    .map(([asn, name, source]) => ({ asn: Number(asn), name: (name as string | null) ?? null, source: String(source) }));
  const v4: RouteTable<number> = { first: [], last: [], network: [] };
  const v6: RouteTable<bigint> = { first: [], last: [], network: [] };
  const push = <T extends number | bigint>(table: RouteTable<T>) => (r: FlatRange<T>) => {
    table.first.push(r.first);
    table.last.push(r.last);
    table.network.push(r.value);
  };
  const flat4 = new RangeFlattener<number>(V4_STEPS, push(v4));
  const flat6 = new RangeFlattener<bigint>(V6_STEPS, push(v6));
  const result = await duck.stream(`SELECT p.family, p.first_v4::UINTEGER, p.last_v4::UINTEGER, p.first_key, p.last_key, n.network::UINTEGER
    FROM ${parquet(routedPrefixes)} p JOIN route_networks n ON n.asn = p.asn AND n.source = p.source
    ORDER BY p.family, p.first_key, p.last_key DESC, n.network`);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const [family, first4, last4, firstKey, lastKey, network] = [0, 1, 2, 3, 4, 5].map((i) => chunk.getColumnVector(i));
    for (let i = 0; i < chunk.rowCount; i++) {
      const value = network?.getItem(i) as number;
      if (Number(family?.getItem(i)) === 4) flat4.add(first4?.getItem(i) as number, last4?.getItem(i) as number, value, 0);
      else flat6.add(keyValue((firstKey?.getItem(i) as { bytes: Uint8Array }).bytes), keyValue((lastKey?.getItem(i) as { bytes: Uint8Array }).bytes), value, 0);
    }
  }
  flat4.end();
  flat6.end();
  await duck.run('DROP TABLE route_networks');
  return { networks, v4, v6 };
}

/** A 16-byte big-endian key as a bigint. */
export function keyValue(bytes: Uint8Array): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (view.getBigUint64(0) << 64n) | view.getBigUint64(8);
}

/**
 * Cuts ranges that arrive in address order, disjoint, at the boundaries of the announced ranges:
 * one cursor over the route table, so a whole family costs one pass over both.
 */
export class RouteOverlay<T extends number | bigint> {
  readonly #routes: RouteTable<T>;
  readonly #steps: Steps<T>;
  #at = 0;

  constructor(routes: RouteTable<T>, steps: Steps<T>) {
    this.#routes = routes;
    this.#steps = steps;
  }

  /** The pieces of [first, last] (which must not start before the previous range's end), in order. */
  split(first: T, last: T): RoutedPiece<T>[] {
    const r = this.#routes;
    const pieces: RoutedPiece<T>[] = [];
    while (this.#at < r.first.length && (r.last[this.#at] as T) < first) this.#at++;
    let from = first;
    for (let i = this.#at; i < r.first.length && (r.first[i] as T) <= last; i++) {
      const [routeFirst, routeLast] = [r.first[i] as T, r.last[i] as T];
      if (routeFirst > from) {
        pieces.push({ first: from, last: this.#steps.previous(routeFirst), network: -1 });
        from = routeFirst;
      }
      const end = routeLast < last ? routeLast : last;
      pieces.push({ first: from, last: end, network: r.network[i] as number });
      if (end === last) return pieces;
      from = this.#steps.next(end);
    }
    pieces.push({ first: from, last, network: -1 });
    return pieces;
  }
}
