/** An object of the store as a file on this machine, for readers (DuckDB) that need a path. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PassThrough, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from './store.js';

/**
 * The file holding `key`: in place on a local store (objects are written whole, by rename), else
 * copied to `copyTo` (through `meter`, to report progress).
 */
export async function localFile(store: ObjectStore, key: string, copyTo: string, meter: Transform = new PassThrough()): Promise<string> {
  const inPlace = store.localPath?.(key);
  if (inPlace !== undefined) return inPlace;
  await mkdir(dirname(copyTo), { recursive: true });
  await pipeline(await store.get(key), meter, createWriteStream(copyTo));
  return copyTo;
}
