import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv4, type AddressRange } from '../ip/address.js';
import { parseInet6numKey, parseInetnumKey } from './inetnum-key.js';
import { chunksOf, chunksOfText, type TextChunks } from './lines.js';
import { firstValue, readRpsl, type RpslEvent, type RpslSelection } from './rpsl.js';
import { dateOrNull, inetnumRow } from '../ingest/ip-allocation-rows.js';
import { INETNUMS } from '../../schemas/ip-allocation-tables.js';

const REAL = new URL('./fixtures/rpsl/', import.meta.url);
const SAMPLES = new URL('../../data-samples/', import.meta.url);

const SELECTION: RpslSelection = {
  inetnum: ['netname', 'descr', 'country', 'org', 'status', 'created', 'last-modified', 'source', 'admin-c', 'address'],
  inet6num: ['netname', 'descr', 'country', 'org', 'status', 'assignment-size', 'created', 'last-modified', 'source'],
  organisation: ['org-name', 'org-type', 'country', 'address', 'source'],
  'aut-num': ['as-name', 'descr', 'org', 'status', 'source'],
  route: ['descr', 'origin', 'source'],
};

async function readAll(lines: TextChunks, selection = SELECTION): Promise<RpslEvent[]> {
  const events: RpslEvent[] = [];
  for await (const e of readRpsl(lines, selection)) events.push(e);
  return events;
}
const objects = (events: RpslEvent[]) => events.flatMap((e) => (e.kind === 'object' ? [e.object] : []));
const real = (name: string) => chunksOf(new URL(name, REAL).pathname, 'latin1');

describe('RPSL, real objects', () => {
  it('reads a RIPE dump object (dummified) and an AFRINIC one, keeping no contact attribute', async () => {
    const [ripe, afrinic] = objects(await readAll(real('dump-style-inetnum-ripe-afrinic.txt')));
    expect(ripe).toMatchObject({ objectClass: 'inetnum', key: '194.206.161.47 - 194.206.161.47', line: 1 });
    expect(ripe!.attributes.get('descr')).toEqual(['RPN Holding', 'ZI nord BP 7132', '01007', 'Bourg en Bresse']);
    expect(firstValue(ripe!, 'created')).toBe('1970-01-01T00:00:00Z');
    // …the dump's placeholder for a withheld date, which no table stores as a date.
    const row = inetnumRow(ripe!, parseInetnumKey(ripe!.key) as AddressRange);
    expect(row[INETNUMS.columns.findIndex((c) => c.name === 'created')]).toBeNull();
    expect(dateOrNull('2019-03-04T12:00:00Z')).toBe('2019-03-04T12:00:00Z');
    expect(ripe!.attributes.has('admin-c')).toBe(false);
    expect(ripe!.attributes.has('remarks')).toBe(false);
    expect(afrinic).toMatchObject({ key: '105.237.168.192 - 105.237.168.255', line: 23 });
    expect(firstValue(afrinic!, 'source')).toBe('AFRINIC');
    const range = parseInetnumKey(ripe!.key);
    expect(range).toMatchObject({ family: 4 });
    if ('first' in range && range.family === 4) expect(formatIpv4(range.first)).toBe('194.206.161.47');
  });

  it('joins continuation lines, skips % comments, and reads unpadded attributes and lower-case countries', async () => {
    const [route] = objects(await readAll(real('arin-irr-route.txt')));
    expect(firstValue(route!, 'descr')).toBe('209 W. Jackson Blvd.\nSuite 200\nChicago IL 60606\nUnited States');
    const [apnic] = objects(await readAll(real('apnic-whois-inetnum.txt')));
    expect(apnic).toMatchObject({ key: '39.96.0.0 - 39.108.255.255', line: 8 });
    expect(firstValue(apnic!, 'status')).toBe('ALLOCATED PORTABLE');
    const [google] = objects(await readAll(real('ripe-whois-inet6num-google.txt')));
    expect(firstValue(google!, 'assignment-size')).toBe('48');
    expect(firstValue(google!, 'country')).toBe('ie');
    expect(parseInet6numKey(google!.key)).toMatchObject({ family: 6 });
  });

  it('drops role and person objects unread, strips end-of-line comments, and splits at a blank line inside an object', async () => {
    const ovh = objects(await readAll(real('ripe-whois-inetnum-organisation-ovh.txt')));
    expect(ovh.map((o) => o.objectClass)).toEqual(['inetnum', 'organisation', 'route']);
    const barefruit = objects(await readAll(real('ripe-whois-2008-continuation-lines-barefruit.txt')));
    expect(barefruit.map((o) => o.objectClass)).toEqual(['inetnum', 'organisation']);
    expect(firstValue(barefruit[0]!, 'source')).toBe('');
    expect(firstValue(barefruit[1]!, 'source')).toBe('RIPE');
    expect(barefruit[1]!.attributes.has('address')).toBe(false);
  });
});

describe('RPSL, bad input', () => {
  const read = (text: string) => readAll(chunksOfText(text));

  it('skips an object with a line that is not an attribute, and one with an empty key, naming the line only', async () => {
    const events = await read(
      'inetnum:        192.0.2.0 - 192.0.2.255\nnetname         MISSING-COLON\nsource:         RIPE\n\ninetnum:\nnetname:        NO-KEY\n\ninetnum:        198.51.100.0 - 198.51.100.255\nnetname:        GOOD\n',
    );
    expect(events).toEqual([
      { kind: 'skip', skip: { line: 1, objectClass: 'inetnum', reason: 'line 2 is neither an attribute nor a continuation' } },
      { kind: 'skip', skip: { line: 5, objectClass: 'inetnum', reason: 'empty primary key' } },
      expect.objectContaining({ kind: 'object' }),
    ]);
  });

  it('rejects keys that are not ranges, with the reason', () => {
    expect(parseInetnumKey('10.0.0.9 - 10.0.0.1')).toEqual({ reason: 'end before start' });
    expect(parseInetnumKey('193.0.300.0 - 193.0.300.255')).toEqual({ reason: 'not an IPv4 range' });
    expect(parseInetnumKey('200.1.2.0/24')).toEqual({ family: 4, first: 3355509248, last: 3355509503 });
    expect(parseInetnumKey('200.1.2.1/24')).toEqual({ reason: 'start not aligned to its prefix' });
    expect(parseInet6numKey('2a00:1450:4000::/129')).toEqual({ reason: 'prefix longer than 128' });
    expect(parseInet6numKey('2a00:1450:4000::1/37')).toEqual({ reason: 'start not aligned to its prefix' });
  });
});

describe('RPSL, chunking', () => {
  const TEXT = [
    '% a comment',
    'inetnum:        192.0.2.0 - 192.0.2.255',
    'NetName:        UPPER-CASE-NAME # a comment',
    'descr:          first line',
    '+               continued with plus',
    '\tcontinued with a tab',
    'admin-c:        XX1-RIPE',
    'status:         ASSIGNED PA',
    '',
    'person:         Somebody Private',
    'address:        Street 1',
    '',
    'organisation:   ORG-EX1-RIPE',
    'org-name:       Exämple Â',
    'source:         RIPE',
    '   ',
    'aut-num:        AS64500',
    'as-name:        EXAMPLE-AS',
  ];

  it('reads the same events however the text is cut into chunks of whole lines, with LF or CRLF (property)', async () => {
    const whole = await readAll(chunksOfText(`${TEXT.join('\n')}\n`));
    expect(objects(whole).map((o) => o.objectClass)).toEqual(['inetnum', 'organisation', 'aut-num']);
    expect(firstValue(objects(whole)[0]!, 'netname')).toBe('UPPER-CASE-NAME');
    expect(firstValue(objects(whole)[0]!, 'descr')).toBe('first line\ncontinued with plus\ncontinued with a tab');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: TEXT.length - 1 }), { maxLength: 6 }), fc.boolean(), fc.boolean(), async (cuts, crlf, finalBreak) => {
        const lines = crlf ? TEXT.map((l) => `${l}\r`) : TEXT;
        const at = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks = [0, ...at].map((from, i) => lines.slice(from, at[i] ?? lines.length).join('\n') + '\n');
        if (!finalBreak) chunks[chunks.length - 1] = (chunks.at(-1) as string).slice(0, -1);
        async function* pieces() {
          yield* chunks;
        }
        expect(await readAll(pieces())).toEqual(whole);
      }),
    );
  });
});

describe('RPSL, the generated world', () => {
  it('reports every malformed object the truth lists and loses no good one', async () => {
    const truth = (await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8')).split('\n').filter((l) => l.includes('-rpsl,'));
    const listed = gunzipSync(await readFile(new URL('truth/whois-objects.csv.gz', SAMPLES))).toString('utf8').split('\n');
    for (const prefix of ['ripe', 'apnic', 'afrinic', 'lacnic']) {
      for (const cls of ['inetnum', 'inet6num', 'organisation', 'aut-num']) {
        const name = `${prefix}.db.${cls}.gz`;
        const events = await readAll(chunksOf(new URL(`${prefix}-rpsl/${name}`, SAMPLES).pathname, 'latin1'));
        const bad: number[] = [];
        let good = 0;
        for (const e of events) {
          if (e.kind === 'skip') bad.push(e.skip.line);
          else if (e.object.objectClass !== cls) continue;
          else if (cls === 'inetnum' || cls === 'inet6num') {
            const range = cls === 'inetnum' ? parseInetnumKey(e.object.key) : parseInet6numKey(e.object.key);
            if ('reason' in range) bad.push(e.object.line);
            else good++;
          } else good++;
        }
        const expected = truth.filter((l) => l.includes(`,${name},`)).map((l) => Number(l.split(',')[2]));
        expect(bad.sort((a, b) => a - b), name).toEqual(expected);
        expect(good, name).toBe(listed.filter((l) => l.includes(`,${name},`) && l.split(',')[3] === cls).length);
      }
    }
  });

  it('never yields a person or role object, nor their names', async () => {
    const persons = gunzipSync(await readFile(new URL('truth/whois-objects.csv.gz', SAMPLES))).toString('utf8').split('\n').filter((l) => l.split(',')[3] === 'person');
    expect(persons.length).toBeGreaterThan(0);
    const events = await readAll(chunksOf(new URL('afrinic-rpsl/afrinic.db.inetnum.gz', SAMPLES).pathname, 'latin1'));
    const text = JSON.stringify(objects(events).map((o) => [...o.attributes]));
    for (const p of persons) expect(text).not.toContain(p.split(',')[10]);
    expect(objects(events).some((o) => o.objectClass === 'person' || o.objectClass === 'role')).toBe(false);
  });
});
