import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../../test/support/duckdb.js';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { nameKey } from '../../names/name-key.js';
import { buildRegister, malformedTruth, rowsOf as rowsIn } from '../../../test/support/register-build.js';
import { adapter as companiesHouse } from './register.js';

const SAMPLES = new URL('../../../data-samples/', import.meta.url);
const REAL = new URL('./fixtures/', import.meta.url);
const tempDir = useTempDir('companies-house');
let reader: DuckDBConnection;
beforeAll(async () => {
  reader = await openDuckDb();
});
afterAll(() => reader.closeSync());

/** Builds the partition from one CSV (staged under the name the source lands it as). */
const build = (csv: string, name: string) => buildRegister(companiesHouse, { 'BasicCompanyDataAsOneFile.csv': csv }, join(tempDir(), name));
const rowsOf = (parts: { path: string }[]) => rowsIn(reader, parts);

describe('Companies House', () => {
  it('reads the real 2021 excerpt by header name (leading blanks in names), to normalized rows', async () => {
    const built = await build(new URL('BasicCompanyDataAsOneFile-2021-07-01.excerpt.csv', REAL).pathname, 'real-2021');
    expect(built).toMatchObject({ rowsIn: 3, rowsOut: 3, dropped: {}, malformed: { count: 0 } });
    const rows = await rowsOf(built.parts);
    expect(rows.map((r) => r['register_id'])).toEqual(['08209948', '11399177', '12778855']);
    const bang = rows.find((r) => r['register_id'] === '12778855')!;
    expect(bang).toMatchObject({
      name: '! LIMITED',
      country: 'GB',
      legal_form: 'Private Limited Company',
      legal_form_elf: 'H0PO',
      status: 'active',
      street: 'UNIT 3 NEWTON BUSINESS CENTRE, NEWTON CHAMBERS ROAD',
      city: 'SHEFFIELD',
      postcode: 'S35 2PH',
      industry_scheme: 'SIC2007',
      industry_codes: ['78300'],
      nace_codes: ['78.30'],
      other_names: [],
    });
    expect((bang['incorporated'] as Date).toISOString().slice(0, 10)).toBe('2020-07-29');
    for (const r of rows) expect({ key: r['name_key'], legalForm: r['name_legal_form'] }).toEqual(nameKey(r['name'] as string, 'GB'));
  });

  it('keeps previous names from the real 2022 row', async () => {
    const built = await build(new URL('BasicCompanyData-2022.single-row-with-previous-name.csv', REAL).pathname, 'real-2022');
    const [row] = await rowsOf(built.parts);
    expect(row).toMatchObject({ register_id: '07687209', other_names: ['!OBAC FITTINGS LIMITED'], other_name_types: ['previous'], name_key: 'obac uk', name_legal_form: 'limited' });
  });

  it('loads the generated world: every good row, the malformed line counted with its line number', async () => {
    const csv = new URL('gb-companies-house/BasicCompanyDataAsOneFile-2026-11-01.csv', SAMPLES).pathname;
    const phases: [string, number][] = [];
    const built = await buildRegister(companiesHouse, { 'BasicCompanyDataAsOneFile.csv': csv }, join(tempDir(), 'world'), { progress: (phase, percent) => phases.push([phase, percent]) });
    // Each long query ends by reporting itself done; rows are counted from what the write pass wrote (no pass of their own).
    expect(phases.filter(([, p]) => p === 100).map(([phase]) => phase)).toEqual(['writing', 'sorting']);
    const lines = (await readFile(csv, 'utf8')).split('\n').filter((l) => l !== '').length;
    const malformed = malformedTruth(await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8'), 'gb-companies-house');
    expect(built.malformed.count).toBe(malformed.length);
    expect(built.malformed.examples.map((e) => e.line).sort()).toEqual(malformed.map((m) => m.line).sort());
    expect(built.rowsIn).toBe(lines - 1 - malformed.length);
    expect(built.rowsOut).toBe(built.rowsIn);
    const [counts] = await queryRows(reader, `SELECT count(*) AS n, count(DISTINCT register_id) AS ids, count(*) FILTER (name_key IS NULL OR name_key = '') AS unkeyed FROM read_parquet('${built.parts[0]!.path}')`);
    expect(counts).toEqual({ n: built.rowsOut, ids: built.rowsOut, unkeyed: 0 });
  });

  it('fails naming the column when a needed one is renamed, and reports an added one', async () => {
    const csv = await readFile(new URL('BasicCompanyDataAsOneFile-2021-07-01.excerpt.csv', REAL), 'utf8');
    const renamed = join(tempDir(), 'renamed.csv');
    await writeFile(renamed, csv.replace(' CompanyNumber,', ' CompanyNo,'));
    await expect(build(renamed, 'renamed')).rejects.toThrow('BasicCompanyDataAsOneFile.csv: column "CompanyNumber" missing from its header — the register changed its format');
    const added = join(tempDir(), 'added.csv');
    const [header, ...rest] = csv.split('\n');
    await writeFile(added, [`${header},NewColumn`, ...rest.map((l) => (l === '' ? l : `${l},"x"`))].join('\n'));
    const built = await build(added, 'added');
    expect(built.added).toEqual({ 'BasicCompanyDataAsOneFile.csv': ['NewColumn'] });
    expect(built.rowsOut).toBe(3);
  });
});
