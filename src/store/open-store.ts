/**
 * Chooses the store implementation from the location's scheme: a plain path or file:// URL is a
 * local folder, s3://bucket/prefix is S3.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Config } from '../config.js';
import { IpregError } from '../errors.js';
import { openLocalStore } from './local-store.js';
import { S3Store } from './s3-store.js';
import type { ObjectStore } from './store.js';

/** Opens the store at `location`; S3 stores use `s3` for endpoint, credentials and transfer settings. */
export function openStore(location: string, s3: S3Config): ObjectStore {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
  if (scheme === 's3') return new S3Store(location, s3);
  if (scheme === 'file') return openLocalStore(location, fileURLToPath(location));
  if (scheme === undefined) return openLocalStore(location, resolve(location));
  throw new IpregError('STORE_URL_INVALID', `unknown store scheme "${scheme}://" in ${JSON.stringify(location)}`);
}
