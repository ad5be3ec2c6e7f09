import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../../test/support/duckdb.js';
import { buildRegister, canonicalId, malformedTruth, rowsOf } from '../../../test/support/register-build.js';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { IE_FILE, adapter as cro } from './register.js';

const SAMPLES = new URL('../../../data-samples/', import.meta.url);
const WORLD = new URL(`ie-cro/${IE_FILE}`, SAMPLES).pathname;
const SAMPLE = new URL('./fixtures/companies.sample.csv', import.meta.url).pathname;
const tempDir = useTempDir('ie-cro');
let reader: DuckDBConnection;
beforeAll(async () => {
  reader = await openDuckDb();
});
afterAll(() => reader.closeSync());

const build = (csv: string, name: string) => buildRegister(cro, { [IE_FILE]: csv }, join(tempDir(), name));

describe('Irish Companies Registration Office', () => {
  it('reads the real header and row: the type split into its abbreviation and words, the float NACE class, the quoted last line', async () => {
    const built = await build(SAMPLE, 'sample');
    expect(built).toMatchObject({ rowsIn: 5, rowsOut: 4, dropped: { 'an earlier name of a company (kept as its previous name)': 1 }, malformed: { count: 0 } });
    const rows = await rowsOf(reader, built.parts);
    expect(rows.map((r) => [r['register_id'], r['name'], r['legal_form'], r['legal_form_text'], r['status'], r['street'], r['city'], r['region'], r['postcode'], r['nace_codes']])).toEqual([
      ['52001', 'OLD MILLS TRADING LIMITED', 'LTD', 'Private Company Limited by Shares', 'dissolved', null, null, null, null, []],
      ['673935', 'INNOVA-SHIELD LIMITED', 'LTD', 'Private Company Limited by Shares', 'inactive', "THE BLACK CHURCH, ST. MARY'S PLACE", 'DUBLIN 7', 'DUBLIN', 'D07P4AX', ['47.41']],
      ['700001', 'EXAMPLE NETWORKS LIMITED', 'LTD', 'Private Company Limited by Shares', 'active', 'UNIT 4, HARCOURT STREET', 'DUBLIN 2', 'DUBLIN', 'D02XY12', ['61.10']],
      ['88002', 'CORK HARBOUR SAILING CLG', 'CLG', 'Company Limited by Guarantee', 'active', '12 MAIN STREET', 'CROSSHAVEN', 'CO. CORK', 'P43AB12', ['09.32']],
    ]);
    // A renamed company: its latest name, the earlier one kept as a previous name.
    expect(rows[2]).toMatchObject({ other_names: ['EXAMPLE TELECOM LIMITED'], other_name_types: ['previous'], status_published: 'Normal' });
    expect((rows[0]!['dissolved'] as Date).toISOString().slice(0, 10)).toBe('2001-02-02');
  });

  it('writes WHOIS numbers in the register\'s form: GLEIF\'s 372722, without leading zeros', async () => {
    const canonical = (value: string) => canonicalId(reader, 'ie-cro', value);
    expect(await canonical('372722')).toBe('372722');
    expect(await canonical('0464031')).toBe('464031');
    expect(await canonical('00000000')).toBeNull();
  });

  it('loads the generated world: broken lines counted, each number once', async () => {
    const built = await build(WORLD, 'world');
    const truth = malformedTruth(await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8'), 'ie-cro');
    expect(built.malformed.count).toBe(truth.length);
    const rows = await rowsOf(reader, built.parts);
    expect(new Set(rows.map((r) => r['register_id'])).size).toBe(rows.length);
    expect(rows.filter((r) => r['status'] === 'dissolved').length).toBeGreaterThan(rows.length / 4);
  });
});
