import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../../test/support/duckdb.js';
import { buildRegister, malformedTruth, naturalPersonsTruth, rowsOf } from '../../../test/support/register-build.js';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { nameKey } from '../../names/name-key.js';
import { LV_FILE, adapter as lvUr } from './register.js';

const SAMPLES = new URL('../../../data-samples/', import.meta.url);
const WORLD = new URL(`lv-ur/${LV_FILE}`, SAMPLES).pathname;
const REAL = new URL('./fixtures/register.sample.csv', import.meta.url).pathname;
const tempDir = useTempDir('lv-ur');
let reader: DuckDBConnection;
beforeAll(async () => {
  reader = await openDuckDb();
});
afterAll(() => reader.closeSync());

const build = (csv: string, name: string) => buildRegister(lvUr, { [LV_FILE]: csv }, join(tempDir(), name));

describe('Latvian Register of Enterprises', () => {
  it('reads the real rows: ";" separator, quoted names, the sole trader dropped, the company kept, keyed by its name in quotes', async () => {
    const built = await build(REAL, 'real');
    expect(built).toMatchObject({ rowsIn: 2, rowsOut: 1, dropped: { 'natural person (individuālais komersants, IK)': 1 }, malformed: { count: 0 } });
    const [row] = await rowsOf(reader, built.parts);
    expect(row).toMatchObject({
      register_id: '40103550818',
      name: 'SIA "Psihologs"',
      other_names: [],
      country: 'LV',
      legal_form: 'SIA',
      legal_form_text: 'Sabiedrība ar ierobežotu atbildību',
      legal_form_elf: null,
      status: 'active',
      status_published: null,
      postcode: 'LV-4201',
      street: null,
      city: 'Valmiera',
      industry_codes: [],
    });
    expect((row!['incorporated'] as Date).toISOString().slice(0, 10)).toBe('2012-05-31');
    // The legal form leads the registered name: the key is the name in quotes.
    expect({ key: row!['name_key'], legalForm: row!['name_legal_form'] }).toEqual(nameKey('SIA "Psihologs"', 'LV'));
    expect(nameKey('SIA "Psihologs"', 'LV')).toEqual({ key: 'psihologs', legalForm: 'sia' });
  });

  it('refuses a registration number that fails its check as a malformed line, and reads an address with its street, parish and county', async () => {
    const csv = await readFile(REAL, 'utf8');
    const [header, company] = csv.split('\n') as [string, string];
    const bad = company.replace('40103550818', '40103550819');
    const addressed = company.replace('40103550818', '40003032065').replace('"Valmiera"', '"Pils iela 14, Dundaga, Dundagas pag., Dundagas nov., LV-3270"').replace(';2012-05-31;;;', ';2012-05-31;2020-01-02;L;');
    const path = join(tempDir(), 'mixed.csv');
    await writeFile(path, `${header}\n${bad}\n${addressed}\n`);
    const built = await build(path, 'mixed');
    expect(built.malformed.count).toBe(1);
    const [row] = await rowsOf(reader, built.parts);
    expect(row).toMatchObject({ register_id: '40003032065', street: 'Pils iela 14', city: 'Dundaga', region: 'Dundagas nov.', status: 'dissolved', status_published: 'L' });
  });

  it('loads the generated world: natural persons dropped, broken lines counted', async () => {
    const built = await build(WORLD, 'world');
    const truth = malformedTruth(await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8'), 'lv-ur');
    expect(built.malformed.count).toBe(truth.length);
    expect(built.malformed.examples.map((e) => e.line).sort()).toEqual(truth.map((m) => m.line).sort());
    const [counted] = await queryRows(reader, `SELECT count(*) AS n, count(*) FILTER (type IN ('IK', 'IND', 'ZEM', 'ZVJ')) AS people FROM read_csv('${WORLD}', delim=';', all_varchar=true, ignore_errors=true)`);
    expect(built.rowsIn).toBe(counted!['n']);
    expect(Object.values(built.dropped).reduce((a, b) => a + b, 0)).toBe(counted!['people']);
    const people = (await naturalPersonsTruth('lv-ur')).map((p) => p.id);
    const kept = new Set((await rowsOf(reader, built.parts)).map((r) => r['register_id']));
    expect(people.length).toBeGreaterThan(0);
    expect(people.filter((id) => kept.has(id))).toEqual([]);
  });

  it('fails naming a renamed column and reports an added one', async () => {
    const csv = await readFile(REAL, 'utf8');
    const renamed = join(tempDir(), 'renamed.csv');
    await writeFile(renamed, csv.replace('regcode;', 'reg_code;'));
    await expect(build(renamed, 'renamed')).rejects.toThrow(`${LV_FILE}: column "regcode" missing from its header — the register changed its format`);
  });
});
