/** Fingerprints of what steps read: raw files by their sha256, lake objects by ETag and size. */
import { readMeta } from '../fetch/raw-files.js';
import type { SourceMeta } from '../sources/catalog.js';
import { listAll, type ObjectStore } from '../store/store.js';
import type { Fingerprint } from './memo.js';
import { snapshotSegment, tablePrefix } from '../lake/paths.js';

/** The raw files of `sources` for the snapshot by their sha256; undefined when one is not in raw/ (the step then fails, saying so). */
export async function rawFingerprint(store: ObjectStore, sources: readonly SourceMeta[], snapshot: string): Promise<Fingerprint | undefined> {
  const fingerprint: Fingerprint = {};
  for (const source of sources) {
    for (const file of source.files) {
      const meta = await readMeta(store, source.id, snapshot, file.name);
      if (meta === undefined) return undefined;
      fingerprint[meta.objectKey] = `sha256:${meta.sha256}`;
    }
  }
  return fingerprint;
}

/** The Parquet objects of `table` for the snapshot (below `under`, a partition such as `register=gleif/`), by ETag and size. */
export async function lakeFingerprint(store: ObjectStore, table: string, snapshot: string, under = ''): Promise<Fingerprint> {
  const fingerprint: Fingerprint = {};
  for await (const o of listAll(store, `${tablePrefix(table)}${under}`)) {
    if (o.key.endsWith('.parquet') && o.key.includes(snapshotSegment(snapshot))) fingerprint[o.key] = `${o.etag} ${o.sizeBytes}`;
  }
  return fingerprint;
}

/** One object by ETag and size, or "absent". */
export async function objectFingerprint(store: ObjectStore, key: string): Promise<Fingerprint> {
  const info = await store.head(key);
  return { [key]: info === undefined ? 'absent' : `${info.etag} ${info.sizeBytes}` };
}
