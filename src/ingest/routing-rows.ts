/**
 * From routing files to table rows: every announced range to routed_prefixes, and every announcing
 * network, once all of a source's files are read, to as_names — its name (the one the files use most
 * for it) and the space it announces.
 */
import type { LineBatches } from '../formats/lines.js';
import { readRouting } from '../formats/routing.js';
import type { Row } from '../lake/parquet.js';
import type { RowSink } from './ip-allocation-rows.js';
import { newCounts, type IngestCounts } from './ip-allocation-rows.js';
import { rangeValues } from '../lake/range-columns.js';
import { sqlString } from '../lake/sql.js';

/** What a source's networks announce, gathered over its files. */
export class Networks {
  private readonly byAsn = new Map<number, { names: Map<string, number>; v4Addresses: number; v4Ranges: number; v6Ranges: number }>();

  add(asn: number, name: string, family: 4 | 6, addresses: number): void {
    let n = this.byAsn.get(asn);
    if (n === undefined) {
      n = { names: new Map(), v4Addresses: 0, v4Ranges: 0, v6Ranges: 0 };
      this.byAsn.set(asn, n);
    }
    if (name !== '') n.names.set(name, (n.names.get(name) ?? 0) + 1);
    if (family === 4) {
      n.v4Addresses += addresses;
      n.v4Ranges++;
    } else n.v6Ranges++;
  }

  /** as_names rows, by AS number; the name used most (the first in sort order among equals), or null. */
  rows(): Row[] {
    return [...this.byAsn.entries()]
      .sort(([a], [b]) => a - b)
      .map(([asn, n]) => {
        let name: string | null = null;
        let most = 0;
        for (const [candidate, count] of n.names) if (count > most || (count === most && name !== null && candidate < name)) [name, most] = [candidate, count];
        return [asn, name, n.v4Addresses, n.v4Ranges, n.v6Ranges];
      });
  }
}

/** A SQL relation (asn, as_name, v4_addresses, v4_ranges, v6_ranges) of as_names rows (Networks.rows()). */
export function networksRelationSql(rows: readonly Row[]): string {
  const columns = '(asn, as_name, v4_addresses, v4_ranges, v6_ranges)';
  if (rows.length === 0) return `SELECT NULL::BIGINT AS asn, NULL::VARCHAR AS as_name, 0::BIGINT AS v4_addresses, 0::BIGINT AS v4_ranges, 0::BIGINT AS v6_ranges WHERE false`;
  const values = rows.map(([asn, name, v4, v4Ranges, v6Ranges]) => `(${String(asn)}::BIGINT, ${name === null ? 'NULL' : sqlString(String(name))}, ${String(v4)}::BIGINT, ${String(v4Ranges)}::BIGINT, ${String(v6Ranges)}::BIGINT)`);
  return `SELECT * FROM (VALUES ${values.join(', ')}) AS t${columns}`;
}

/**
 * Reads one routing file into routed_prefixes and gathers its networks. AS 0 (space announced by no
 * one, which some copies write as rows) is no network: counted as skipped, kept out of both tables.
 */
export async function ingestRouting(lines: LineBatches, file: string, prefixes: RowSink, networks: Networks): Promise<IngestCounts> {
  const counts = newCounts();
  const skip = (line: number, reason: string) => {
    counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
    if (counts.examples.length < 20) counts.examples.push({ line, reason });
  };
  for await (const event of readRouting(lines, file)) {
    if (event.kind === 'skip') {
      skip(event.line, `${event.field}: ${event.reason}`);
      continue;
    }
    const { range, asn, name, line } = event.range;
    if (asn === 0) {
      skip(line, 'announced by no network (AS 0)');
      continue;
    }
    counts.records++;
    networks.add(asn, name, range.family, range.family === 4 ? range.last - range.first + 1 : 0);
    const wait = prefixes.add([...rangeValues(range), asn, line]);
    if (wait !== undefined) await wait;
  }
  return counts;
}
