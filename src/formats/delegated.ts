/**
 * The RIR statistics exchange format (`delegated-<rir>[-extended]-latest`): a version line, summary
 * lines, then `registry|cc|type|start|value|date|status[|opaque-id[|extensions…]]` records. Read
 * loosely where the registries are loose (serial as date, epoch seconds or milliseconds; empty or
 * `ZZ` country; empty date; 7-field LACNIC lines) and strictly where wrong data would follow (an
 * unknown version fails the file; a record with a bad address, count or type is skipped and reported).
 */
import { IpregError } from '../errors.js';
import { parseIpv4, parseIpv6 } from '../ip/address.js';
import type { LineBatches } from './lines.js';

/** The version line. */
export interface DelegatedHeader {
  version: string;
  registry: string;
  serial: string;
  records: number;
  startDate: string;
  endDate: string;
  utcOffset: string;
}

/** One record, checked; `line` is its line in the file. */
export type DelegatedRecord = {
  line: number;
  registry: string;
  /** ISO 3166 alpha-2 of the holder, upper case; "" for free space. */
  country: string;
  date: string;
  status: 'allocated' | 'assigned' | 'available' | 'reserved';
  opaqueId: string;
} & (
  | { type: 'ipv4'; first: number; last: number; count: number }
  | { type: 'ipv6'; first: bigint; prefixLength: number }
  | { type: 'asn'; first: number; count: number }
);

/** A record line that was skipped, and why. */
export interface DelegatedSkip {
  line: number;
  reason: string;
  field: string;
  value: string;
}

/** What reading a delegated file yields, in file order. */
export type DelegatedEvent =
  | { kind: 'header'; header: DelegatedHeader }
  | { kind: 'summary'; type: string; count: number; line: number }
  | { kind: 'record'; record: DelegatedRecord }
  | { kind: 'skip'; skip: DelegatedSkip };

const VERSIONS = new Set(['2', '2.3']);
const STATUSES = new Set(['allocated', 'assigned', 'available', 'reserved']);

/** Reads a delegated file line by line. Throws FORMAT_CHANGED when the file is not one this reader knows. */
export async function* readDelegated(lines: LineBatches, file: string): AsyncGenerator<DelegatedEvent> {
  let lineNumber = 0;
  let started = false;
  for await (const batch of lines) for (const raw of batch) {
    lineNumber++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text === '' || text.startsWith('#')) continue;
    const fields = text.split('|');
    // The version line comes first; some copies in the wild lost it (APNIC's 2014 excerpt starts with its summaries).
    if (!started) {
      started = true;
      if (/^\d/.test(fields[0] ?? '') || fields.length < 6) {
        yield { kind: 'header', header: parseHeader(fields, file, lineNumber, text) };
        continue;
      }
    }
    if (fields.length === 6 && fields[5] === 'summary') {
      yield { kind: 'summary', type: fields[2] as string, count: Number(fields[4]), line: lineNumber };
      continue;
    }
    const parsed = parseRecord(fields, lineNumber);
    yield 'reason' in parsed ? { kind: 'skip', skip: parsed } : { kind: 'record', record: parsed };
  }
  if (!started) {
    throw new IpregError('FORMAT_CHANGED', `${file} has no version line and no records: it is empty or not a delegated statistics file`, { file });
  }
}

function parseHeader(fields: string[], file: string, line: number, text: string): DelegatedHeader {
  const [version, registry, serial, records, startDate, endDate, utcOffset] = fields;
  if (fields.length < 7 || version === undefined || !VERSIONS.has(version)) {
    throw new IpregError(
      'FORMAT_CHANGED',
      `${file} line ${line}: unknown delegated statistics version line ${JSON.stringify(text.slice(0, 80))} (expected version 2 or 2.3)`,
      { file, line, field: 'version', value: version ?? '' },
    );
  }
  return {
    version,
    registry: registry as string,
    serial: serial as string,
    records: Number(records),
    startDate: startDate as string,
    endDate: endDate as string,
    utcOffset: utcOffset as string,
  };
}

function parseRecord(fields: string[], line: number): DelegatedRecord | DelegatedSkip {
  if (fields.length < 7) return { line, reason: 'too few fields', field: 'record', value: `${fields.length} fields` };
  const [registry, cc, type, start, value, date, status, opaqueId] = fields as [string, string, string, string, string, string, string, string | undefined];
  if (!STATUSES.has(status)) return { line, reason: 'unknown status', field: 'status', value: status };
  if (date !== '' && !/^\d{8}$/.test(date)) return { line, reason: 'bad date', field: 'date', value: date };
  if (!/^\d+$/.test(value)) return { line, reason: 'bad value', field: 'value', value };
  const common = { line, registry, country: cc.toUpperCase(), date, status: status as DelegatedRecord['status'], opaqueId: opaqueId ?? '' };
  const n = Number(value);
  switch (type) {
    case 'ipv4': {
      const first = parseIpv4(start);
      if (first === undefined) return { line, reason: 'bad IPv4 address', field: 'start', value: start };
      if (n < 1 || first + n > 2 ** 32) return { line, reason: 'IPv4 count out of range', field: 'value', value };
      return { ...common, type, first, last: first + n - 1, count: n };
    }
    case 'ipv6': {
      const first = parseIpv6(start);
      if (first === undefined) return { line, reason: 'bad IPv6 address', field: 'start', value: start };
      if (n > 128) return { line, reason: 'IPv6 prefix longer than 128', field: 'value', value };
      if ((first & ((1n << BigInt(128 - n)) - 1n)) !== 0n) return { line, reason: 'IPv6 start not aligned to its prefix', field: 'start', value: `${start}/${n}` };
      return { ...common, type, first, prefixLength: n };
    }
    case 'asn': {
      if (!/^\d+$/.test(start) || Number(start) + n > 2 ** 32) return { line, reason: 'bad ASN', field: 'start', value: start };
      return { ...common, type, first: Number(start), count: n };
    }
    default:
      return { line, reason: 'unknown type', field: 'type', value: type };
  }
}
