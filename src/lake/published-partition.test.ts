import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLocalStore, makeS3Store, type TestStore } from '../../test/support/test-stores.js';
import { writeParquet, type Row } from './parquet.js';
import { lastPublishedBefore } from './published-partition.js';
import type { TableSchema } from './table-schema.js';

const TABLE: TableSchema = { name: 'probe', description: 'a probe', columns: [{ name: 'n', type: 'BIGINT', description: 'a number' }], partitions: [] };
const rows = (n: number): Row[] => Array.from({ length: n }, (_, i) => [i]);
const folder = (source: string, snapshot: string) => `tables/probe/source=${source}/snapshot=${snapshot}`;

describe.each([
  { name: 'local folder', make: makeLocalStore },
  { name: 's3', make: () => makeS3Store() },
])('the partition last published before a snapshot, in a $name store', ({ make }) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await make();
    await writeParquet(t.store, folder('a', '2026-10-30'), TABLE, rows(50));
    // Three part files: their footers' rows add up.
    await writeParquet(t.store, folder('a', '2026-10-31'), TABLE, rows(700), { partRows: 300 });
    await writeParquet(t.store, folder('a', '2026-11-02'), TABLE, rows(9));
    await writeParquet(t.store, folder('b', '2026-10-01'), TABLE, rows(5));
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('is the latest earlier snapshot of the same source, its rows counted from the Parquet footers', async () => {
    expect(await lastPublishedBefore(t.store, folder('a', '2026-11-02'))).toEqual({ folder: folder('a', '2026-10-31'), snapshot: '2026-10-31', rows: 700 });
    expect(await lastPublishedBefore(t.store, folder('a', '2026-11-01'))).toEqual({ folder: folder('a', '2026-10-31'), snapshot: '2026-10-31', rows: 700 });
    expect(await lastPublishedBefore(t.store, folder('a', '2026-10-31'))).toEqual({ folder: folder('a', '2026-10-30'), snapshot: '2026-10-30', rows: 50 });
    expect(await lastPublishedBefore(t.store, folder('b', '2026-11-02'))).toEqual({ folder: folder('b', '2026-10-01'), snapshot: '2026-10-01', rows: 5 });
  });

  it('is none for the first snapshot, a new source, or a table the lake does not have', async () => {
    expect(await lastPublishedBefore(t.store, folder('a', '2026-10-30'))).toBeUndefined();
    expect(await lastPublishedBefore(t.store, folder('c', '2026-11-02'))).toBeUndefined();
    expect(await lastPublishedBefore(t.store, 'tables/nothing/snapshot=2026-11-02')).toBeUndefined();
  });

  it('names a part file whose footer cannot be read, and refuses a folder that is no snapshot partition', async () => {
    await t.store.put(`${folder('d', '2026-10-01')}/part-00000.parquet`, 'not parquet at all');
    await expect(lastPublishedBefore(t.store, folder('d', '2026-11-01'))).rejects.toThrow(`${folder('d', '2026-10-01')}/part-00000.parquet: its Parquet footer cannot be read`);
    await expect(lastPublishedBefore(t.store, 'tables/probe/source=a')).rejects.toThrow('is not a snapshot partition');
  });
});
