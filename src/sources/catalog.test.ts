import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readDelegated } from '../formats/delegated.js';
import { readRpsl } from '../formats/rpsl.js';
import { readRouting } from '../formats/routing.js';
import { chunksOfStream, linesOfChunks } from '../formats/lines.js';
import { fileForSnapshot, fillSqlTemplate, readSource, REGISTERS, registerAdapter, SOURCES, sourceById, sourceModule } from './catalog.js';

const SAMPLES = new URL('../../data-samples/', import.meta.url);

describe('the source catalogue', () => {
  it('lists every source folder once, under its own id', async () => {
    const folders = (await readdir(new URL('.', import.meta.url), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(SOURCES.map((s) => s.id).sort()).toEqual(folders.sort());
    expect(() => sourceById('nope')).toThrow('unknown source "nope" (known: afrinic-delegated, ');
  });

  it('takes sources in run order: allocations (delegated, then WHOIS) before registers, the LEI crosswalk first among these', () => {
    const kinds = SOURCES.map((s) => s.kind);
    expect(kinds.lastIndexOf('ip-allocation')).toBeLessThan(kinds.indexOf('routing'));
    expect(kinds.lastIndexOf('routing')).toBeLessThan(kinds.indexOf('register'));
    const allocations = SOURCES.filter((s) => s.kind === 'ip-allocation').map((s) => s.format);
    expect(allocations.lastIndexOf('delegated')).toBeLessThan(allocations.indexOf('rpsl'));
    expect(REGISTERS[0]?.register.provides).toContain('lei-crosswalk');
    const rest = REGISTERS.slice(1).map((r) => r.id);
    expect(rest).toEqual([...rest].sort());
  });

  it('loads every register\'s adapter from its folder, and refuses a source that is no register', async () => {
    for (const r of REGISTERS) expect((await registerAdapter(r.id)).id).toBe(r.id);
    await expect(registerAdapter('ripe-rpsl')).rejects.toThrow('ripe-rpsl is not a register');
  });

  it('finds a register\'s world writer in its folder, and none where the folder has no world.ts', async () => {
    for (const r of REGISTERS) {
      const world = (await sourceModule(r.id, 'world'))?.['world'] as { write?: unknown } | undefined;
      expect(typeof world?.write, r.id).toBe('function');
    }
    expect(await sourceModule('ripe-rpsl', 'world')).toBeUndefined();
    await expect(sourceModule('nope', 'world')).rejects.toThrow('unknown source "nope"');
  });

  it('writes each register\'s number in its own form from any spelling, and quotes only numbers its WHOIS patterns find', async () => {
    const { openDuckDb, queryRows } = await import('../../test/support/duckdb.js');
    const duck = await openDuckDb();
    try {
      const canonical = async (id: string, text: string | null) => {
        const template = sourceById(id).register?.canonicalId ?? '';
        const [row] = await queryRows(duck, `SELECT ${fillSqlTemplate(template, text === null ? 'NULL::VARCHAR' : `'${text}'`)} AS v`);
        return row?.['v'] ?? null;
      };
      expect(await canonical('gb-companies-house', '1234567')).toBe('01234567');
      expect(await canonical('gb-companies-house', 'sc 123456')).toBe('SC123456');
      expect(await canonical('fr-sirene', '552 100 554 00013')).toBe('552100554');
      expect(await canonical('no-brreg', '923 609 016')).toBe('923609016');
      expect(await canonical('be-kbo', '403.199.702')).toBe('0403.199.702');
      expect(await canonical('ee-rik', '12652512')).toBe('12652512');
      expect(await canonical('ee-rik', '1265251')).toBeNull();
      expect(await canonical('no-brreg', null)).toBeNull();
      for (const r of REGISTERS.filter((x) => x.register.country !== null)) {
        expect(r.register.canonicalId, r.id).toContain('{');
        expect(r.register.gleifAuthorities?.every((ra) => /^RA\d{6}$/.test(ra)), r.id).toBe(true);
        for (const pattern of r.register.whoisNumbers ?? []) expect(() => new RegExp(pattern.replace('(?i)', ''), 'i'), pattern).not.toThrow();
      }
    } finally {
      duck.closeSync();
    }
  });

  it('refuses a source.json whose register facts are mistyped, naming the file, the field and the value', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ipreg-catalog-'));
    try {
      const valid = JSON.parse(await readFile(new URL('./ee-rik/source.json', import.meta.url), 'utf8')) as Record<string, unknown>;
      const attempt = async (register: Record<string, unknown>, id = 'ee-rik') => {
        const folder = join(dir, id);
        await mkdir(folder, { recursive: true });
        await writeFile(join(folder, 'source.json'), JSON.stringify({ ...valid, register: { ...(valid['register'] as object), ...register } }));
        return () => readSource(folder);
      };
      expect((await attempt({}))().id).toBe('ee-rik');
      expect(await attempt({ country: 'Estonia' })).toThrow(/ee-rik\/source\.json: register\.country is not an ISO 3166 alpha-2 code or null \(found "Estonia"\)/);
      expect(await attempt({ gleifAuthorities: ['RA181'] })).toThrow(/register\.gleifAuthorities holds an id that is not RA and six digits \(found "RA181"\)/);
      expect(await attempt({ whoisNumbers: '(\\d{8})' })).toThrow(/register\.whoisNumbers is not a list of texts/);
      expect(await attempt({ canonicalId: 'upper(x)' })).toThrow(/register\.canonicalId is not SQL reading \{value\} or \{digits\} \(found "upper\(x\)"\)/);
      expect(await attempt({}, 'ee-other')).toThrow(/id "ee-rik" is not its folder's name "ee-other"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives every source real https URLs, a licence, an attribution and a sane skip budget', () => {
    for (const s of SOURCES) {
      expect(s.licence.length, s.id).toBeGreaterThan(10);
      expect(s.attribution.length, s.id).toBeGreaterThan(10);
      expect(s.skipBudget).toBeGreaterThan(0);
      expect(s.skipBudget).toBeLessThan(0.05);
      expect(s.expectedRecords.min).toBeLessThan(s.expectedRecords.max);
      for (const f of s.files) {
        expect(f.url, s.id).toMatch(/^https:\/\/[a-z0-9.-]+\//);
        if (f.md5Url !== undefined) expect(f.md5Url).toBe(`${f.url}.md5`);
        // A file lands under its own name; zipped ones come out of the zip the URL names, and a
        // register's gzip endpoint (Brønnøysund's) names no file; a download script may name it in its query (Lithuania's).
        if (f.archive === undefined && !(s.kind === 'register' && f.gzip)) expect(f.url.endsWith(`/${f.name}`) || f.url.endsWith(`=${f.name}`), `${s.id} ${f.name}`).toBe(true);
      }
    }
  });

  it('maps every file to the generated world, whose files (concatenated) read in the source\'s format', async () => {
    for (const s of SOURCES) {
      for (const template of s.files) {
        const f = fileForSnapshot(template, '2026-11-01');
        const parts = await Promise.all(f.world.map((w) => readFile(new URL(w, SAMPLES))));
        const text = () => chunksOfStream(Readable.from([Buffer.concat(parts)]), f.gzip, s.encoding === 'latin1' ? 'latin1' : 'utf8');
        let records = 0;
        if (s.format === 'delegated') {
          for await (const e of readDelegated(linesOfChunks(text()), f.name)) if (e.kind === 'record') records++;
        } else if (s.format === 'rpsl') {
          for await (const e of readRpsl(text(), { inetnum: [], inet6num: [], organisation: [], 'aut-num': [] })) if (e.kind === 'object') records++;
        } else if (s.format === 'ip-location-db-asn') {
          for await (const e of readRouting(linesOfChunks(text()), f.name)) if (e.kind === 'range') records++;
        } else {
          let lines = 0;
          for await (const batch of linesOfChunks(text())) lines += batch.length;
          records = lines - 1; // a header line, then records (some tables, like KBO's branch.csv, hold a handful)
        }
        // A KBO update set may change nothing in a table: its files then hold only the header.
        const least = s.format !== 'csv' ? 11 : f.name.startsWith('update/') ? 0 : 1;
        expect(records, `${s.id} ${f.name}`).toBeGreaterThanOrEqual(least);
      }
    }
  });
});
