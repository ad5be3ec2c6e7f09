/** A table's Parquet files for one snapshot, where DuckDB can read them. */
import { join } from 'node:path';
import { IpregError } from '../errors.js';
import { localFile } from '../store/local-file.js';
import { listAll, type ObjectStore } from '../store/store.js';
import { snapshotSegment, tablePrefix } from './paths.js';

/** A Parquet object of the store and the local file that holds it. */
export interface SnapshotObject {
  key: string;
  path: string;
  bytes: number;
}

/**
 * The Parquet objects of `table` for `snapshot` with a local file each (hive paths kept): in place on
 * a local store, else copied into `dir`. Fails naming the pipeline to run when there are none.
 */
export async function snapshotObjects(store: ObjectStore, table: string, snapshot: string, dir: string, producer: string): Promise<SnapshotObject[]> {
  const objects: SnapshotObject[] = [];
  for await (const o of listAll(store, tablePrefix(table))) {
    if (!o.key.endsWith('.parquet') || !o.key.includes(snapshotSegment(snapshot))) continue;
    objects.push({ key: o.key, path: await localFile(store, o.key, join(dir, o.key)), bytes: o.sizeBytes });
  }
  if (objects.length === 0) throw new IpregError('USAGE', `no ${table} for snapshot ${snapshot} in the store: run \`ipreg run ${producer} --snapshot ${snapshot}\` first`);
  return objects;
}

/** The local files of snapshotObjects. */
export async function snapshotFiles(store: ObjectStore, table: string, snapshot: string, dir: string, producer: string): Promise<string[]> {
  return (await snapshotObjects(store, table, snapshot, dir, producer)).map((o) => o.path);
}
