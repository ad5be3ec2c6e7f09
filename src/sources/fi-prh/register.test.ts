import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../../test/support/duckdb.js';
import { buildRegister, canonicalId, malformedTruth, naturalPersonsTruth, rowsOf } from '../../../test/support/register-build.js';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { FI_FILE, adapter as prh } from './register.js';

const SAMPLES = new URL('../../../data-samples/', import.meta.url);
const WORLD = new URL(`fi-prh/${FI_FILE}`, SAMPLES).pathname;
const SAMPLE = new URL('./fixtures/all_companies.sample.json', import.meta.url).pathname;
const tempDir = useTempDir('fi-prh');
let reader: DuckDBConnection;
beforeAll(async () => {
  reader = await openDuckDb();
});
afterAll(() => reader.closeSync());

const build = (json: string, name: string) => buildRegister(prh, { [FI_FILE]: json }, join(tempDir(), name));

describe('Finnish Business Information System (PRH/YTJ)', () => {
  it('reads the v3 records: the name in force and the former one, the form with its Finnish text, TOL 2008 to NACE and TOL 2025 kept as it is, the street address in Finnish, the sole trader dropped', async () => {
    const built = await build(SAMPLE, 'sample');
    expect(built).toMatchObject({ rowsIn: 4, rowsOut: 3, dropped: { 'natural person (yksityinen elinkeinonharjoittaja, form 26)': 1 }, malformed: { count: 0 } });
    const rows = await rowsOf(reader, built.parts);
    expect(rows.map((r) => [r['register_id'], r['name'], r['other_names'], r['other_name_types'], r['legal_form'], r['legal_form_text'], r['status'], r['street'], r['postcode'], r['city'], r['industry_codes'], r['nace_codes'], r['website']])).toEqual([
      ['0987654-3', 'Vanha Kauppa Oy', [], [], '16', 'Osakeyhtiö', 'dissolved', null, null, null, [], [], null],
      ['2646674-9', 'Wolt Oy', ['Wolt Enterprises Oy'], ['previous'], '16', 'Osakeyhtiö', 'active', 'Pohjoinen Rautatiekatu 21', '00100', 'HELSINKI', ['96999'], [], null],
      ['7654321-2', 'Esimerkki Verkot Oy', ['EsiNet'], ['trading'], '16', 'Osakeyhtiö', 'active', 'Keilaranta 5 B', '02150', 'ESPOO', ['61100'], ['61.10'], 'www.esimerkki.fi'],
    ]);
    // Wolt's line was coded again on 2026-01-01: 96999 is TOL 2025 (NACE Rev. 2.1's 96.99), not mapped to a Rev. 2 class.
    expect(rows.map((r) => r['industry_scheme'])).toEqual([null, 'TOL 2025', 'TOL 2008']);
    expect((rows[0]!['dissolved'] as Date).toISOString().slice(0, 10)).toBe('2015-12-31');
  });

  it('lets nothing of a sole trader through: a marker in every field of its record reaches no output, nor its ID', async () => {
    const records = JSON.parse(await readFile(SAMPLE, 'utf8')) as Record<string, unknown>[];
    const trader = records.find((r) => (r['businessId'] as { value: string }).value === '1234567-1')!;
    trader['names'] = [{ name: 'PERSONFIELD-NAME', type: '1' }, { name: 'PERSONFIELD-OLD', type: '1', endDate: '2020-01-01' }, { name: 'PERSONFIELD-AUX', type: '3' }];
    trader['addresses'] = [{ type: 1, street: 'PERSONFIELD-STREET', buildingNumber: 'PERSONFIELD-NO', postCode: 'PERSONFIELD-PC', co: 'PERSONFIELD-CO', postOffices: [{ city: 'PERSONFIELD-TOWN', languageCode: '1' }] }];
    trader['website'] = { url: 'PERSONFIELD-WEB' };
    const marked = join(tempDir(), 'marked.json');
    await writeFile(marked, JSON.stringify(records));
    const built = await build(marked, 'marked');
    expect(built.rowsOut).toBe(3);
    const said = `${JSON.stringify(await rowsOf(reader, built.parts))}${JSON.stringify(built)}`;
    expect(said).not.toContain('PERSONFIELD');
    expect(said).not.toContain('1234567');
  });

  it('refuses a business ID whose check digit is wrong as a malformed record, naming the ID', async () => {
    const bad = join(tempDir(), 'bad.json');
    await writeFile(bad, (await readFile(SAMPLE, 'utf8')).replace('"7654321-2"', '"7654321-3"'));
    const built = await build(bad, 'bad');
    expect(built.malformed).toMatchObject({ count: 1, examples: [{ file: FI_FILE, column: 'businessId', value: '7654321-3' }] });
    expect(built.rowsOut).toBe(2);
  });

  it('fails a file cut short — inside a record, or after one — before anything is read, naming the file', async () => {
    const whole = await readFile(SAMPLE, 'utf8');
    for (const [name, cut] of [['inside', whole.slice(0, whole.length - 200)], ['between', whole.slice(0, whole.lastIndexOf('},') + 2)]] as const) {
      const path = join(tempDir(), `${name}.json`);
      await writeFile(path, cut);
      await expect(build(path, name)).rejects.toMatchObject({ code: 'FILE_TRUNCATED', message: expect.stringContaining(`${FI_FILE}: the JSON array is not closed`) });
    }
  });

  it('fails a file with a record that does not parse, naming the file and the record, not its contents', async () => {
    const records = JSON.parse(await readFile(SAMPLE, 'utf8')) as unknown[];
    expect(records.length).toBeGreaterThanOrEqual(3);
    // The third record broken by a doubled comma after its first field; the others as they were.
    const third = JSON.stringify(records[2]).replace(/^\{("[^"]+":)/, '{"PERSONFIELD":1,,$1');
    const text = `[\n${[JSON.stringify(records[0]), JSON.stringify(records[1]), third, ...records.slice(3).map((r) => JSON.stringify(r))].join(',\n')}\n]\n`;
    const path = join(tempDir(), 'broken.json');
    await writeFile(path, text);
    const err = await build(path, 'broken').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FILE_MALFORMED', context: { source: 'fi-prh', file: FI_FILE, record: 3 }, message: expect.stringContaining(`fi-prh: ${FI_FILE}: record 3 of its JSON array does not parse`) });
    expect((err as Error).message).not.toContain('PERSONFIELD');
  });

  it('writes WHOIS numbers in the register\'s form: with the hyphen, an old six-digit ID padded, a wrong check digit refused', async () => {
    const canonical = (value: string) => canonicalId(reader, 'fi-prh', value);
    expect(await canonical('2646674-9')).toBe('2646674-9');
    expect(await canonical('FI26466749')).toBe('2646674-9');
    expect(await canonical('112038-9')).toBe('0112038-9');
    expect(await canonical('2646674-8')).toBeNull();
  });

  it('loads the generated world: sole traders dropped, broken IDs counted', async () => {
    const built = await build(WORLD, 'world');
    const truth = malformedTruth(await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8'), 'fi-prh');
    expect(truth.length).toBeGreaterThan(0);
    expect(built.malformed.count).toBe(truth.length);
    const people = (await naturalPersonsTruth('fi-prh')).map((p) => p.id);
    const kept = new Set((await rowsOf(reader, built.parts)).map((r) => r['register_id']));
    expect(people.length).toBeGreaterThan(0);
    expect(people.filter((id) => kept.has(id))).toEqual([]);
  });
});
