/**
 * From parsed records to table rows: delegated records to ip_delegations, RPSL objects to inetnums,
 * whois_orgs and aut_nums. Each ingest function reads one file in one pass, adds rows to the table
 * writers, and counts what it skipped by reason (never logging contents: WHOIS text names people).
 */
import { readDelegated, type DelegatedRecord } from '../formats/delegated.js';
import type { LineBatches } from '../formats/lines.js';
import { parseInet6numKey, parseInetnumKey, type AddressRange } from '../formats/inetnum-key.js';
import { firstValue, readRpslBatches, type RpslObject, type RpslSelection } from '../formats/rpsl.js';
import { IpregError } from '../errors.js';
import { ipv6PrefixEnd } from '../ip/address.js';
import type { ParquetTableWriter, Row } from '../lake/parquet.js';
import { rangeValues } from '../lake/range-columns.js';

/** What one ingest pass counted. */
export interface IngestCounts {
  records: number;
  skipped: Record<string, number>;
  /** File and line of the first few skips per reason, for the log. */
  examples: { line: number; reason: string }[];
}

function newCounts(): IngestCounts {
  return { records: 0, skipped: {}, examples: [] };
}

function skip(counts: IngestCounts, line: number, reason: string): void {
  counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
  if (counts.examples.length < 20) counts.examples.push({ line, reason });
}

/** The ip_delegations row of a delegated record. */
export function delegationRow(r: DelegatedRecord): Row {
  const date = r.date === '' || r.date === '00000000' ? null : `${r.date.slice(0, 4)}-${r.date.slice(4, 6)}-${r.date.slice(6, 8)}`;
  const common = [r.registry, r.country, r.type] as const;
  const tail = [date, r.status, r.opaqueId, r.line] as const;
  switch (r.type) {
    case 'ipv4':
      return [...common, ...rangeValues({ family: 4, first: r.first, last: r.last }), r.count, null, null, null, ...tail];
    case 'ipv6':
      return [...common, ...rangeValues({ family: 6, first: r.first, last: ipv6PrefixEnd(r.first, r.prefixLength) }), null, r.prefixLength, null, null, ...tail];
    case 'asn':
      return [...common, ...new Array<null>(9).fill(null), null, null, r.first, r.first + r.count - 1, ...tail];
  }
}

/** Reads one delegated file into ip_delegations. */
export async function ingestDelegated(lines: LineBatches, file: string, delegations: ParquetTableWriter): Promise<IngestCounts> {
  const counts = newCounts();
  for await (const event of readDelegated(lines, file)) {
    if (event.kind === 'record') {
      counts.records++;
      await delegations.add(delegationRow(event.record));
    } else if (event.kind === 'skip') {
      skip(counts, event.skip.line, event.skip.reason);
    }
  }
  return counts;
}

/** The classes and attributes the lake keeps from RPSL dumps (no contact attribute, no person or role). */
export const RPSL_SELECTION: RpslSelection = {
  inetnum: ['netname', 'descr', 'country', 'org', 'status', 'created', 'last-modified', 'source'],
  inet6num: ['netname', 'descr', 'country', 'org', 'status', 'assignment-size', 'created', 'last-modified', 'source'],
  organisation: ['org-name', 'org-type', 'country', 'source'],
  'aut-num': ['as-name', 'descr', 'org', 'status', 'source'],
};

const orNull = (text: string): string | null => (text === '' ? null : text);

/** The inetnums row of an inetnum or inet6num object. */
export function inetnumRow(o: RpslObject, range: AddressRange): Row {
  const size = firstValue(o, 'assignment-size');
  return [
    ...rangeValues(range),
    orNull(firstValue(o, 'netname')),
    o.attributes.get('descr') ?? [],
    orNull(firstValue(o, 'country').toUpperCase()),
    orNull(firstValue(o, 'org')),
    orNull(firstValue(o, 'status')),
    /^\d{1,3}$/.test(size) ? Number(size) : null,
    orNull(firstValue(o, 'created')),
    orNull(firstValue(o, 'last-modified')),
    orNull(firstValue(o, 'source')),
    o.line,
  ];
}

/** The tables an RPSL dump feeds. */
export interface RpslWriters {
  inetnums: ParquetTableWriter;
  orgs: ParquetTableWriter;
  autNums: ParquetTableWriter;
}

/** Objects of a class in a file before a missing attribute means the format changed, not chance. */
const FORMAT_CHECK_MINIMUM = 20;

/**
 * Reads one RPSL dump (any mix of classes) into inetnums, whois_orgs and aut_nums. Throws
 * FORMAT_CHANGED when an attribute `required` names for a class appears in none of the file's objects.
 */
export async function ingestRpsl(lines: LineBatches, writers: RpslWriters, file = 'RPSL dump', required: Record<string, readonly string[]> = {}): Promise<IngestCounts> {
  const counts = newCounts();
  const seen = new Map<string, { objects: number; attributes: Set<string> }>();
  for await (const events of readRpslBatches(lines, RPSL_SELECTION)) {
    for (const event of events) {
      if (event.kind === 'skip') {
        skip(counts, event.skip.line, `${event.skip.objectClass || 'object'}: ${event.skip.reason.replace(/^line \d+ /, 'a line ')}`);
        continue;
      }
      const o = event.object;
      const tally = seen.get(o.objectClass) ?? { objects: 0, attributes: new Set<string>() };
      seen.set(o.objectClass, tally);
      tally.objects++;
      for (const name of o.attributes.keys()) tally.attributes.add(name);
      if (o.objectClass === 'inetnum' || o.objectClass === 'inet6num') {
        const range = o.objectClass === 'inetnum' ? parseInetnumKey(o.key) : parseInet6numKey(o.key);
        if ('reason' in range) {
          skip(counts, o.line, `${o.objectClass}: ${range.reason}`);
          continue;
        }
        await writers.inetnums.add(inetnumRow(o, range));
      } else if (o.objectClass === 'organisation') {
        await writers.orgs.add([o.key, orNull(firstValue(o, 'org-name')), orNull(firstValue(o, 'org-type')), orNull(firstValue(o, 'country').toUpperCase()), orNull(firstValue(o, 'source')), o.line]);
      } else {
        const asn = /^AS(\d{1,10})$/i.exec(o.key);
        if (asn === null) {
          skip(counts, o.line, 'aut-num: not an AS number');
          continue;
        }
        await writers.autNums.add([Number(asn[1]), orNull(firstValue(o, 'as-name')), o.attributes.get('descr') ?? [], orNull(firstValue(o, 'org')), orNull(firstValue(o, 'status')), orNull(firstValue(o, 'source')), o.line]);
      }
      counts.records++;
    }
  }
  checkRequiredAttributes(file, required, seen);
  return counts;
}

function checkRequiredAttributes(file: string, required: Record<string, readonly string[]>, seen: Map<string, { objects: number; attributes: Set<string> }>): void {
  for (const [objectClass, names] of Object.entries(required)) {
    const tally = seen.get(objectClass);
    if (tally === undefined || tally.objects < FORMAT_CHECK_MINIMUM) continue;
    const missing = names.filter((n) => !tally.attributes.has(n));
    if (missing.length > 0) {
      throw new IpregError(
        'FORMAT_CHANGED',
        `${file}: none of its ${tally.objects} ${objectClass} objects has ${missing.map((m) => `"${m}:"`).join(' or ')} — the dump's format changed`,
        { file, field: missing.join(',') },
      );
    }
  }
}
