/**
 * Routing data: which network announces each address range, and that network's name. The format read
 * here is ip-location-db's `asn` CSV (`@ip-location-db/asn` on the npm registry, CC BY 4.0, built from
 * RouteViews and the RIRs): no header, one inclusive range a line —
 * `ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization` — addresses
 * written as text (asn-ipv4.csv, asn-ipv6.csv), the organisation quoted when it holds a comma.
 */
import { IpregError } from '../errors.js';
import { parseIpv4, parseIpv6, type AddressRange } from '../ip/address.js';
import { splitCsvLine } from './csv-line.js';
import type { LineBatches } from './lines.js';

/** One announced range, checked; `line` is its line in the file. */
export interface RoutedRange {
  line: number;
  range: AddressRange;
  asn: number;
  /** The network's name as the file writes it ("" when the file gives none). */
  name: string;
}

/** What reading a routing file yields, in file order. */
export type RoutingEvent = { kind: 'range'; range: RoutedRange } | { kind: 'skip'; line: number; reason: string; field: string; value: string };

/** A line that is no announced range, and why (the value cut short: it is public routing data, no person's). */
function skipOf(line: number, reason: string, field: string, value: string): RoutingEvent {
  return { kind: 'skip', line, reason, field, value: value.slice(0, 60) };
}

/** One line of the ip-location-db asn CSV, checked. */
export function parseRoutingLine(text: string, line: number): RoutingEvent {
  let fields: string[];
  try {
    fields = splitCsvLine(text);
  } catch {
    return skipOf(line, 'unclosed quote', 'autonomous_system_organization', text);
  }
  if (fields.length !== 4) return skipOf(line, `${fields.length} fields, not 4`, 'line', text);
  const [start, end, asnText, name] = fields as [string, string, string, string];
  if (!/^\d{1,10}$/.test(asnText) || Number(asnText) > 4294967295) return skipOf(line, 'not an AS number', 'autonomous_system_number', asnText);
  const asn = Number(asnText);
  if (start.includes(':')) {
    const first = parseIpv6(start);
    const last = parseIpv6(end);
    if (first === undefined) return skipOf(line, 'not an IPv6 address', 'ip_range_start', start);
    if (last === undefined) return skipOf(line, 'not an IPv6 address', 'ip_range_end', end);
    if (last < first) return skipOf(line, 'range ends before it starts', 'ip_range_end', end);
    return { kind: 'range', range: { line, range: { family: 6, first, last }, asn, name } };
  }
  const first = parseIpv4(start);
  const last = parseIpv4(end);
  if (first === undefined) return skipOf(line, 'not an IPv4 address', 'ip_range_start', start);
  if (last === undefined) return skipOf(line, 'not an IPv4 address', 'ip_range_end', end);
  if (last < first) return skipOf(line, 'range ends before it starts', 'ip_range_end', end);
  return { kind: 'range', range: { line, range: { family: 4, first, last }, asn, name } };
}

/**
 * Reads a routing file line by line. The file has no header: a first line that is no range (a header,
 * another format) fails the file with FORMAT_CHANGED naming it; later bad lines are skipped and reported.
 */
export async function* readRouting(lines: LineBatches, file: string): AsyncGenerator<RoutingEvent> {
  let lineNumber = 0;
  let seen = false;
  for await (const batch of lines) for (const raw of batch) {
    lineNumber++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text === '') continue;
    const event = parseRoutingLine(text, lineNumber);
    if (!seen && event.kind === 'skip') {
      throw new IpregError('FORMAT_CHANGED', `${file} line ${lineNumber}: not an ip-location-db asn CSV line (${event.field}: ${event.reason}, "${event.value}")`, { file, line: lineNumber, field: event.field, value: event.value });
    }
    seen = true;
    yield event;
  }
}
