import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../../test/support/duckdb.js';
import { buildRegister, malformedTruth, naturalPersonsTruth, rowsOf } from '../../../test/support/register-build.js';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { nameKey } from '../../names/name-key.js';
import { EE_FILE, adapter as eeRik } from './register.js';

const SAMPLES = new URL('../../../data-samples/', import.meta.url);
const WORLD = new URL(`ee-rik/${EE_FILE}`, SAMPLES).pathname;
const REAL = new URL('./fixtures/ettevotja_rekvisiidid__lihtandmed.sample.csv', import.meta.url).pathname;
const tempDir = useTempDir('ee-rik');
let reader: DuckDBConnection;
beforeAll(async () => {
  reader = await openDuckDb();
});
afterAll(() => reader.closeSync());

const build = (csv: string, name: string) => buildRegister(eeRik, { [EE_FILE]: csv }, join(tempDir(), name));

describe('Estonian e-Business Register', () => {
  it('reads the real row: byte-order mark, ";" separator, dd.mm.yyyy, town and county from the EHAK text', async () => {
    const built = await build(REAL, 'real');
    expect(built).toMatchObject({ rowsIn: 1, rowsOut: 1, dropped: {}, malformed: { count: 0 } });
    const [row] = await rowsOf(reader, built.parts);
    expect(row).toMatchObject({
      register_id: '12652512',
      name: '001 Kinnisvara OÜ',
      country: 'EE',
      legal_form: 'Osaühing',
      legal_form_elf: 'JC0Y',
      status: 'active',
      status_published: 'Registrisse kantud',
      street: 'Õismäe tee 78-9',
      postcode: '13513',
      city: 'Tallinn',
      region: 'Harju maakond',
      industry_codes: [],
    });
    expect((row!['incorporated'] as Date).toISOString().slice(0, 10)).toBe('2014-04-25');
    expect({ key: row!['name_key'], legalForm: row!['name_legal_form'] }).toEqual(nameKey('001 Kinnisvara OÜ', 'EE'));
  });

  it('loads the generated world: sole traders dropped, liquidation and bankruptcy inactive, broken lines counted', async () => {
    const built = await build(WORLD, 'world');
    const truth = malformedTruth(await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8'), 'ee-rik');
    expect(built.malformed.count).toBe(truth.length);
    expect(built.malformed.examples.map((e) => e.line).sort()).toEqual(truth.map((m) => m.line).sort());
    const [counted] = await queryRows(
      reader,
      `SELECT count(*) AS n, count(*) FILTER (ettevotja_oiguslik_vorm = 'Füüsilisest isikust ettevõtja') AS fie, count(*) FILTER (ettevotja_oiguslik_vorm <> 'Füüsilisest isikust ettevõtja' AND ettevotja_staatus IN ('L', 'N')) AS inactive FROM read_csv('${WORLD}', delim=';', all_varchar=true, ignore_errors=true)`,
    );
    expect(built.rowsIn).toBe(counted!['n']);
    expect(built.dropped).toEqual({ 'natural person (füüsilisest isikust ettevõtja, FIE)': counted!['fie'] });
    const rows = await rowsOf(reader, built.parts);
    expect(rows.filter((r) => r['status'] === 'inactive')).toHaveLength(counted!['inactive'] as number);
    const people = (await naturalPersonsTruth('ee-rik')).map((p) => p.id);
    const kept = new Set(rows.map((r) => r['register_id']));
    expect(people.length).toBeGreaterThan(0);
    expect(people.filter((id) => kept.has(id))).toEqual([]);
  });

  it('fails naming a renamed column and reports an added one', async () => {
    const csv = await readFile(REAL, 'utf8');
    const renamed = join(tempDir(), 'renamed.csv');
    await writeFile(renamed, csv.replace(';ariregistri_kood;', ';registrikood;'));
    await expect(build(renamed, 'renamed')).rejects.toThrow(`${EE_FILE}: column "ariregistri_kood" missing from its header — the register changed its format`);
    const [header, ...rest] = csv.split('\n');
    const added = join(tempDir(), 'added.csv');
    await writeFile(added, [`${header!.trimEnd()};uus_veerg`, ...rest.map((l) => (l.trim() === '' ? l : `${l.trimEnd()};x`))].join('\n'));
    const built = await build(added, 'added');
    expect(built.added).toEqual({ [EE_FILE]: ['uus_veerg'] });
    expect(built.rowsOut).toBe(1);
  });
});
