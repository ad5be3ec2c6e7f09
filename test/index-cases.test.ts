import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../src/index-file/crc32.js';
import { FIRST_LEVEL_HEAD } from '../src/index-file/layout.js';
import { IndexFileError, openIndex } from '../src/index-file/read.js';
import { verifyIndex } from '../src/index-file/verify.js';
import { corruptCases, goodFile, SOURCE } from './index-cases/cases.js';

const folder = new URL('index-cases/', import.meta.url);

describe('index test cases', () => {
  it('good.idx is current (regenerate with `npm run index-cases`) and answers as source.json says', async () => {
    const good = await readFile(new URL('good.idx', folder));
    expect(good.equals(goodFile())).toBe(true);
    const { reader } = verifyIndex(good);
    for (const { ip, record } of SOURCE.lookups) {
      const want = record === null ? undefined : SOURCE.records[record];
      const got = reader.lookup(ip);
      expect({ ip, class: got?.class, company: got?.company?.name ?? null }).toEqual({ ip, class: want?.class, company: want?.company?.name ?? null });
    }
    expect(reader.meta().buildId).toBe(SOURCE.buildId);
    expect(reader.lookup(SOURCE.lookups.find((l) => l.record === 'acme')?.ip as string)?.company).toMatchObject({ city: 'Leeds', industry: { scheme: 'SIC2007', codes: ['49410', '52290'] }, website: 'https://acme-logistics.example' });
    for (const name of ['acme', 'pool', 'hoster']) {
      const got = reader.lookup(SOURCE.lookups.find((l) => l.record === name)?.ip as string);
      expect({ name, asn: got?.asn, asName: got?.asName }).toEqual({ name, asn: SOURCE.records[name]?.asn ?? null, asName: SOURCE.records[name]?.asName ?? null });
    }
  });

  it.each([
    { file: 'good-1.0.idx', minor: 0, company: { city: null, industry: null, website: null } },
    { file: 'good-1.1.idx', minor: 1, company: { city: 'Leeds' } },
  ])('reads $file, kept as minor version 1.$minor wrote it: what later minors added reads as empty, and no answer has a network', async ({ file, minor, company }) => {
    const old = await readFile(new URL(file, folder));
    expect(old.readUInt16LE(10)).toBe(minor);
    const { reader } = verifyIndex(old);
    for (const { ip, record } of SOURCE.lookups) {
      const want = record === null ? undefined : SOURCE.records[record];
      const got = reader.lookup(ip);
      expect({ ip, class: got?.class, company: got?.company?.name ?? null }).toEqual({ ip, class: want?.class, company: want?.company?.name ?? null });
      if (got !== undefined) expect({ ip, asn: got.asn, asName: got.asName }).toEqual({ ip, asn: null, asName: null });
      if (got?.company != null) expect(got.company).toMatchObject(company);
    }
  });

  it('every corrupt file is rejected with its named error, before any lookup', async () => {
    const expected = JSON.parse(await readFile(new URL('corrupt/expected.json', folder), 'utf8')) as Record<string, string>;
    const files = (await readdir(new URL('corrupt/', folder))).filter((f) => f.endsWith('.idx'));
    expect(files.map((f) => f.replace(/\.idx$/, '')).sort()).toEqual(Object.keys(expected).sort());
    expect(Object.keys(expected).sort()).toEqual(corruptCases().map((c) => c.name).sort());
    for (const file of files) {
      const bytes = await readFile(new URL(`corrupt/${file}`, folder));
      let error: unknown;
      try {
        openIndex(bytes);
      } catch (err) {
        error = err;
      }
      expect(error, file).toBeInstanceOf(IndexFileError);
      expect({ file, code: (error as IndexFileError).code }).toEqual({ file, code: expected[file.replace(/\.idx$/, '')] });
    }
  });

  it('says what is wrong and where', () => {
    const cases = new Map(corruptCases().map((c) => [c.name, c.bytes]));
    const message = (name: string) => {
      try {
        openIndex(cases.get(name) as Buffer);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(message('bad-magic')).toBe('magic is "XPREGIDX", not "IPREGIDX": not an ipreg index file');
    expect(message('future-major')).toBe('format version 2.2 is not supported: this reader reads major version 1');
    expect(message('flipped-v4.records')).toMatch(/^v4\.records: CRC-32 0x[0-9a-f]{8} differs from the section table's 0x[0-9a-f]{8} \(offset \d+, \d+ bytes\)$/);
    expect(message('truncated-at-string.bytes')).toMatch(/^file has \d+ bytes, fewer than the \d+ its header gives: truncated$/);
    expect(message('appended-byte')).toMatch(/^file has (\d+) bytes, more than the \d+ its header gives$/);
  });

  it('verify names a broken invariant the checksums cannot see (a writer bug)', () => {
    // Unsorted starts with valid CRC-32s: rebuild the checksums after swapping two starts.
    const good = goodFile();
    const reader = openIndex(good);
    const starts = reader.sections().v4Starts;
    const at = starts.byteOffset - good.byteOffset;
    const broken = Buffer.from(good);
    broken.writeUInt32LE(starts[2] as number, at + 4);
    broken.writeUInt32LE(starts[1] as number, at + 8);
    expect(() => verifyIndex(resealed(broken))).toThrow('v4.starts: start 2 is not above start 1');
  });

  it('verify names an AS name on a record without an AS number', () => {
    const good = goodFile();
    const reader = openIndex(good);
    const asns = reader.sections().recordAsn;
    const named = [...asns].findIndex((asn) => asn !== 0);
    expect(named).toBeGreaterThanOrEqual(0);
    const broken = Buffer.from(good);
    broken.writeUInt32LE(0, asns.byteOffset - good.byteOffset + 4 * named);
    expect(() => verifyIndex(resealed(broken))).toThrow(`record.as-name: record ${named} has an AS name but no AS number`);
  });

  it('verify names IPv6 starts out of order (second words swapped) and a first-level entry that miscounts', () => {
    const good = goodFile();
    const s = openIndex(good).sections();
    const words = s.v6SecondWords;
    const i = [...words].findIndex((w, j) => j > 0 && w > (words[j - 1] as number));
    const at = words.byteOffset - good.byteOffset;
    const unsorted = Buffer.from(good);
    unsorted.writeUInt32LE(words[i] as number, at + 4 * (i - 1));
    unsorted.writeUInt32LE(words[i - 1] as number, at + 4 * i);
    expect(() => verifyIndex(resealed(unsorted))).toThrow(`v6.starts: start ${i} is not above start ${i - 1}`);

    const table = s.v4FirstLevel;
    const entry = table[FIRST_LEVEL_HEAD + 1] as number;
    const miscounted = Buffer.from(good);
    miscounted.writeUInt32LE(entry + 1, table.byteOffset - good.byteOffset + 4 * (FIRST_LEVEL_HEAD + 1));
    expect(() => verifyIndex(resealed(miscounted))).toThrow(`v4.first-level: entry 1 is ${entry + 1}, but ${entry} starts lie below its bucket`);
  });

  it('verify names a record whose string offset points inside a string, not at one', () => {
    const good = goodFile();
    const column = openIndex(good).sections().recordStrings[1] as Uint8Array | Uint16Array | Uint32Array;
    const record = [...column].findIndex((offset) => offset !== 0);
    const at = column.byteOffset - good.byteOffset + record * column.BYTES_PER_ELEMENT;
    const broken = Buffer.from(good);
    broken.writeUIntLE((column[record] as number) + 1, at, column.BYTES_PER_ELEMENT);
    expect(() => verifyIndex(resealed(broken))).toThrow(`record.company-name: record ${record} has string offset ${(column[record] as number) + 1}, where no string entry starts`);
  });
});

/** The file with its section and header CRC-32s recomputed. */
function resealed(file: Buffer): Buffer {
  const count = file.readUInt32LE(16);
  for (let i = 0; i < count; i++) {
    const at = 64 + i * 32;
    const offset = Number(file.readBigUInt64LE(at + 8));
    const length = Number(file.readBigUInt64LE(at + 16));
    file.writeUInt32LE(crc32(file.subarray(offset, offset + length)), at + 24);
  }
  file.writeUInt32LE(0, 32);
  file.writeUInt32LE(crc32(file.subarray(0, file.readUInt32LE(12))), 32);
  return file;
}
