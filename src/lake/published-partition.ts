/**
 * What the lake holds of a table's partition for earlier snapshots: the partition of the same table
 * and source (register, RIR…) last published before a snapshot, and its rows, counted from the
 * Parquet footers of its part files (two ranged reads a part, never the file). The lake is the
 * truth here, not a run record: whichever pipeline wrote the partition, and whether or not its run
 * went on to succeed, it is what analysts and the index read.
 */
import { parquetMetadataAsync } from 'hyparquet';
import { IpregError } from '../errors.js';
import { listAll, type ObjectStore } from '../store/store.js';

/** One partition a step is about to publish: its folder (`tables/<table>/…/snapshot=<snapshot>`) and its rows. */
export interface PartitionRows {
  folder: string;
  rows: number;
}

/** The partition last published before a snapshot. */
export interface PublishedPartition {
  folder: string;
  snapshot: string;
  rows: number;
}

const SNAPSHOT_TAIL = /\/snapshot=(\d{4}-\d{2}-\d{2})$/;

/** The rows of one Parquet object, from its footer. */
export async function parquetRows(store: ObjectStore, key: string, size: number): Promise<number> {
  try {
    const metadata = await parquetMetadataAsync({
      byteLength: size,
      slice: async (start, end) => {
        const bytes = await store.getRange(key, start, end ?? size);
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
      },
    });
    return Number(metadata.num_rows);
  } catch (err) {
    throw new IpregError('STORE_IO', `${key}: its Parquet footer cannot be read (${(err as Error).message})`, { key }, { cause: err });
  }
}

/**
 * The partition beside `folder` (same table, same partition values but the snapshot) with the
 * latest snapshot before `folder`'s, and its rows; undefined when the lake has none with a part file.
 */
export async function lastPublishedBefore(store: ObjectStore, folder: string): Promise<PublishedPartition | undefined> {
  const tail = SNAPSHOT_TAIL.exec(folder);
  if (tail === null) throw new IpregError('USAGE', `${folder} is not a snapshot partition (…/snapshot=YYYY-MM-DD)`);
  const snapshot = tail[1] as string;
  const parent = folder.slice(0, tail.index + 1);
  const parts = new Map<string, { key: string; size: number }[]>();
  for await (const o of listAll(store, parent)) {
    const m = /^snapshot=(\d{4}-\d{2}-\d{2})\/part-\d{5}\.parquet$/.exec(o.key.slice(parent.length));
    if (m === null || (m[1] as string) >= snapshot) continue;
    const list = parts.get(m[1] as string) ?? [];
    list.push({ key: o.key, size: o.sizeBytes });
    parts.set(m[1] as string, list);
  }
  const latest = [...parts.keys()].sort().at(-1);
  if (latest === undefined) return undefined;
  let rows = 0;
  for (const p of parts.get(latest) ?? []) rows += await parquetRows(store, p.key, p.size);
  return { folder: `${parent}snapshot=${latest}`, snapshot: latest, rows };
}
