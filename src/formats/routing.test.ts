/**
 * Routing data (ip-location-db asn CSV): real lines read as ranges, bad lines skipped naming the field,
 * a file of another format refused, and the networks gathered from the ranges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linesOf, linesOfChunks, chunksOfText } from './lines.js';
import { parseRoutingLine, readRouting, type RoutingEvent } from './routing.js';
import { ingestRouting, Networks } from '../ingest/routing-rows.js';
import { formatIpv4 } from '../ip/address.js';
import type { Row } from '../lake/parquet.js';

const fixture = (name: string) => new URL(`../links/fixtures/routing/${name}`, import.meta.url).pathname;

async function events(text: string, file = 'test.csv'): Promise<RoutingEvent[]> {
  const out: RoutingEvent[] = [];
  for await (const e of readRouting(linesOfChunks(chunksOfText(text)), file)) out.push(e);
  return out;
}

describe('routing data', () => {
  it('reads every real line as a range, a quoted name whole', async () => {
    const out: RoutingEvent[] = [];
    for (const f of ['asn-ipv4.sample.csv', 'asn-ipv6.sample.csv']) for await (const e of readRouting(linesOf(fixture(f)), f)) out.push(e);
    expect(out.filter((e) => e.kind === 'skip')).toEqual([]);
    // 168 IPv4 and 26 IPv6 lines (wc -l of the two fixtures).
    expect(out).toHaveLength(194);
    expect(out[0]).toEqual({ kind: 'range', range: { line: 1, range: { family: 4, first: 16777216, last: 16777471 }, asn: 13335, name: 'Cloudflare, Inc.' } });
  });

  it('skips a bad line naming the field and the value, and refuses a file whose first line is none', async () => {
    const skip = (text: string) => {
      const e = parseRoutingLine(text, 7);
      return e.kind === 'skip' ? [e.field, e.reason, e.value] : e;
    };
    expect(skip('1.0.0.0,1.0.0.255,AS13335,Cloudflare')).toEqual(['autonomous_system_number', 'not an AS number', 'AS13335']);
    expect(skip('1.0.0.0,1.0.0.255,4294967296,Too big')).toEqual(['autonomous_system_number', 'not an AS number', '4294967296']);
    expect(skip('1.0.0.256,1.0.0.255,1,X')).toEqual(['ip_range_start', 'not an IPv4 address', '1.0.0.256']);
    expect(skip('2001:db8::,2001:db8::g,1,X')).toEqual(['ip_range_end', 'not an IPv6 address', '2001:db8::g']);
    expect(skip('1.0.0.9,1.0.0.1,1,X')).toEqual(['ip_range_end', 'range ends before it starts', '1.0.0.1']);
    expect(skip('1.0.0.0,1.0.0.255,1')).toEqual(['line', '3 fields, not 4', '1.0.0.0,1.0.0.255,1']);
    expect(skip('1.0.0.0,1.0.0.255,1,"Cut off')).toEqual(['autonomous_system_organization', 'unclosed quote', '1.0.0.0,1.0.0.255,1,"Cut off']);
    await expect(events('ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization\n1.0.0.0,1.0.0.255,1,X\n', 'asn-ipv4.csv')).rejects.toThrow(
      'asn-ipv4.csv line 1: not an ip-location-db asn CSV line (autonomous_system_number: not an AS number, "autonomous_system_number")',
    );
    const later = await events('1.0.0.0,1.0.0.255,1,X\n1.0.1.0,1.0.1.255,AS2,Y\n');
    expect(later.map((e) => e.kind)).toEqual(['range', 'skip']);
  });

  it('keeps AS 0 out, and gathers each network: the name it is written with most, its space and blocks', async () => {
    const rows: Row[] = [];
    const networks = new Networks();
    const text = ['1.0.0.0,1.0.0.255,64500,Example Net', '1.0.1.0,1.0.1.127,64500,Example Net Ltd', '1.0.2.0,1.0.2.255,64500,Example Net', '1.0.3.0,1.0.3.255,0,None', '2001:db8::,2001:db8::ffff,64500,Example Net'].join('\n');
    const counts = await ingestRouting(linesOfChunks(chunksOfText(text)), 'x.csv', { add: (r) => void rows.push(r) }, networks);
    expect(counts.records).toBe(4);
    expect(counts.skipped).toEqual({ 'announced by no network (AS 0)': 1 });
    expect(rows).toHaveLength(4);
    expect(networks.rows()).toEqual([[64500, 'Example Net', 256 + 128 + 256, 3, 1]]);
  });

  it('counts every IPv4 address announced, once per range (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 4096 }), fc.integer({ min: 1, max: 5 })), { maxLength: 30 }), async (ranges) => {
        const clipped = ranges.map(([first, size, asn]) => [first, Math.min(2 ** 32 - 1, first + size), asn] as const);
        const networks = new Networks();
        await ingestRouting(linesOfChunks(chunksOfText(clipped.map(([f, l, a]) => `${formatIpv4(f)},${formatIpv4(l)},${a},AS ${a}`).join('\n'))), 'p.csv', { add: () => undefined }, networks);
        const total = networks.rows().reduce((n, r) => n + (r[2] as number), 0);
        expect(total).toBe(clipped.reduce((n, [f, l]) => n + l - f + 1, 0));
      }),
      { numRuns: 50 },
    );
  });
});
