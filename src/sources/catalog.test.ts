import { readdir, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readDelegated } from '../formats/delegated.js';
import { readRpsl } from '../formats/rpsl.js';
import { chunksOfStream, linesOfChunks } from '../formats/lines.js';
import { fileForSnapshot, SOURCES, sourceById } from './catalog.js';

const SAMPLES = new URL('../../data-samples/', import.meta.url);

describe('the source catalogue', () => {
  it('lists every source folder once, under its own id', async () => {
    const folders = (await readdir(new URL('.', import.meta.url), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(SOURCES.map((s) => s.id).sort()).toEqual(folders.sort());
    expect(() => sourceById('nope')).toThrow('unknown source "nope" (known: ripencc-delegated, ');
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
        // A file lands under its own name; zipped ones come out of the zip the URL names.
        if (s.kind === 'ip-allocation') expect(f.url.endsWith(f.name)).toBe(true);
        else expect(f.archive !== undefined || f.gzip, `${s.id} ${f.name}`).toBe(true);
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
