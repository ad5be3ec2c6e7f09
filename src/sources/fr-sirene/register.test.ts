import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../../test/support/duckdb.js';
import { buildRegister, malformedTruth, naturalPersonsTruth, rowsOf } from '../../../test/support/register-build.js';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { nameKey } from '../../names/name-key.js';
import { SIRENE_ESTABLISHMENTS, SIRENE_UNITS, adapter as sirene } from './register.js';

const SAMPLES = new URL('../../../data-samples/', import.meta.url);
const WORLD_UNITS = new URL('fr-sirene/StockUniteLegale_utf8.csv', SAMPLES).pathname;
const WORLD_ESTABLISHMENTS = new URL('fr-sirene/StockEtablissement_utf8.csv', SAMPLES).pathname;
const REAL = new URL('./fixtures/', import.meta.url);
const tempDir = useTempDir('sirene');
let reader: DuckDBConnection;
beforeAll(async () => {
  reader = await openDuckDb();
});
afterAll(() => reader.closeSync());

/** An establishments file with the current header and no rows (the real excerpts have none). */
async function noEstablishments(): Promise<string> {
  const path = join(tempDir(), 'no-establishments.csv');
  const [header] = (await readFile(WORLD_ESTABLISHMENTS, 'utf8')).split('\n');
  await writeFile(path, `${header}\n`);
  return path;
}

const build = (units: string, establishments: string, name: string) =>
  buildRegister(sirene, { [SIRENE_UNITS]: units, [SIRENE_ESTABLISHMENTS]: establishments }, join(tempDir(), name));

describe('SIRENE', () => {
  it('reads the real 2026 legal units: siren as text, NAF to NACE, legal form text and ELF, ceased units dissolved', async () => {
    const built = await build(new URL('StockUniteLegale-2026.sample.csv', REAL).pathname, await noEstablishments(), 'real-2026');
    expect(built).toMatchObject({ rowsIn: 9, rowsOut: 9, dropped: {}, malformed: { count: 0 } });
    const rows = await rowsOf(reader, built.parts);
    expect(rows[0]).toMatchObject({
      register_id: '016750697',
      name: 'ETS J VIRLY S A',
      country: 'FR',
      legal_form: '5710',
      legal_form_text: 'SAS, société par actions simplifiée',
      legal_form_elf: '6CHY',
      status: 'active',
      industry_scheme: 'NAFRev2',
      industry_codes: ['77.39Z'],
      nace_codes: ['77.39'],
      street: null,
    });
    expect((rows[0]!['incorporated'] as Date).toISOString().slice(0, 10)).toBe('1967-01-01');
    // The acronym and the first usual name are the same text: one other name, as an abbreviation.
    expect(rows.find((r) => r['register_id'] === '057502510')).toMatchObject({ other_names: ['SACDROP ASSURANCES'], other_name_types: ['abbreviation'] });
    const ceased = rows.find((r) => r['register_id'] === '057808172')!;
    expect(ceased).toMatchObject({ status: 'dissolved', status_published: 'C', other_names: ['COMEGA'], other_name_types: ['trading'] });
    expect((ceased['dissolved'] as Date).toISOString().slice(0, 10)).toBe('2026-01-01');
    for (const r of rows) expect({ key: r['name_key'], legalForm: r['name_legal_form'] }).toEqual(nameKey(r['name'] as string, 'FR'));
  });

  it('reports the number of a legal unit whose siren is malformed', async () => {
    const csv = await readFile(new URL('StockUniteLegale-2026.sample.csv', REAL), 'utf8');
    const broken = join(tempDir(), 'broken-siren.csv');
    await writeFile(broken, csv.replace('\n016750697,', '\n16750697,'));
    const built = await build(broken, await noEstablishments(), 'broken-siren');
    expect(built).toMatchObject({ rowsIn: 8, rowsOut: 8, malformed: { count: 1, examples: [{ file: SIRENE_UNITS, column: 'siren', error: 'not 9 digits', value: '16750697' }] } });
  });

  it('drops the 2019 entrepreneurs individuels (header lower-cased, invalid date 2014-12-35) and keeps none of them', async () => {
    const built = await build(new URL('StockUniteLegale-2019.head.lowercased-header.csv', REAL).pathname, await noEstablishments(), 'real-2019');
    expect(built).toMatchObject({ rowsIn: 4, rowsOut: 0, dropped: { 'natural person (entrepreneur individuel, catégorie 1000)': 4 }, malformed: { count: 0 } });
    expect(built.parts.reduce((n, p) => n + p.rows, 0)).toBe(0);
  });

  it('loads the generated world: head-office addresses, no natural person, units not for publication dropped, malformed records named', async () => {
    const built = await build(WORLD_UNITS, WORLD_ESTABLISHMENTS, 'world');
    const truth = malformedTruth(await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8'), 'fr-sirene');
    const units = (await readFile(WORLD_UNITS, 'utf8')).split('\n').filter((l) => l !== '').length - 1;
    const badUnits = truth.filter((m) => m.file === SIRENE_UNITS);
    expect(built.malformed.count).toBe(truth.length);
    // Both broken units of the world are entrepreneurs individuels: counted, their numbers not reported.
    const unitExamples = built.malformed.examples.filter((e) => e.file === SIRENE_UNITS);
    expect(unitExamples.map((e) => [e.column, e.error, e.value])).toEqual(badUnits.map(() => ['siren', 'not 9 digits', undefined]));
    expect(built.malformed.examples.filter((e) => e.file === SIRENE_ESTABLISHMENTS).map((e) => e.line).sort()).toEqual(truth.filter((m) => m.file === SIRENE_ESTABLISHMENTS).map((m) => m.line).sort());
    expect(built.rowsIn).toBe(units - badUnits.length);
    expect(built.rowsOut).toBe(built.rowsIn - Object.values(built.dropped).reduce((a, b) => a + b, 0));

    // Units published in part, counted independently of the adapter.
    const [plain] = await queryRows(
      reader,
      `SELECT count(*) FILTER (statutDiffusionUniteLegale = 'P' AND categorieJuridiqueUniteLegale <> '1000') AS p FROM read_csv('${WORLD_UNITS}', all_varchar=true, ignore_errors=true) WHERE regexp_full_match(siren, '[0-9]{9}')`,
    );
    expect(built.dropped['not for publication (statutDiffusion P)']).toBe(plain!['p']);

    const people = (await naturalPersonsTruth('fr-sirene')).map((p) => p.id);
    const rows = await rowsOf(reader, built.parts);
    const kept = new Set(rows.map((r) => r['register_id']));
    expect(people.filter((id) => kept.has(id))).toEqual([]);
    expect(rows.filter((r) => String(r['name']).includes('[ND]') || String(r['street']).includes('[ND]'))).toEqual([]);

    // The address is the head office's (siren + nicSiegeUniteLegale), read from the establishments file.
    const [head] = await queryRows(
      reader,
      `SELECT e.codePostalEtablissement AS postcode, e.libelleCommuneEtablissement AS city, u.siren FROM read_csv('${WORLD_UNITS}', all_varchar=true, ignore_errors=true) u
       JOIN read_csv('${WORLD_ESTABLISHMENTS}', all_varchar=true, ignore_errors=true) e ON e.siren = u.siren AND e.nic = u.nicSiegeUniteLegale
       WHERE u.siren = '${String(rows[0]!['register_id'])}'`,
    );
    expect(rows[0]).toMatchObject({ postcode: head!['postcode'], city: head!['city'] });
    expect(rows.filter((r) => r['postcode'] === null).length).toBeLessThan(rows.length / 10);
  });

  it('joins in partitions to the same bytes as whole, and stages no natural person: no number, no name', async () => {
    const files = { [SIRENE_UNITS]: WORLD_UNITS, [SIRENE_ESTABLISHMENTS]: WORLD_ESTABLISHMENTS };
    const whole = await buildRegister(sirene, files, join(tempDir(), 'whole'), { partitions: 1 });
    const split = await buildRegister(sirene, files, join(tempDir(), 'split'), { partitions: 3 });
    expect({ ...split, parts: [] }).toEqual({ ...whole, parts: [] });
    expect(await Promise.all(split.parts.map((p) => readFile(p.path)))).toEqual(await Promise.all(whole.parts.map((p) => readFile(p.path))));
    // What the build wrote before the companies: the split stages, three folders of parts each.
    const staged = (await readdir(join(tempDir(), 'split', 'build'), { recursive: true })).filter((n) => n.endsWith('.parquet') && !n.startsWith('parquet'));
    expect(staged.filter((n) => n.startsWith('stage-units/_part=')).length).toBeGreaterThanOrEqual(3);
    const people = await naturalPersonsTruth('fr-sirene');
    expect(people.length).toBeGreaterThan(100);
    const values = new Set<string>();
    for (const name of staged) {
      for (const row of await queryRows(reader, `SELECT * FROM read_parquet('${join(tempDir(), 'split', 'build', name)}')`)) for (const v of Object.values(row)) if (typeof v === 'string') values.add(v);
    }
    // The truth names a person "Prénom NOM"; the file has the nom alone (nomUniteLegale).
    const nom = (name: string) => name.split(' ').slice(1).join(' ');
    expect(values.size).toBeGreaterThan(1000);
    expect(people.filter((p) => values.has(p.id) || values.has(nom(p.name)))).toEqual([]);
    // Partitions no row falls in (here every one of the heads, an empty file) read as empty.
    const real = { [SIRENE_UNITS]: new URL('StockUniteLegale-2026.sample.csv', REAL).pathname, [SIRENE_ESTABLISHMENTS]: await noEstablishments() };
    const few = await buildRegister(sirene, real, join(tempDir(), 'few'), { partitions: 7 });
    expect(few.rowsOut).toBe(9);
    expect(await rowsOf(reader, few.parts)).toEqual(await rowsOf(reader, (await buildRegister(sirene, real, join(tempDir(), 'few-whole'), { partitions: 1 })).parts));
  });

  it('never reads the person fields: a value put in every prénom, sexe, pseudonyme and nom d’usage reaches no output column', async () => {
    const [header, ...rest] = (await readFile(WORLD_UNITS, 'utf8')).split('\n');
    const names = header!.split(',');
    const personal = names.map((n, i) => (/^(prenom|sexe|pseudonyme|nomUsage)/.test(n) ? i : -1)).filter((i) => i >= 0);
    expect(personal.length).toBe(8);
    const marked = join(tempDir(), 'marked.csv');
    const lines = rest.map((l) => {
      if (l === '' || l.includes('"')) return l;
      const v = l.split(',');
      for (const i of personal) v[i] = 'PERSONFIELD';
      return v.join(',');
    });
    await writeFile(marked, [header, ...lines].join('\n'));
    const built = await build(marked, WORLD_ESTABLISHMENTS, 'marked');
    expect(built.rowsOut).toBeGreaterThan(1000);
    const rows = await rowsOf(reader, built.parts);
    expect(rows.filter((r) => JSON.stringify(r).includes('PERSONFIELD'))).toEqual([]);
  });

  it('fails naming a renamed column of either file, and reports added ones', async () => {
    const units = await readFile(WORLD_UNITS, 'utf8');
    const renamed = join(tempDir(), 'renamed-units.csv');
    await writeFile(renamed, units.replace(',nicSiegeUniteLegale,', ',nicSiege,'));
    await expect(build(renamed, WORLD_ESTABLISHMENTS, 'renamed-units')).rejects.toThrow(`${SIRENE_UNITS}: column "nicSiegeUniteLegale" missing from its header`);
    const establishments = await readFile(WORLD_ESTABLISHMENTS, 'utf8');
    const renamedEst = join(tempDir(), 'renamed-est.csv');
    await writeFile(renamedEst, establishments.replace(',codePostalEtablissement,', ',codePostal,'));
    await expect(build(WORLD_UNITS, renamedEst, 'renamed-est')).rejects.toThrow(`${SIRENE_ESTABLISHMENTS}: column "codePostalEtablissement" missing from its header`);
    const added = join(tempDir(), 'added-units.csv');
    const [header, ...rest] = units.split('\n');
    await writeFile(added, [`${header},nouvelleColonne`, ...rest.map((l) => (l === '' ? l : `${l},x`))].join('\n'));
    const built = await build(added, WORLD_ESTABLISHMENTS, 'added');
    expect(built.added[SIRENE_UNITS]).toEqual(['nouvelleColonne']);
    expect(built.rowsOut).toBeGreaterThan(0);
  });
});
