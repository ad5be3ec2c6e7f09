import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../../test/support/duckdb.js';
import { buildRegister, malformedTruth, naturalPersonsTruth, rowsOf } from '../../../test/support/register-build.js';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { nameKey } from '../../names/name-key.js';
import { BRREG_FILE, adapter as brreg } from './register.js';

const SAMPLES = new URL('../../../data-samples/', import.meta.url);
const WORLD = new URL('no-brreg/enheter.csv.gz', SAMPLES).pathname;
const WORLD_2024 = new URL('no-brreg/enheter-2024.csv.gz', SAMPLES).pathname;
const REAL = new URL('./fixtures/', import.meta.url);
const tempDir = useTempDir('brreg');
let reader: DuckDBConnection;
beforeAll(async () => {
  reader = await openDuckDb();
});
afterAll(() => reader.closeSync());

/** Builds from a CSV, gzipped first when it is not (the source lands enheter.csv.gz). */
async function build(csv: string, name: string) {
  let path = csv;
  if (!csv.endsWith('.gz')) {
    path = join(tempDir(), `${name}.csv.gz`);
    await writeFile(path, gzipSync(await readFile(csv)));
  }
  return buildRegister(brreg, { [BRREG_FILE]: path }, join(tempDir(), name));
}

/** The CSV text of a gzipped world file. */
const textOf = async (gz: string) => gunzipSync(await readFile(gz)).toString('utf8');

describe('Brønnøysund enheter', () => {
  it('reads the real 2024 rows: number as text, SN2007 to NACE, "/n" address lines joined', async () => {
    const built = await build(new URL('enheter-2024.head.csv', REAL).pathname, 'real-2024');
    expect(built).toMatchObject({ rowsIn: 9, rowsOut: 9, dropped: {}, malformed: { count: 0 } });
    const rows = await rowsOf(reader, built.parts);
    expect(rows[0]).toMatchObject({
      register_id: '810034882',
      name: 'SANDNES ELEKTRISKE AS',
      legal_form: 'AS',
      legal_form_text: 'Aksjeselskap',
      legal_form_elf: 'YI42',
      status: 'active',
      street: 'Langgata 87',
      postcode: '4306',
      city: 'SANDNES',
      region: 'SANDNES',
      address_country: 'NO',
      industry_scheme: 'SN2007',
      industry_codes: ['43.210', '27.510'],
      nace_codes: ['43.21', '27.51'],
      website: null,
      domain: null,
    });
    expect((rows[0]!['incorporated'] as Date).toISOString().slice(0, 10)).toBe('1977-06-15');
    expect(rows.find((r) => r['register_id'] === '810093382')).toMatchObject({ street: 'c/o BDO AS, Fjellgata 6' });
    for (const r of rows) expect({ key: r['name_key'], legalForm: r['name_legal_form'] }).toEqual(nameKey(r['name'] as string, 'NO'));
  });

  it('accepts the real 2026 header (90 columns), and refuses the file for having nothing under it', async () => {
    // The header is checked first (a missing column would fail FORMAT_CHANGED); a file with no data rows is a cut file.
    const refused = await build(new URL('enheter-2026.header-only.csv', REAL).pathname, 'real-2026').then(() => undefined, (err: unknown) => err);
    expect({ code: (refused as { code?: string } | undefined)?.code, message: (refused as Error | undefined)?.message }).toMatchObject({
      code: 'FILE_TRUNCATED',
      message: expect.stringContaining(`${BRREG_FILE} has no data rows, only its header`) as unknown,
    });
  });

  it('loads the generated world: sole proprietorships dropped, websites to domains, bankrupt units inactive', async () => {
    const built = await build(WORLD, 'world');
    const people = (await naturalPersonsTruth('no-brreg')).map((p) => p.id);
    const [counted] = await queryRows(
      reader,
      `SELECT count(*) AS n, count(*) FILTER ("organisasjonsform.kode" = 'ENK') AS enk, count(*) FILTER ("organisasjonsform.kode" <> 'ENK' AND (konkurs = 'true' OR underAvvikling = 'true' OR underTvangsavviklingEllerTvangsopplosning = 'true')) AS winding, count(*) FILTER ("organisasjonsform.kode" <> 'ENK' AND hjemmeside <> '') AS sites FROM read_csv('${WORLD}', all_varchar=true)`,
    );
    expect(built.malformed.count).toBe(0);
    expect(built.rowsIn).toBe(counted!['n']);
    expect(built.dropped).toEqual({ 'natural person (enkeltpersonforetak, ENK)': counted!['enk'] });
    const rows = await rowsOf(reader, built.parts);
    const kept = new Set(rows.map((r) => r['register_id']));
    expect(people.filter((id) => kept.has(id))).toEqual([]);
    expect(rows.filter((r) => r['status'] === 'inactive')).toHaveLength(counted!['winding'] as number);
    const withSite = rows.filter((r) => r['website'] !== null);
    expect(withSite).toHaveLength(counted!['sites'] as number);
    expect(withSite.length).toBeGreaterThan(0);
    for (const r of withSite) expect(String(r['website']).toLowerCase()).toContain(r['domain'] as string);
  });

  it('counts an organisation number failing mod 11 as malformed; a sole proprietorship\'s number is not reported (2024 edition)', async () => {
    const built = await build(WORLD_2024, 'world-2024');
    const truth = malformedTruth(await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8'), 'no-brreg');
    expect(built.malformed.count).toBe(truth.length);
    // The world's broken numbers all belong to ENK: counted, named by field, the number withheld.
    expect(built.malformed.examples.map((e) => [e.file, e.column, e.value])).toEqual(truth.map(() => [BRREG_FILE, 'organisasjonsnummer', undefined]));
    const csv = await readFile(new URL('enheter-2024.head.csv', REAL), 'utf8');
    const broken = join(tempDir(), 'broken.csv');
    await writeFile(broken, csv.replace('"810034882"', '"810034883"'));
    const real = await build(broken, 'broken');
    expect(real).toMatchObject({ rowsIn: 8, rowsOut: 8, malformed: { count: 1, examples: [{ column: 'organisasjonsnummer', value: '810034883' }] } });
  });

  it('never reads e-mail, phone, mobile or the postal address', async () => {
    const [header, ...rest] = (await textOf(WORLD)).split('\n');
    const names = header!.split(',').map((n) => n.replaceAll('"', ''));
    const personal = names.map((n, i) => (/^(epostadresse|telefon|mobil|postadresse\.)/.test(n) ? i : -1)).filter((i) => i >= 0);
    expect(personal.length).toBe(10);
    const marked = join(tempDir(), 'marked.csv');
    // Every field is quoted and no value holds '","': split on it.
    const lines = rest.map((l) => {
      if (l === '' || !l.startsWith('"') || l.split('","').length !== names.length) return l;
      const v = l.slice(1, -1).split('","');
      for (const i of personal) v[i] = 'PERSONFIELD';
      return `"${v.join('","')}"`;
    });
    await writeFile(marked, [header, ...lines].join('\n'));
    const built = await build(marked, 'marked');
    expect(built.rowsOut).toBeGreaterThan(500);
    const rows = await rowsOf(reader, built.parts);
    expect(rows.filter((r) => JSON.stringify(r).includes('PERSONFIELD'))).toEqual([]);
  });

  it('fails naming a renamed column and reports an added one', async () => {
    const csv = await readFile(new URL('enheter-2024.head.csv', REAL), 'utf8');
    const renamed = join(tempDir(), 'renamed.csv');
    await writeFile(renamed, csv.replace('"organisasjonsform.kode"', '"organisasjonsformkode"'));
    await expect(build(renamed, 'renamed')).rejects.toThrow(`${BRREG_FILE}: column "organisasjonsform.kode" missing from its header — the register changed its format`);
    const [header, ...rest] = csv.split('\n');
    const added = join(tempDir(), 'added.csv');
    await writeFile(added, [`${header},"nyKolonne"`, ...rest.map((l) => (l === '' ? l : `${l},"x"`))].join('\n'));
    const built = await build(added, 'added');
    expect(built.added).toEqual({ [BRREG_FILE]: ['nyKolonne'] });
    expect(built.rowsOut).toBe(9);
  });
});
