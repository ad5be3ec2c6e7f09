import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../../test/support/duckdb.js';
import { buildRegister, canonicalId, everythingWritten, malformedTruth, naturalPersonsTruth, rowsOf } from '../../../test/support/register-build.js';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { luhnCheckDigit } from '../../world/identifiers.js';
import { BV_FILE, SCB_FILE, adapter as sweden, luhnSql } from './register.js';

const SAMPLES = new URL('../../../data-samples/', import.meta.url);
const WORLD_BV = new URL(`se-bolagsverket/${BV_FILE}`, SAMPLES).pathname;
const WORLD_SCB = new URL(`se-bolagsverket/${SCB_FILE}`, SAMPLES).pathname;
const BV = new URL('./fixtures/bolagsverket_bulkfil.constructed.txt', import.meta.url).pathname;
const SCB = new URL('./fixtures/scb_bulkfil.constructed.txt', import.meta.url).pathname;
const tempDir = useTempDir('se-bolagsverket');
let reader: DuckDBConnection;
beforeAll(async () => {
  reader = await openDuckDb();
});
afterAll(() => reader.closeSync());

const build = (bv: string, scb: string, name: string) => buildRegister(sweden, { [BV_FILE]: bv, [SCB_FILE]: scb }, join(tempDir(), name));

describe('Swedish registers (Bolagsverket joined with SCB)', () => {
  it('joins the two files by number: packed values unpacked, SCB\'s Latin-1 read, sole traders dropped on either side, the public body SCB alone holds kept', async () => {
    const built = await build(BV, SCB, 'constructed');
    // The sole trader's row in each file: persons are never joined, each row is dropped where it is read.
    expect(built).toMatchObject({ rowsIn: 6, rowsOut: 4, dropped: { 'natural person (a sole trader: personal identity number, Bolagsverket form E or SCB JurForm 10)': 2 }, malformed: { count: 0 } });
    const rows = await rowsOf(reader, built.parts);
    expect(rows.map((r) => [r['register_id'], r['name'], r['legal_form'], r['legal_form_text'], r['status'], r['street'], r['postcode'], r['city'], r['industry_codes'], r['nace_codes'], r['marketing_opt_out']])).toEqual([
      ['2120000142', 'Stockholms kommun', '82', null, 'active', 'RAGVALDS GATA 11', '11864', 'STOCKHOLM', ['84110'], ['84.11'], false],
      ['5561234567', 'Exempel Nätverk AB', 'AB', 'Aktiebolag', 'active', 'Box 5305', '10247', 'STOCKHOLM', ['62020', '62010'], ['62.02', '62.01'], true],
      ['5569876542', 'Gammal Handel AB', 'AB', 'Aktiebolag', 'dissolved', 'Kungsgatan 2', '41119', 'GÖTEBORG', [], [], null],
      ['9696123455', 'Berg & Dal HB', 'HB', 'Handelsbolag', 'inactive', 'Sveavägen 9', '21147', 'MALMÖ', ['70220'], ['70.22'], false],
    ]);
    expect(rows[1]).toMatchObject({ other_names: ['Exnät'], other_name_types: ['trading'] });
    expect((rows[2]!['dissolved'] as Date).toISOString().slice(0, 10)).toBe('2020-06-30');
    expect(rows[2]!['status_published']).toBe('KKAV-AVORG');
    expect(rows[3]!['status_published']).toBe('LI-AVOMFO');
  });

  it('refuses a number whose check digit is wrong, naming the file it came from', async () => {
    const bad = join(tempDir(), 'bad.txt');
    await writeFile(bad, (await readFile(BV, 'utf8')).replace('\n5569876542$', '\n5569876543$'));
    const built = await build(bad, SCB, 'bad');
    expect(built.malformed.count).toBe(1);
    expect(built.malformed.examples[0]).toMatchObject({ file: BV_FILE, column: 'organisationsidentitet', value: '5569876543' });
    expect(built.rowsOut).toBe(3);
  });

  it('never keeps a personal identity number, even one a file gives as a company\'s (a third digit below 2 is a month)', async () => {
    const person = join(tempDir(), 'person.txt');
    // 800101-1017 passes the Luhn check: only its shape says it is a person's.
    await writeFile(person, (await readFile(BV, 'utf8')).replace('\n5569876542$ORGNR-IDORG', '\n8001011017$ORGNR-IDORG'));
    const built = await build(person, SCB, 'person');
    const kept = (await rowsOf(reader, built.parts)).map((r) => r['register_id']);
    expect(kept).not.toContain('8001011017');
    expect(JSON.stringify(built)).not.toContain('8001011017');
  });

  it('lets nothing of a sole trader through: a marker in every field of its rows in both files reaches no output, nor its number', async () => {
    const bv = (await readFile(BV, 'utf8')).replace(
      /^198001011017\$PERSON-IDORG;.*$/m,
      '198001011017$PERSON-IDORG;1;SE-LAND;PERSONFIELD-NAME$NAMN-ORGNAM$2015-03-01|PERSONFIELD-TRADE$SARS_FORNAMN-ORGNAM$2016-01-01;E-ORGFO;;;;2015-03-01;PERSONFIELD-DESCRIPTION;PERSONFIELD-STREET$PERSONFIELD-CO$PERSONFIELD-TOWN$75320$SE-LAND',
    );
    const scb = (await readFile(SCB, 'latin1')).replace(/^\t\tAnders Svensson M\xe5leri\t.*$/m, (line) => {
      const v = line.split('\t');
      for (const i of [1, 2, 4, 7, 15]) v[i] = `PERSONFIELD-SCB${i}`;
      return v.join('\t');
    });
    expect(bv).toContain('PERSONFIELD-NAME');
    expect(scb).toContain('PERSONFIELD-SCB7');
    const [markedBv, markedScb] = [join(tempDir(), 'marked-bv.txt'), join(tempDir(), 'marked-scb.txt')];
    await writeFile(markedBv, bv);
    await writeFile(markedScb, Buffer.from(scb, 'latin1'));
    const built = await build(markedBv, markedScb, 'marked');
    expect(built.rowsOut).toBe(4);
    // The output, the run's counts, and every file the build wrote on its way (the two sides' stages).
    const written = await everythingWritten(reader, join(tempDir(), 'marked'));
    expect(written).toContain('stage-bv');
    const said = `${JSON.stringify(await rowsOf(reader, built.parts))}${JSON.stringify(built)}${written}`;
    expect(said).not.toContain('PERSONFIELD');
    expect(said).not.toContain('8001011017');
  });

  it('checks Luhn digits in SQL as the world makes them (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[0-9]{9}$/), fc.integer({ min: 0, max: 9 }), async (base, last) => {
        const [row] = await queryRows(reader, `SELECT ${luhnSql(`'${base}${last}'`)} AS ok`);
        expect(row!['ok']).toBe(luhnCheckDigit(base) === last);
      }),
      { numRuns: 60 },
    );
  });

  it('writes WHOIS numbers in the register\'s form: 556579-2248 (a real GLEIF record\'s), 16-prefixed, never a personal number', async () => {
    const canonical = (value: string) => canonicalId(reader, 'se-bolagsverket', value);
    expect(await canonical('556579-2248')).toBe('5565792248');
    expect(await canonical('165565792248')).toBe('5565792248');
    expect(await canonical('556579-2249')).toBeNull();
    expect(await canonical('800101-1017')).toBeNull();
  });

  it('loads the generated world: natural persons dropped, broken lines counted in both files', async () => {
    const built = await build(WORLD_BV, WORLD_SCB, 'world');
    const truth = malformedTruth(await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8'), 'se-bolagsverket');
    expect(truth.map((t) => t.file).sort()).toContain(SCB_FILE);
    expect(built.malformed.count).toBe(truth.length);
    const people = (await naturalPersonsTruth('se-bolagsverket')).map((p) => p.id);
    const rows = await rowsOf(reader, built.parts);
    const kept = new Set(rows.map((r) => r['register_id']));
    expect(people.length).toBeGreaterThan(0);
    expect(people.filter((id) => kept.has(id) || kept.has(id.slice(2)))).toEqual([]);
    // Public bodies come from SCB's file alone; opted-out companies are flagged.
    expect(rows.some((r) => r['legal_form'] === '82')).toBe(true);
    expect(rows.filter((r) => r['marketing_opt_out'] === true).length).toBeGreaterThan(0);
  });

  it('builds the same rows and counts when its two staged sides are split into several passes by number', async () => {
    const whole = await build(WORLD_BV, WORLD_SCB, 'one-pass');
    const split = await buildRegister(sweden, { [BV_FILE]: WORLD_BV, [SCB_FILE]: WORLD_SCB }, join(tempDir(), 'split'), { partitions: 3 });
    expect(split.parts.length).toBeGreaterThan(0);
    expect({ ...split, parts: [] }).toEqual({ ...whole, parts: [] });
    expect(await rowsOf(reader, split.parts)).toEqual(await rowsOf(reader, whole.parts));
  });
});
