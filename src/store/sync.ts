/**
 * Copies a lake, or the part of it below a prefix, from one store to another — S3 to a laptop for
 * DuckDB, or a backup back — incrementally: an object whose source ETag and size are those of the
 * last copy, and whose copy is still there as written, is not copied again. Each copied object is
 * read back from the destination and its sha256 compared with the source bytes'. What was copied is
 * kept in the destination (`state/sync/<source>.json`), saved as the sync goes, so an interrupted
 * sync resumes where it stopped.
 */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { IpregError } from '../errors.js';
import type { Logger } from '../log.js';
import { listAll, type ObjectStore } from './store.js';
import { LAKE_PREFIXES, SYNC_STATE_PREFIX } from '../lake/paths.js';

/** What the last sync from a source copied: per key, the source's ETag and size, the copy's ETag. */
interface SyncState {
  from: string;
  objects: Record<string, { sourceEtag: string; bytes: number; copyEtag: string; sha256: string }>;
}

/** Prefixes never copied: the source's leases and schedule claims belong to its runners, not the copy's. */
export const NOT_SYNCED = [LAKE_PREFIXES.locks, LAKE_PREFIXES.schedule, SYNC_STATE_PREFIX] as const;

export interface SyncResult {
  copied: number;
  copiedBytes: number;
  unchanged: number;
  /** Objects in the destination below the prefix that the source does not have (left alone). */
  extra: number;
}

/** The key of the sync state for a source, in the destination. */
export function syncStateKey(from: ObjectStore): string {
  return `${SYNC_STATE_PREFIX}${createHash('sha256').update(from.url).digest('hex').slice(0, 16)}.json`;
}

async function sha256Of(store: ObjectStore, key: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of await store.get(key)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Copies every object below `prefix` of `from` to `to` that changed since the last sync, verifying each. */
export async function syncStores(from: ObjectStore, to: ObjectStore, prefix: string, log: Logger, options: { saveEvery?: number } = {}): Promise<SyncResult> {
  const stateKey = syncStateKey(from);
  const state: SyncState = (await to.head(stateKey)) === undefined ? { from: from.url, objects: {} } : (JSON.parse((await to.getBytes(stateKey)).toString('utf8')) as SyncState);
  const save = () => to.put(stateKey, `${JSON.stringify(state)}\n`);
  const result: SyncResult = { copied: 0, copiedBytes: 0, unchanged: 0, extra: 0 };
  const seen = new Set<string>();
  let sinceSave = 0;
  for await (const object of listAll(from, prefix)) {
    if (NOT_SYNCED.some((p) => object.key.startsWith(p))) continue;
    seen.add(object.key);
    const last = state.objects[object.key];
    const copy = await to.head(object.key);
    if (last !== undefined && copy !== undefined && last.sourceEtag === object.etag && last.bytes === object.sizeBytes && copy.etag === last.copyEtag && copy.sizeBytes === object.sizeBytes) {
      result.unchanged++;
      continue;
    }
    // The bytes are hashed on their way to the destination, then read back and hashed again.
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, next) {
        hash.update(chunk);
        next(null, chunk);
      },
    });
    const body = await from.get(object.key);
    body.on('error', (err) => hashing.destroy(err));
    await to.put(object.key, body.pipe(hashing));
    const sent = hash.digest('hex');
    const stored = await sha256Of(to, object.key);
    if (stored.sha256 !== sent || stored.bytes !== object.sizeBytes) {
      throw new IpregError('STORE_IO', `sync: ${object.key} arrived different from what was read (${stored.bytes} bytes, sha256 ${stored.sha256.slice(0, 16)}…; sent ${object.sizeBytes} bytes, ${sent.slice(0, 16)}…): run the sync again`, { key: object.key });
    }
    const head = await to.head(object.key);
    state.objects[object.key] = { sourceEtag: object.etag, bytes: object.sizeBytes, copyEtag: head?.etag ?? '', sha256: sent };
    result.copied++;
    result.copiedBytes += object.sizeBytes;
    log.debug({ key: object.key, bytes: object.sizeBytes }, 'copied');
    if (++sinceSave >= (options.saveEvery ?? 50)) {
      await save();
      sinceSave = 0;
    }
  }
  for await (const object of listAll(to, prefix)) if (!seen.has(object.key) && !NOT_SYNCED.some((p) => object.key.startsWith(p)) && object.key !== stateKey) result.extra++;
  await save();
  return result;
}
