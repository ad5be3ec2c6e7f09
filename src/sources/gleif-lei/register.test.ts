import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../../test/support/duckdb.js';
import { buildRegister, malformedTruth, rowsOf } from '../../../test/support/register-build.js';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { sqlString } from '../../lake/sql.js';
import { isLeiValid, leiFrom } from '../../world/identifiers.js';
import { GLEIF_FILE, adapter as gleif, leiValid } from './register.js';
import { adapter as kbo } from '../be-kbo/register.js';
import { SIRENE_ESTABLISHMENTS, SIRENE_UNITS, adapter as sirene } from '../fr-sirene/register.js';

const SAMPLES = new URL('../../../data-samples/', import.meta.url);
const WORLD = new URL('gleif-lei/20261101-0800-gleif-goldencopy-lei2-golden-copy.csv', SAMPLES).pathname;
const REAL = new URL('./fixtures/lei2-golden-copy-2019.first400.csv', import.meta.url).pathname;
const tempDir = useTempDir('gleif');
let reader: DuckDBConnection;
beforeAll(async () => {
  reader = await openDuckDb();
});
afterAll(() => reader.closeSync());

const build = (csv: string, name: string) => buildRegister(gleif, { [GLEIF_FILE]: csv }, join(tempDir(), name));
const csv = (path: string) => `read_csv('${path}', all_varchar=true, ignore_errors=true)`;

describe('GLEIF golden copy', () => {
  it('reads the real 2019 records: annulled and duplicate registrations dropped, legal address lines joined, dissolved entities', async () => {
    const built = await build(REAL, 'real');
    // Three of the annulled Nigerian LEIs carry invalid check digits: dropped as annulled, not malformed.
    expect(built).toMatchObject({ rowsIn: 400, rowsOut: 390, dropped: { 'annulled registration': 7, 'duplicate registration (the entity has another LEI)': 3 }, malformed: { count: 0 } });
    const rows = new Map((await rowsOf(reader, built.parts)).map((r) => [r['register_id'], r]));
    expect(rows.get('004L5FPTUREIWK9T2N63')).toMatchObject({
      name: 'Hutchin Hill Capital, LP',
      country: 'US',
      lei: '004L5FPTUREIWK9T2N63',
      legal_form: 'LIMITED PARTNERSHIP',
      legal_form_text: 'LIMITED PARTNERSHIP',
      legal_form_elf: null,
      status: 'active',
      status_published: 'ACTIVE / LAPSED',
      street: 'C/O Corporation Service Company, 2711 Centerville Road, Suite 400',
      city: 'Wilmington',
      region: 'US-DE',
      postcode: '19808',
      registration_authority: 'RA000602',
      registration_authority_id: '4386463',
      same_as_register: null,
    });
    const dissolved = rows.get('00TR8NKAEL48RGTZEW89')!;
    expect(dissolved).toMatchObject({ status: 'dissolved', status_published: 'INACTIVE / RETIRED' });
    expect((dissolved['dissolved'] as Date).toISOString().slice(0, 10)).toBe('2018-11-09');
    expect(rows.has('0292001629A3Q7XJ0D13')).toBe(false);
    // An alternative-language name equal to the legal name is not another name; previous names are.
    expect(rows.get('029200013A5N6ZD0F605')).toMatchObject({ other_names: [], other_name_types: [] });
    expect(rows.get('00QDBXDXLLF3W3JJJO36')).toMatchObject({
      name: 'PRUDENTIAL INVESTMENT PORTFOLIOS 18',
      other_names: ['Jennison 20/20 Focus Fund', 'Prudential 20/20 Focus Fund', 'Prudential 20/20 Fund', 'Prudential Jennison 20/20 Focus Fund'],
      other_name_types: ['previous', 'previous', 'previous', 'previous'],
    });
    expect(rows.get('010CMKZ3VON21WF2ZD45')).toMatchObject({ country: 'CZ', other_names: ['Chala Estates s.r.o.'] });
  });

  it('loads the generated world: sole proprietors dropped, bad check digits malformed, the crosswalk number normalised', async () => {
    const built = await build(WORLD, 'world');
    const truth = malformedTruth(await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8'), 'gleif-lei');
    expect(built.malformed.count).toBe(truth.length);
    expect(built.malformed.examples.map((e) => e.value).sort()).toEqual(truth.map((m) => m.record).sort());
    const [counted] = await queryRows(reader, `SELECT count(*) FILTER ("Entity.EntityCategory" = 'SOLE_PROPRIETOR') AS sole FROM ${csv(WORLD)}`);
    expect(built.dropped).toEqual({ 'natural person (EntityCategory SOLE_PROPRIETOR)': counted!['sole'] });
    const rows = await rowsOf(reader, built.parts);
    const kbo = rows.filter((r) => r['registration_authority'] === 'RA000025');
    expect(kbo.length).toBeGreaterThan(0);
    // GLEIF writes KBO numbers without dots; the crosswalk key is the register's own form.
    for (const r of kbo) {
      expect(r['same_as_register']).toBe('be-kbo');
      expect(r['same_as_id']).toMatch(/^\d{4}\.\d{3}\.\d{3}$/);
      expect(String(r['same_as_id']).replaceAll('.', '')).toBe(String(r['registration_authority_id']).replace(/\D/g, '').padStart(10, '0'));
    }
    expect(rows.filter((r) => r['registration_authority'] === 'RA000189').every((r) => /^\d{9}$/.test(String(r['same_as_id'])))).toBe(true);
  });

  it('gives national companies the LEI of the GLEIF record that crosswalks to them', async () => {
    const lei = await build(WORLD, 'crosswalk');
    const crosswalk = lei.parts.map((p) => p.path);
    const world = (path: string) => new URL(path, SAMPLES).pathname;
    const fr = await buildRegister(
      sirene,
      { [SIRENE_UNITS]: world('fr-sirene/StockUniteLegale_utf8.csv'), [SIRENE_ESTABLISHMENTS]: world('fr-sirene/StockEtablissement_utf8.csv') },
      join(tempDir(), 'fr'),
      { crosswalk },
    );
    // Where several LEI records name one SIREN, the smallest LEI of the valid ones.
    const broken = malformedTruth(await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8'), 'gleif-lei').map((m) => `'${m.record}'`);
    const expected = new Map(
      (
        await queryRows(
          reader,
          `SELECT "Entity.RegistrationAuthority.RegistrationAuthorityEntityID" AS id, min(LEI) AS lei FROM ${csv(WORLD)}
           WHERE "Entity.RegistrationAuthority.RegistrationAuthorityID" = 'RA000189' AND "Entity.EntityCategory" <> 'SOLE_PROPRIETOR' AND LEI NOT IN (${broken.join(', ')}) GROUP BY 1`,
        )
      ).map((r) => [r['id'], r['lei']]),
    );
    const rows = await rowsOf(reader, fr.parts);
    const withLei = rows.filter((r) => r['lei'] !== null);
    expect(withLei.length).toBeGreaterThan(10);
    for (const r of withLei) expect(r['lei']).toBe(expected.get(r['register_id']));
    for (const r of rows.filter((x) => x['lei'] === null)) expect(expected.has(r['register_id'])).toBe(false);
    expect(rows.every((r) => r['registration_authority'] === null && r['same_as_id'] === null)).toBe(true);

    const be: Record<string, string> = {};
    for (const f of ['enterprise', 'establishment', 'branch', 'denomination', 'address', 'contact', 'activity', 'code']) be[`full/${f}.csv`] = world(`be-kbo/full/${f}.csv`);
    const beRows = await rowsOf(reader, (await buildRegister(kbo, be, join(tempDir(), 'be'), { crosswalk })).parts);
    expect(beRows.filter((r) => r['lei'] !== null).length).toBeGreaterThan(5);
  });

  it('fails naming a renamed column and reports an added one', async () => {
    const text = await readFile(REAL, 'utf8');
    const renamed = join(tempDir(), 'renamed.csv');
    await writeFile(renamed, text.replace(',Entity.EntityCategory,', ',Entity.Category,'));
    await expect(build(renamed, 'renamed')).rejects.toThrow(`${GLEIF_FILE}: column "Entity.EntityCategory" missing from its header — the register changed its format`);
    const [header, ...rest] = text.split('\n');
    const added = join(tempDir(), 'added.csv');
    await writeFile(added, [`${header!.trimEnd()},Entity.NewThing`, ...rest.map((l) => (l.trim() === '' ? l : `${l.trimEnd()},x`))].join('\n'));
    const built = await build(added, 'added');
    expect(built.added).toEqual({ [GLEIF_FILE]: ['Entity.NewThing'] });
    expect(built.rowsOut).toBe(390);
  });

  it('checks an LEI in SQL as ISO 17442 does: valid ones pass, any changed character or check digit fails', async () => {
    const alphanumeric = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));
    const lei = fc.string({ unit: alphanumeric, minLength: 18, maxLength: 18 }).map(leiFrom);
    const sql = async (values: string[]) =>
      (await queryRows(reader, `SELECT ${leiValid('v')} AS ok FROM (SELECT unnest([${values.map(sqlString).join(', ')}]::VARCHAR[]) AS v)`)).map((r) => r['ok']);
    await fc.assert(
      fc.asyncProperty(lei, fc.nat(19), alphanumeric, async (valid, at, c) => {
        const changed = valid.slice(0, at) + c + valid.slice(at + 1);
        // The JS reference (the generator's) decides the changed one: a swap to the same character stays valid.
        expect(await sql([valid, changed, valid.slice(0, 19), `${valid}0`])).toEqual([true, isLeiValid(changed), false, false]);
      }),
      { numRuns: 200 },
    );
    // Any other text is no LEI, and no error: one malformed record must not stop the build.
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 24 }), async (text) => {
        expect(await sql([text])).toEqual([isLeiValid(text)]);
      }),
      { numRuns: 100 },
    );
  });
});
