import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../../test/support/duckdb.js';
import { buildRegister, malformedTruth, naturalPersonsTruth, rowsOf } from '../../../test/support/register-build.js';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { nameKey } from '../../names/name-key.js';
import { adapter as kbo, kboFile } from './register.js';

const SAMPLES = new URL('../../../data-samples/', import.meta.url);
const WORLD = new URL('be-kbo/', SAMPLES).pathname;
const REAL = new URL('./fixtures/', import.meta.url).pathname;
const tempDir = useTempDir('kbo');
let reader: DuckDBConnection;
beforeAll(async () => {
  reader = await openDuckDb();
});
afterAll(() => reader.closeSync());

/** The world's files by landed name (full/…, and update/… unless `full` only). */
async function worldFiles(sets: readonly string[] = ['full', 'update']): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const set of sets) for (const name of await readdir(join(WORLD, set))) files[`${set}/${name}`] = join(WORLD, set, name);
  return files;
}

/** The real excerpts as a full set (the heads of every table, the code excerpt as code.csv). */
function realFiles(): Record<string, string> {
  const files: Record<string, string> = { [kboFile('code')]: join(REAL, 'code.excerpt.csv') };
  for (const table of ['enterprise', 'establishment', 'branch', 'denomination', 'address', 'contact', 'activity'] as const) files[kboFile(table)] = join(REAL, `${table}.head.csv`);
  return files;
}

const build = (files: Record<string, string>, name: string) => buildRegister(kbo, files, join(tempDir(), name));
const csv = (path: string) => `read_csv('${path}', all_varchar=true, ignore_errors=true)`;

describe('KBO/BCE', () => {
  it('joins the real excerpts: name and abbreviation, MAIN NACE-BEL 2008 activities, Dutch labels from code.csv', async () => {
    const built = await build(realFiles(), 'real');
    // The denomination head stops before the last two enterprises of the enterprise head: no name, not kept.
    expect(built).toMatchObject({ rowsIn: 10, rowsOut: 8, dropped: { 'no name': 2 } });
    const rows = await rowsOf(reader, built.parts);
    expect(rows[0]).toMatchObject({
      register_id: '0200.065.765',
      name: 'Intergemeentelijke Vereniging Veneco',
      other_names: ['Veneco'],
      other_name_types: ['abbreviation'],
      legal_form: '416',
      legal_form_text: null,
      status: 'active',
      status_published: 'Normale toestand',
      street: 'Panhuisstraat 1',
      postcode: '9070',
      city: 'Destelbergen',
      address_country: null,
      industry_scheme: 'NACEBEL2008',
      industry_codes: ['41101', '84130'],
      nace_codes: ['41.10', '84.13'],
    });
    expect((rows[0]!['incorporated'] as Date).toISOString().slice(0, 10)).toBe('1960-08-09');
    // A French name takes the French label.
    expect(rows.find((r) => r['register_id'] === '0200.362.408')).toMatchObject({ name: 'Intercommunale Sociale du Brabant wallon', status_published: 'Situation normale' });
    // Not in situation 000 (normal): registered, not trading.
    expect(rows.find((r) => r['register_id'] === '0200.245.711')).toMatchObject({ status: 'inactive', status_published: '012' });
    for (const r of rows) expect({ key: r['name_key'], legalForm: r['name_legal_form'] }).toEqual(nameKey(r['name'] as string, 'BE'));
  });

  it('applies the update set: deletes before inserts — a renamed enterprise takes its new name, a struck-off one goes, a new one comes', async () => {
    const files = await worldFiles();
    const built = await build(files, 'world');
    const rows = new Map((await rowsOf(reader, built.parts)).map((r) => [r['register_id'], r]));
    const inserted = await queryRows(reader, `SELECT EnterpriseNumber AS id, TypeOfEnterprise AS type FROM ${csv(files['update/enterprise_insert.csv']!)}`);
    const deleted = new Set((await queryRows(reader, `SELECT EnterpriseNumber AS id FROM ${csv(files['update/enterprise_delete.csv']!)}`)).map((r) => r['id']));
    const full = new Set((await queryRows(reader, `SELECT EnterpriseNumber AS id FROM ${csv(files['full/enterprise.csv']!)}`)).map((r) => r['id']));
    const legal = inserted.filter((r) => r['type'] === '2');
    const renamed = legal.filter((r) => deleted.has(r['id']));
    const added = legal.filter((r) => !full.has(r['id']));
    const struck = [...deleted].filter((id) => !inserted.some((r) => r['id'] === id));
    expect(renamed.length).toBeGreaterThan(0);
    expect(added.length).toBeGreaterThan(0);
    expect(struck.length).toBeGreaterThan(0);
    const newNames = new Map(
      (await queryRows(reader, `SELECT EntityNumber AS id, Denomination AS name FROM ${csv(files['update/denomination_insert.csv']!)} WHERE TypeOfDenomination = '001'`)).map((r) => [r['id'], r['name']]),
    );
    for (const r of renamed) expect(rows.get(r['id'])?.['name']).toBe(newNames.get(r['id']));
    for (const r of added) expect(rows.has(r['id'])).toBe(true);
    for (const id of struck) expect(rows.has(id)).toBe(false);

    // Without the update set, the renamed ones keep their old names.
    const before = new Map((await rowsOf(reader, (await build(await worldFiles(['full']), 'world-full')).parts)).map((r) => [r['register_id'], r]));
    for (const r of renamed) expect(before.get(r['id'])?.['name']).not.toBe(newNames.get(r['id']));
  });

  it('loads the generated world: natural-person enterprises dropped, websites, orphan addresses counted as malformed', async () => {
    const files = await worldFiles();
    const built = await build(files, 'world-check');
    const truth = malformedTruth(await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8'), 'be-kbo');
    expect(built.malformed.count).toBe(truth.length);
    expect(built.malformed.examples.every((e) => e.file === 'full/address.csv' && e.column === 'EntityNumber')).toBe(true);
    const [types] = await queryRows(
      reader,
      `SELECT count(*) FILTER (TypeOfEnterprise = '1') AS persons FROM (
         SELECT * FROM ${csv(files['full/enterprise.csv']!)} WHERE EnterpriseNumber NOT IN (SELECT EnterpriseNumber FROM ${csv(files['update/enterprise_delete.csv']!)})
         UNION ALL SELECT * FROM ${csv(files['update/enterprise_insert.csv']!)})`,
    );
    expect(built.dropped).toEqual({ 'natural person (TypeOfEnterprise 1)': types!['persons'] });
    const rows = await rowsOf(reader, built.parts);
    const people = await naturalPersonsTruth('be-kbo');
    const kept = new Set(rows.map((r) => r['register_id']));
    const names = new Set(people.map((p) => p.name.toLowerCase()));
    expect(people.filter((p) => kept.has(p.id))).toEqual([]);
    expect(rows.flatMap((r) => [r['name'], ...(r['other_names'] as string[])]).filter((n) => names.has(String(n).toLowerCase()))).toEqual([]);
    expect(rows.filter((r) => r['legal_form_text'] === null)).toEqual([]);
    // The ELF code comes from the form's words in code.csv.
    expect(new Set(rows.filter((r) => r['legal_form_text'] === 'Naamloze vennootschap').map((r) => r['legal_form_elf']))).toEqual(new Set(['R85P']));
    const sites = rows.filter((r) => r['website'] !== null);
    expect(sites.length).toBeGreaterThan(0);
    for (const r of sites) expect(String(r['website']).toLowerCase()).toContain(r['domain'] as string);
  });

  it('never reads e-mail, phone or fax contacts', async () => {
    const files = await worldFiles(['full']);
    const contacts = await readFile(files['full/contact.csv']!, 'utf8');
    const marked = join(tempDir(), 'contact-marked.csv');
    await writeFile(marked, contacts.replace(/"(EMAIL|TEL|FAX)","[^"]*"/g, '"$1","PERSONFIELD"'));
    expect((await readFile(marked, 'utf8')).includes('PERSONFIELD')).toBe(true);
    const built = await build({ ...files, 'full/contact.csv': marked }, 'marked');
    const rows = await rowsOf(reader, built.parts);
    expect(rows.filter((r) => JSON.stringify(r).includes('PERSONFIELD'))).toEqual([]);
  });

  it('fails naming a renamed column of any table', async () => {
    const denominations = await readFile(join(REAL, 'denomination.head.csv'), 'utf8');
    const renamed = join(tempDir(), 'denomination-renamed.csv');
    await writeFile(renamed, denominations.replace('"TypeOfDenomination"', '"DenominationType"'));
    await expect(build({ ...realFiles(), [kboFile('denomination')]: renamed }, 'renamed')).rejects.toThrow(
      'full/denomination.csv: column "TypeOfDenomination" missing from its header — the register changed its format',
    );
  });
});
