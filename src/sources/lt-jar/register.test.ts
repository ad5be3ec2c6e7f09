import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../../test/support/duckdb.js';
import { buildRegister, malformedTruth, naturalPersonsTruth, rowsOf } from '../../../test/support/register-build.js';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { nameKey } from '../../names/name-key.js';
import { LT_FILE, adapter as ltJar } from './register.js';

const SAMPLES = new URL('../../../data-samples/', import.meta.url);
const WORLD = new URL(`lt-jar/${LT_FILE}`, SAMPLES).pathname;
const CONSTRUCTED = new URL('./fixtures/JAR_IREGISTRUOTI.constructed.csv', import.meta.url).pathname;
const tempDir = useTempDir('lt-jar');
let reader: DuckDBConnection;
beforeAll(async () => {
  reader = await openDuckDb();
});
afterAll(() => reader.closeSync());

const build = (csv: string, name: string) => buildRegister(ltJar, { [LT_FILE]: csv }, join(tempDir(), name));

describe('Lithuanian Register of Legal Entities', () => {
  it('reads the documented header: "|" separator, the individual enterprise dropped, status codes, the town first in the address', async () => {
    const built = await build(CONSTRUCTED, 'constructed');
    expect(built).toMatchObject({ rowsIn: 3, rowsOut: 2, dropped: { 'natural person (individuali įmonė, IĮ)': 1 }, malformed: { count: 0 } });
    const rows = await rowsOf(reader, built.parts);
    expect(rows.map((r) => [r['register_id'], r['name'], r['legal_form'], r['legal_form_text'], r['status'], r['city'], r['street']])).toEqual([
      ['300000001', 'UAB "Pavyzdys"', '310', 'Uždaroji akcinė bendrovė', 'active', 'Vilnius', 'Gedimino pr. 1'],
      ['300000002', 'Akcinė bendrovė "Bandymas"', '320', 'Akcinė bendrovė', 'inactive', 'Kaunas', 'Laisvės al. 10'],
    ]);
    expect(nameKey('UAB "Pavyzdys"', 'LT')).toEqual({ key: 'pavyzdys', legalForm: 'uab' });
    expect({ key: rows[0]!['name_key'], legalForm: rows[0]!['name_legal_form'] }).toEqual(nameKey('UAB "Pavyzdys"', 'LT'));
  });

  it('loads the generated world: individual enterprises dropped, broken lines counted', async () => {
    const built = await build(WORLD, 'world');
    const truth = malformedTruth(await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8'), 'lt-jar');
    expect(built.malformed.count).toBe(truth.length);
    expect(built.malformed.examples.map((e) => e.line).sort()).toEqual(truth.map((m) => m.line).sort());
    const [counted] = await queryRows(reader, `SELECT count(*) AS n, count(*) FILTER (form_pavadinimas = 'Individuali įmonė') AS people FROM read_csv('${WORLD}', delim='|', all_varchar=true, ignore_errors=true)`);
    expect(built.rowsIn).toBe(counted!['n']);
    expect(built.dropped).toEqual({ 'natural person (individuali įmonė, IĮ)': counted!['people'] });
    const people = (await naturalPersonsTruth('lt-jar')).map((p) => p.id);
    const kept = new Set((await rowsOf(reader, built.parts)).map((r) => r['register_id']));
    expect(people.length).toBeGreaterThan(0);
    expect(people.filter((id) => kept.has(id))).toEqual([]);
  });

  it('fails naming a renamed column', async () => {
    const renamed = join(tempDir(), 'renamed.csv');
    await writeFile(renamed, (await readFile(CONSTRUCTED, 'utf8')).replace('ja_kodas|', 'kodas|'));
    await expect(build(renamed, 'renamed')).rejects.toThrow(`${LT_FILE}: column "ja_kodas" missing from its header — the register changed its format`);
  });
});
