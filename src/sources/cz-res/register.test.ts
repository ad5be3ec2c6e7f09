import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../../test/support/duckdb.js';
import { buildRegister, malformedTruth, naturalPersonsTruth, rowsOf } from '../../../test/support/register-build.js';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { CZ_FILE, adapter as czRes } from './register.js';

const SAMPLES = new URL('../../../data-samples/', import.meta.url);
const WORLD = new URL(`cz-res/${CZ_FILE}`, SAMPLES).pathname;
const CONSTRUCTED = new URL('./fixtures/res_data.constructed.csv', import.meta.url).pathname;
const tempDir = useTempDir('cz-res');
let reader: DuckDBConnection;
beforeAll(async () => {
  reader = await openDuckDb();
});
afterAll(() => reader.closeSync());

const build = (csv: string, name: string) => buildRegister(czRes, { [CZ_FILE]: csv }, join(tempDir(), name));

describe('Czech Business Register (RES)', () => {
  it('reads the documented file: CRLF, quoted names, natural persons dropped (living and dissolved), CZ-NACE mapped to its class, the text address', async () => {
    const built = await build(CONSTRUCTED, 'constructed');
    expect(built).toMatchObject({ rowsIn: 4, rowsOut: 2, dropped: { 'natural person (FORMA 10x, or dissolved with its number only)': 2 }, malformed: { count: 0 } });
    const rows = await rowsOf(reader, built.parts);
    expect(rows.map((r) => [r['register_id'], r['name'], r['legal_form'], r['status'], r['street'], r['postcode'], r['city'], r['industry_codes'], r['nace_codes']])).toEqual([
      ['00000027', 'Příklad Software s.r.o.', '112', 'active', 'Vodičkova 681/14', '11000', 'Praha', ['62010'], ['62.01']],
      ['00000051', 'Vzor a.s.', '121', 'dissolved', 'Husova 5', '60200', 'Brno', [], []],
    ]);
    expect((rows[1]!['dissolved'] as Date).toISOString().slice(0, 10)).toBe('2020-06-30');
  });

  it('refuses an IČO whose check digit is wrong as a malformed record', async () => {
    const csv = await readFile(CONSTRUCTED, 'utf8');
    const bad = join(tempDir(), 'bad.csv');
    await writeFile(bad, csv.replace('\r\n00000027,', '\r\n00000028,'));
    const built = await build(bad, 'bad');
    expect(built.malformed.count).toBe(1);
    expect(built.rowsOut).toBe(1);
  });

  it('loads the generated world: natural persons dropped, broken lines counted', async () => {
    const built = await build(WORLD, 'world');
    const truth = malformedTruth(await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8'), 'cz-res');
    expect(built.malformed.count).toBe(truth.length);
    const [counted] = await queryRows(reader, `SELECT count(*) AS n, count(*) FILTER (FORMA LIKE '10_' OR (coalesce(FORMA, '') = '' AND coalesce(FIRMA, '') = '')) AS people FROM read_csv('${WORLD}', delim=',', all_varchar=true, ignore_errors=true)`);
    expect(built.rowsIn).toBe(counted!['n']);
    expect(Object.values(built.dropped).reduce((a, b) => a + b, 0)).toBe(counted!['people']);
    const people = (await naturalPersonsTruth('cz-res')).map((p) => p.id);
    const kept = new Set((await rowsOf(reader, built.parts)).map((r) => r['register_id']));
    expect(people.length).toBeGreaterThan(0);
    expect(people.filter((id) => kept.has(id))).toEqual([]);
  });
});
