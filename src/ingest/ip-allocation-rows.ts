/**
 * From parsed records to table rows: delegated records to ip_delegations, RPSL objects to inetnums,
 * whois_orgs and aut_nums. Each ingest function reads one file in one pass, adds rows to the table
 * writers, and counts what it skipped by reason (never logging contents: WHOIS text names people).
 */
import { readDelegated, type DelegatedRecord } from '../formats/delegated.js';
import type { LineBatches, TextChunks } from '../formats/lines.js';
import { parseInet6numKey, parseInetnumKey } from '../formats/inetnum-key.js';
import type { AddressRange } from '../ip/address.js';
import { firstValue, RpslScanner, type RpslEvent, type RpslObject, type RpslSelection } from '../formats/rpsl.js';
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

export function newCounts(): IngestCounts {
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

/**
 * Reads one delegated file into ip_delegations. Its version line declares how many records it holds:
 * a file holding fewer was cut short (on a line boundary, which its last line end cannot tell) and
 * fails as FILE_TRUNCATED; a copy without a version line (some in the wild lost it) is not checked.
 */
export async function ingestDelegated(lines: LineBatches, file: string, delegations: ParquetTableWriter): Promise<IngestCounts> {
  const counts = newCounts();
  let declared: number | undefined;
  let seen = 0;
  let lastLine = 0;
  for await (const event of readDelegated(lines, file)) {
    if (event.kind === 'record') {
      counts.records++;
      seen++;
      lastLine = event.record.line;
      const wait = delegations.add(delegationRow(event.record));
      if (wait !== undefined) await wait;
    } else if (event.kind === 'skip') {
      seen++;
      lastLine = event.skip.line;
      skip(counts, event.skip.line, event.skip.reason);
    } else if (event.kind === 'header') {
      declared = Number.isSafeInteger(event.header.records) ? event.header.records : undefined;
    }
  }
  if (declared !== undefined && seen < declared) {
    throw new IpregError('FILE_TRUNCATED', `${file} line ${lastLine + 1}: its version line declares ${declared} records, the file holds ${seen} — it was cut short after line ${lastLine}; nothing was published`, { file, line: lastLine + 1, field: 'records', value: String(seen) });
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

/**
 * A date attribute, null when empty or the RIPE dumps' placeholder: the bulk dump writes
 * `created: 1970-01-01T00:00:00Z` on objects whose date it withholds (src/formats/fixtures/rpsl,
 * dump-style-inetnum-ripe-afrinic.txt), which is no date at all.
 */
export function dateOrNull(text: string): string | null {
  return text === '' || text.startsWith('1970-01-01') ? null : text;
}

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
    dateOrNull(firstValue(o, 'created')),
    dateOrNull(firstValue(o, 'last-modified')),
    orNull(firstValue(o, 'source')),
    o.line,
  ];
}

/** Where rows go: a table writer, or a CSV encoder in a worker thread. */
export interface RowSink {
  /** Takes a row; returns a promise only when the caller must wait before adding more. */
  add(row: Row): Promise<void> | undefined;
}

/** The tables an RPSL dump feeds. */
export interface RpslWriters<S extends RowSink = ParquetTableWriter> {
  inetnums: S;
  orgs: S;
  autNums: S;
}

/** Objects of a class in a file, and the attribute names they had (for the format check). */
export interface ClassTally {
  objects: number;
  attributes: Set<string>;
}

/** Objects of a class in a file before a missing attribute means the format changed, not chance. */
const FORMAT_CHECK_MINIMUM = 20;

/**
 * Turns RPSL events into rows of inetnums, whois_orgs and aut_nums, counting records, skips by
 * reason, and the attributes seen per class. `take` is the scanner's callback.
 */
export class RpslRowMaker {
  readonly counts = newCounts();
  readonly seen = new Map<string, ClassTally>();
  /** Promises of sinks that must catch up: await them between chunks. */
  readonly waits: Promise<void>[] = [];

  constructor(private readonly sinks: RpslWriters<RowSink>) {}

  readonly take = (event: RpslEvent): void => {
    const counts = this.counts;
    if (event.kind === 'skip') {
      skip(counts, event.skip.line, `${event.skip.objectClass || 'object'}: ${event.skip.reason.replace(/^line \d+ /, 'a line ')}`);
      return;
    }
    const o = event.object;
    let tally = this.seen.get(o.objectClass);
    if (tally === undefined) this.seen.set(o.objectClass, (tally = { objects: 0, attributes: new Set<string>() }));
    tally.objects++;
    if (tally.attributes.size <= (RPSL_SELECTION[o.objectClass]?.length ?? 0)) for (const name of o.attributes.keys()) tally.attributes.add(name);
    let wait: Promise<void> | undefined;
    if (o.objectClass === 'inetnum' || o.objectClass === 'inet6num') {
      const range = o.objectClass === 'inetnum' ? parseInetnumKey(o.key) : parseInet6numKey(o.key);
      if ('reason' in range) {
        skip(counts, o.line, `${o.objectClass}: ${range.reason}`);
        return;
      }
      wait = this.sinks.inetnums.add(inetnumRow(o, range));
    } else if (o.objectClass === 'organisation') {
      wait = this.sinks.orgs.add([o.key, orNull(firstValue(o, 'org-name')), orNull(firstValue(o, 'org-type')), orNull(firstValue(o, 'country').toUpperCase()), orNull(firstValue(o, 'source')), o.line]);
    } else {
      const asn = /^AS(\d{1,10})$/i.exec(o.key);
      if (asn === null) {
        skip(counts, o.line, 'aut-num: not an AS number');
        return;
      }
      wait = this.sinks.autNums.add([Number(asn[1]), orNull(firstValue(o, 'as-name')), o.attributes.get('descr') ?? [], orNull(firstValue(o, 'org')), orNull(firstValue(o, 'status')), orNull(firstValue(o, 'source')), o.line]);
    }
    if (wait !== undefined) this.waits.push(wait);
    counts.records++;
  };
}

/**
 * Reads one RPSL dump (any mix of classes) into inetnums, whois_orgs and aut_nums, on this thread.
 * Throws FORMAT_CHANGED when an attribute `required` names for a class appears in none of the file's
 * objects. (rpsl-workers.ts does the same on several threads, for dumps of gigabytes.)
 */
export async function ingestRpsl(text: TextChunks, writers: RpslWriters, file = 'RPSL dump', required: Record<string, readonly string[]> = {}): Promise<IngestCounts> {
  const maker = new RpslRowMaker(writers);
  const scanner = new RpslScanner(RPSL_SELECTION);
  for await (const chunk of text) {
    scanner.push(chunk, maker.take);
    if (maker.waits.length > 0) await Promise.all(maker.waits.splice(0));
  }
  scanner.end(maker.take);
  if (maker.waits.length > 0) await Promise.all(maker.waits.splice(0));
  checkRequiredAttributes(file, required, maker.seen);
  return maker.counts;
}

/** Throws FORMAT_CHANGED when an attribute `required` names for a class appears in none of the file's objects of that class. */
export function checkRequiredAttributes(file: string, required: Record<string, readonly string[]>, seen: ReadonlyMap<string, ClassTally>): void {
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
