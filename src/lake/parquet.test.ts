import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressKey } from '../ip/address.js';
import { openStore } from '../store/open-store.js';
import type { ObjectStore } from '../store/store.js';
import { openDuckDb, queryRows } from '../../test/support/duckdb.js';
import { testS3Config } from '../../test/support/test-stores.js';
import { writeParquet, type Row } from './parquet.js';
import type { TableSchema } from './table-schema.js';

const TABLE: TableSchema = {
  name: 'probe',
  description: 'every column type',
  columns: [
    { name: 'text', type: 'VARCHAR', description: 'text' },
    { name: 'number', type: 'BIGINT', description: 'a big number' },
    { name: 'small', type: 'TINYINT', description: 'a small one' },
    { name: 'key', type: 'BLOB', description: 'bytes' },
    { name: 'lines', type: 'VARCHAR[]', description: 'a list' },
    { name: 'day', type: 'DATE', description: 'a date' },
  ],
  partitions: [],
};

let dir: string;
let store: ObjectStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipreg-parquet-test-'));
  store = openStore(join(dir, 'lake'), testS3Config());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeParquet', () => {
  it('writes every type, nulls, empty strings and awkward text exactly, as zstd Parquet that DuckDB reads back', async () => {
    const rows: Row[] = [
      ['Société "Générale", Paris\nline two', 2n ** 40n, 4, addressKey(4, 3232235777), ['first, with comma', 'sec"ond', ''], '2026-11-01'],
      ['', 0, 6, addressKey(6, (1n << 128n) - 1n), [], null],
      [null, null, null, null, null, null],
      ['back\\slash', -1, 4, Buffer.alloc(0), ['ü'], '1970-01-01'],
    ];
    const written = await writeParquet(store, 'tables/probe/source=test/snapshot=2026-11-01/part-00000.parquet', TABLE, rows);
    expect(written.rows).toBe(4);
    const path = join(dir, 'lake', written.key);
    const duck = await openDuckDb();
    const back = await queryRows(duck, `SELECT text, number, small, hex(key) AS key, lines, CAST(day AS VARCHAR) AS day FROM read_parquet('${path}')`);
    expect(back).toEqual([
      { text: 'Société "Générale", Paris\nline two', number: 2 ** 40, small: 4, key: addressKey(4, 3232235777).toString('hex').toUpperCase(), lines: ['first, with comma', 'sec"ond', ''], day: '2026-11-01' },
      { text: '', number: 0, small: 6, key: 'F'.repeat(32), lines: [], day: null },
      { text: null, number: null, small: null, key: null, lines: null, day: null },
      { text: 'back\\slash', number: -1, small: 4, key: '', lines: ['ü'], day: '1970-01-01' },
    ]);
    const meta = await queryRows(duck, `SELECT DISTINCT compression FROM parquet_metadata('${path}')`);
    expect(meta.map((m) => m['compression'])).toEqual(['ZSTD']);
    const schema = await queryRows(duck, `SELECT name, type FROM parquet_schema('${path}') WHERE name IN ('number', 'key', 'day')`);
    expect(schema.map((s) => s['type'])).toEqual(['INT64', 'BYTE_ARRAY', 'INT32']);
    duck.closeSync();
  });

  it('gives the same bytes for the same rows', async () => {
    const rows: Row[] = Array.from({ length: 1000 }, (_, i) => [`row ${i}`, i, i % 100, addressKey(4, i), [String(i)], '2026-01-01']);
    const a = await writeParquet(store, 'a.parquet', TABLE, rows);
    const b = await writeParquet(store, 'b.parquet', TABLE, rows);
    expect(a.sha256).toBe(b.sha256);
  });

  it('writes a table with no rows as an empty file with every column', async () => {
    const written = await writeParquet(store, 'empty.parquet', TABLE, []);
    expect(written.rows).toBe(0);
    const duck = await openDuckDb();
    const path = join(dir, 'lake', 'empty.parquet');
    expect(await queryRows(duck, `SELECT count(*) AS n FROM read_parquet('${path}')`)).toEqual([{ n: 0 }]);
    const columns = await queryRows(duck, `DESCRIBE SELECT * FROM read_parquet('${path}')`);
    expect(columns.map((c) => [c['column_name'], c['column_type']])).toEqual(TABLE.columns.map((c) => [c.name, c.type]));
    duck.closeSync();
  });

  it('refuses a row with the wrong number of values, naming the table', async () => {
    await expect(writeParquet(store, 'c.parquet', TABLE, [['only one']])).rejects.toThrow('probe: a row has 1 values for 6 columns');
  });
});
