/**
 * Landing source files in the lake: `raw/<source>/<snapshot>/<file>` beside `<file>.meta.json`
 * (url, etag, last-modified, sha256, md5, bytes, fetched_at, the checks passed). The meta is written
 * last, so a file without one was never completed. An unchanged file is not stored again: its meta
 * names the earlier object holding the same bytes.
 */
import type { ObjectStore } from '../store/store.js';
import { rawKey, rawSourcePrefix } from '../lake/paths.js';

/** What the lake knows of one landed file. */
export interface RawMeta {
  source: string;
  file: string;
  snapshot: string;
  url: string;
  etag: string | undefined;
  lastModified: string | undefined;
  sha256: string;
  md5: string;
  bytes: number;
  fetchedAt: string;
  /** The checks the bytes passed: content-length, gzip, md5, zip-crc. */
  verified: string[];
  /** When the publisher ships the file in a zip: the member taken, and the zip's own digest and size. */
  archive?: { member: string; sha256: string; bytes: number };
  /** The key that holds the bytes (this snapshot's own key, or an earlier one when the source was unchanged). */
  objectKey: string;
}


/** The key of a raw file's meta. */
export function metaKey(source: string, snapshot: string, file: string): string {
  return `${rawKey(source, snapshot, file)}.meta.json`;
}

/** The meta of a file in one snapshot, if it landed completely. */
export async function readMeta(store: ObjectStore, source: string, snapshot: string, file: string): Promise<RawMeta | undefined> {
  const key = metaKey(source, snapshot, file);
  if ((await store.head(key)) === undefined) return undefined;
  return JSON.parse((await store.getBytes(key)).toString('utf8')) as RawMeta;
}

/** The newest meta of `file` from a snapshot before `snapshot`, for conditional requests. */
export async function latestMetaBefore(store: ObjectStore, source: string, snapshot: string, file: string): Promise<RawMeta | undefined> {
  const snapshots: string[] = [];
  let token: string | undefined;
  do {
    const page = await store.listPage(rawSourcePrefix(source), { delimiter: '/', continuationToken: token });
    snapshots.push(...page.prefixes.map((p) => p.slice(rawSourcePrefix(source).length, -1)));
    token = page.nextContinuationToken;
  } while (token !== undefined);
  for (const earlier of snapshots.filter((s) => s < snapshot).sort().reverse()) {
    const meta = await readMeta(store, source, earlier, file);
    if (meta !== undefined) return meta;
  }
  return undefined;
}
