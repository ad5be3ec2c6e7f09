import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressKey } from '../ip/address.js';
import { openStore } from '../store/open-store.js';
import type { ObjectStore } from '../store/store.js';
import { openDuckDb, queryRows } from '../../test/support/duckdb.js';
import { testS3Config } from '../../test/support/test-stores.js';
import { partKey, writeParquet, type Row } from './parquet.js';
import { listAll } from '../store/store.js';
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
    const written = await writeParquet(store, 'tables/probe/source=test/snapshot=2026-11-01', TABLE, rows);
    expect(written.rows).toBe(4);
    expect(written.parts.map((p) => p.key)).toEqual(['tables/probe/source=test/snapshot=2026-11-01/part-00000.parquet']);
    const path = join(dir, 'lake', written.parts[0]!.key);
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
    const a = await writeParquet(store, 'a', TABLE, rows, { partRows: 300 });
    const b = await writeParquet(store, 'b', TABLE, rows, { partRows: 300 });
    expect(a.parts.map((p) => p.sha256)).toEqual(b.parts.map((p) => p.sha256));
  });

  it('writes a table with no rows as an empty file with every column', async () => {
    const written = await writeParquet(store, 'empty', TABLE, []);
    expect(written.rows).toBe(0);
    const duck = await openDuckDb();
    const path = join(dir, 'lake', partKey('empty', 0));
    expect(await queryRows(duck, `SELECT count(*) AS n FROM read_parquet('${path}')`)).toEqual([{ n: 0 }]);
    const columns = await queryRows(duck, `DESCRIBE SELECT * FROM read_parquet('${path}')`);
    expect(columns.map((c) => [c['column_name'], c['column_type']])).toEqual(TABLE.columns.map((c) => [c.name, c.type]));
    duck.closeSync();
  });

  it('refuses a row with the wrong number of values, naming the table', async () => {
    await expect(writeParquet(store, 'c', TABLE, [['only one']])).rejects.toThrow('probe: a row has 1 values for 6 columns');
  });

  it('splits a large table into part files of whole row groups, in row order, and a rewrite leaves no stale part', async () => {
    const rows = (n: number): Row[] => Array.from({ length: n }, (_, i) => [`row ${i}`, i, i % 100, addressKey(4, i), [], null]);
    const written = await writeParquet(store, 'parts', TABLE, rows(2500), { partRows: 1000 });
    expect(written.parts.map((p) => [p.key, p.rows])).toEqual([
      ['parts/part-00000.parquet', 1000],
      ['parts/part-00001.parquet', 1000],
      ['parts/part-00002.parquet', 500],
    ]);
    const duck = await openDuckDb();
    const back = await queryRows(duck, `SELECT min(number) AS lo, max(number) AS hi, count(*) AS n FROM read_parquet('${join(dir, 'lake', 'parts', '*.parquet')}', filename = true) GROUP BY filename ORDER BY filename`);
    expect(back).toEqual([
      { lo: 0, hi: 999, n: 1000 },
      { lo: 1000, hi: 1999, n: 1000 },
      { lo: 2000, hi: 2499, n: 500 },
    ]);
    duck.closeSync();
    // Fewer rows the second time: the third part of the first write must go.
    await writeParquet(store, 'parts', TABLE, rows(1500), { partRows: 1000 });
    const keys: string[] = [];
    for await (const o of listAll(store, 'parts/')) keys.push(o.key);
    expect(keys).toEqual(['parts/part-00000.parquet', 'parts/part-00001.parquet']);
  });

  it('fails, writing nothing, when a part cannot be converted', async () => {
    const bad: Row[] = [...Array.from({ length: 5 }, (_, i): Row => [`ok ${i}`, i, 1, null, null, null]), ['bad', 1, 300, null, null, null]];
    await expect(writeParquet(store, 'bad', TABLE, bad, { partRows: 2 })).rejects.toThrow(/300/);
    const keys: string[] = [];
    for await (const o of listAll(store, 'bad/')) keys.push(o.key);
    expect(keys).toEqual([]);
  });
});
