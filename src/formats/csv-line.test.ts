import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minimallyQuoted } from '../output-file.js';
import { readCsvHeader } from '../registers/csv.js';
import { splitCsvLine } from './csv-line.js';

describe('a CSV line', () => {
  it('splits back into the fields it was written from, delimiters and quotes inside included (property)', () => {
    const field = fc.string({ maxLength: 12 }).filter((f) => !/[\r\n]/.test(f));
    fc.assert(fc.property(fc.constantFrom(',', ';'), fc.array(field, { minLength: 1, maxLength: 6 }), (delimiter, fields) => {
      expect(splitCsvLine(fields.map((f) => minimallyQuoted(f, delimiter)).join(delimiter), delimiter)).toEqual(fields);
    }));
  });

  it('refuses a quoted field that is not closed; a header with one fails naming the file', async () => {
    expect(() => splitCsvLine('a,"b,c')).toThrow('a quoted field is not closed');
    const dir = await mkdtemp(join(tmpdir(), 'ipreg-csv-'));
    try {
      await writeFile(join(dir, 'x.csv'), '"CompanyName, CompanyNumber\n1,2\n');
      await expect(readCsvHeader(join(dir, 'x.csv'), { delimiter: ',' })).rejects.toThrow(`${join(dir, 'x.csv')} line 1 (the header): a quoted field is not closed`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
