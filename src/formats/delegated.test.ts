import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv4, ipv4RangeToPrefixes } from '../ip/address.js';
import { readDelegated, type DelegatedEvent } from './delegated.js';
import { linesOf, linesOfText } from './lines.js';

/** The RIRs' real files, kept in each delegated source's fixtures. */
const real = (source: string, name: string) => new URL(`../sources/${source}-delegated/fixtures/${name}`, import.meta.url).pathname;
const SAMPLES = new URL('../../data-samples/', import.meta.url);

async function readAll(path: string): Promise<DelegatedEvent[]> {
  const events: DelegatedEvent[] = [];
  for await (const e of readDelegated(linesOf(path), path)) events.push(e);
  return events;
}

const records = (events: DelegatedEvent[]) => events.flatMap((e) => (e.kind === 'record' ? [e.record] : []));
const skips = (events: DelegatedEvent[]) => events.flatMap((e) => (e.kind === 'skip' ? [e.skip] : []));

describe('delegated statistics, real files', () => {
  it('reads the complete AFRINIC 2023 file: every record, counts equal to its summaries and header', async () => {
    const events = await readAll(real('afrinic', 'delegated-afrinic-extended-20230323'));
    const header = events.find((e) => e.kind === 'header');
    expect(header).toMatchObject({ header: { version: '2', registry: 'afrinic', serial: '20230323', records: 15019, startDate: '00000000', utcOffset: '00000' } });
    const all = records(events);
    expect(all).toHaveLength(15019);
    expect(skips(events)).toEqual([]);
    for (const s of events.filter((e) => e.kind === 'summary')) {
      if (s.kind === 'summary') expect(all.filter((r) => r.type === s.type)).toHaveLength(s.count);
    }
    // Free space: ZZ country, no date, empty opaque id; 164.146.0.0 + 393216 is /15 + /14.
    expect(all.find((r) => r.status === 'available')).toMatchObject({ country: 'ZZ', date: '', opaqueId: '' });
    const odd = all.find((r) => r.type === 'ipv4' && formatIpv4(r.first) === '164.146.0.0');
    expect(odd).toMatchObject({ count: 393216 });
    if (odd?.type === 'ipv4') expect(ipv4RangeToPrefixes(odd.first, odd.last).map((p) => p.length)).toEqual([15, 14]);
  });

  it('reads LACNIC (7-field free-space lines, empty country), ARIN (epoch-ms serial, 00000000 dates), RIPE and APNIC (non-extended, banner)', async () => {
    const lacnic = await readAll(real('lacnic', 'delegated-lacnic-extended-20230323.excerpt'));
    expect(skips(lacnic)).toEqual([]);
    expect(records(lacnic).filter((r) => r.status === 'available').every((r) => r.country === '')).toBe(true);
    expect(records(lacnic).length).toBeGreaterThan(200);

    const arin = await readAll(real('arin', 'delegated-arin-extended-20260413.excerpt'));
    expect(arin[0]).toMatchObject({ kind: 'header', header: { version: '2.3', serial: '1776085240082' } });
    expect(records(arin).find((r) => r.type === 'asn' && r.first === 3)).toMatchObject({ date: '00000000', opaqueId: 'd98c567cda2db06e693f2b574eafe848' });

    const ripe = await readAll(real('ripencc', 'delegated-ripencc-20140630.excerpt'));
    expect(ripe[0]).toMatchObject({ kind: 'header', header: { serial: '1404165599' } });
    expect(records(ripe).find((r) => r.type === 'ipv6')).toMatchObject({ prefixLength: 32, opaqueId: '' });
    const apnic = await readAll(real('apnic', 'delegated-apnic-20140214.excerpt'));
    expect(skips(apnic)).toEqual([]);
    expect(apnic.some((e) => e.kind === 'header')).toBe(false); // this copy lost its version line
    expect(records(apnic).length).toBeGreaterThan(100);
  });
});

describe('delegated statistics, the generated world', () => {
  it('skips exactly the malformed lines the truth lists, and reads every other record', async () => {
    const truth = (await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8')).split('\n').filter((l) => l.includes('-delegated,'));
    for (const rir of ['ripencc', 'arin', 'apnic', 'lacnic', 'afrinic']) {
      const events = await readAll(new URL(`${rir}-delegated/delegated-${rir}-extended-latest`, SAMPLES).pathname);
      const expected = truth.filter((l) => l.startsWith(`${rir}-delegated,`)).map((l) => Number(l.split(',')[2]));
      expect(skips(events).map((s) => s.line)).toEqual(expected);
      const header = events.find((e) => e.kind === 'header');
      expect(records(events)).toHaveLength(header?.kind === 'header' ? header.header.records : -1);
    }
  });
});

describe('delegated statistics, bad input', () => {
  const read = async (text: string) => {
    const events: DelegatedEvent[] = [];
    for await (const e of readDelegated(linesOfText(text), 'test-file')) events.push(e);
    return events;
  };

  it('fails a file with an unknown version, naming the file, line and value', async () => {
    await expect(read('3|ripencc|20260101|0|19830705|20260101|+0100\n')).rejects.toThrow(
      'test-file line 1: unknown delegated statistics version line "3|ripencc|20260101|0|19830705|20260101|+0100" (expected version 2 or 2.3)',
    );
    await expect(read('# only comments\n')).rejects.toThrow('test-file has no version line and no records');
    await expect(read('<html>not found</html>\n')).rejects.toThrow('test-file line 1: unknown delegated statistics version line "<html>not found</html>"');
  });

  it('skips bad records with the reason, field and value', async () => {
    const events = await read(
      [
        '2|ripencc|1|5|19830705|20260101|+0100',
        'ripencc|NL|ipv4|999.12.0.0|256|20200101|allocated|x',
        'ripencc|DE|ipv4|10.0.0.0|many|20200101|allocated|x',
        'ripencc|FR|ipv9|1.2.3.0|256|20200101|allocated|x',
        'ripencc|GB|ipv4|1.2.3.0',
        'ripencc|GB|ipv6|2001:db8::|129|20200101|allocated|x',
        'ripencc|GB|ipv4|255.255.255.0|512|20200101|allocated|x',
      ].join('\n'),
    );
    expect(skips(events)).toEqual([
      { line: 2, reason: 'bad IPv4 address', field: 'start', value: '999.12.0.0' },
      { line: 3, reason: 'bad value', field: 'value', value: 'many' },
      { line: 4, reason: 'unknown type', field: 'type', value: 'ipv9' },
      { line: 5, reason: 'too few fields', field: 'record', value: '4 fields' },
      { line: 6, reason: 'IPv6 prefix longer than 128', field: 'value', value: '129' },
      { line: 7, reason: 'IPv4 count out of range', field: 'value', value: '512' },
    ]);
  });

  it('converts every IPv4 count into prefixes covering exactly that many addresses (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(2 ** 32 - 1), fc.integer({ min: 1, max: 1 << 24 }), async (start, count) => {
        fc.pre(start + count <= 2 ** 32);
        const events = await read(`2|ripencc|1|1|0|0|+0000\nripencc|NL|ipv4|${formatIpv4(start)}|${count}|20200101|allocated|x`);
        const [record] = records(events);
        expect(record?.type).toBe('ipv4');
        if (record?.type !== 'ipv4') return;
        const covered = ipv4RangeToPrefixes(record.first, record.last).reduce((n, p) => n + 2 ** (32 - p.length), 0);
        expect(covered).toBe(count);
      }),
      { numRuns: 200 },
    );
  });
});
