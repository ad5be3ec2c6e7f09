/**
 * The object store: the one interface through which ipreg reads and writes a lake, whether the
 * lake is a local folder or an S3 bucket. Keys are `/`-separated relative paths.
 */
import type { Readable } from 'node:stream';
import { IpregError } from '../errors.js';

/** What a store knows about one object. */
export interface ObjectInfo {
  key: string;
  sizeBytes: number;
  /** Opaque version tag; changes whenever the object is replaced. Use it for put-if-match. */
  etag: string;
  lastModified: Date;
}

/** The body of a put: bytes in memory, text (UTF-8), or a stream read to its end. */
export type PutBody = Uint8Array | string | Readable;

/** The body of a conditional put: small objects only (pointers, locks, manifests). */
export type SmallBody = Uint8Array | string;

/** The result of a successful put. */
export interface PutResult {
  etag: string;
}

/** Options of one page of a listing. */
export interface ListOptions {
  /** With "/": keys below the next "/" after the prefix are rolled up into `prefixes`. */
  delimiter?: '/';
  /** Most keys and prefixes in one page (default and maximum 1000). */
  maxKeys?: number;
  /** The token of the previous page. */
  continuationToken?: string;
}

/** One page of a listing, in ascending key order. */
export interface ListPage {
  objects: ObjectInfo[];
  prefixes: string[];
  nextContinuationToken: string | undefined;
}

/** A lake's storage. Every write is atomic: an object appears whole or not at all. */
export interface ObjectStore {
  /** The location, as given (a path, file:// or s3:// URL). */
  readonly url: string;
  /** Streams an object's bytes; throws NotFoundError. */
  get(key: string): Promise<Readable>;
  /** An object's bytes in memory; for small objects. Throws NotFoundError. */
  getBytes(key: string): Promise<Buffer>;
  /**
   * The bytes of an object from `start` (inclusive) to `end` (exclusive), fewer when the object is
   * shorter: a Parquet footer without reading the file. Throws NotFoundError.
   */
  getRange(key: string, start: number, end: number): Promise<Buffer>;
  /** Size, etag and last-modified, or undefined when absent. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Writes an object whole, replacing any previous one; a failed body leaves nothing behind. */
  put(key: string, body: PutBody, options?: { contentType?: string }): Promise<PutResult>;
  /** Writes only if the key does not exist; throws PreconditionFailedError if it does. */
  putIfAbsent(key: string, body: SmallBody): Promise<PutResult>;
  /** Writes only if the object's etag is still `etag`; throws PreconditionFailedError otherwise. */
  putIfMatch(key: string, body: SmallBody, etag: string): Promise<PutResult>;
  /** One page of the keys beginning with `prefix`. */
  listPage(prefix: string, options?: ListOptions): Promise<ListPage>;
  /** Deletes an object; deleting an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** Releases connections and handles. */
  close(): Promise<void>;
  /**
   * The file that holds an object's bytes, for stores that are a local folder (readers such as DuckDB
   * then read it in place instead of a copy); absent on remote stores.
   */
  localPath?(key: string): string;
}

/** Every object below `prefix`, following pages until the end. */
export async function* listAll(store: ObjectStore, prefix: string): AsyncGenerator<ObjectInfo> {
  let continuationToken: string | undefined;
  do {
    const page = await store.listPage(prefix, { continuationToken });
    yield* page.objects;
    continuationToken = page.nextContinuationToken;
  } while (continuationToken !== undefined);
}

/** Longest key accepted (S3's limit is 1024 bytes of UTF-8). */
const MAX_KEY_BYTES = 1024;

/**
 * Throws STORE_KEY_INVALID unless `key` is a relative `/`-separated path with no empty, `.` or `..`
 * segments, no backslash or control character, and no segment reserved by the local store.
 */
export function assertValidKey(key: string): void {
  const problem = keyProblem(key);
  if (problem !== undefined) {
    throw new IpregError('STORE_KEY_INVALID', `invalid store key ${JSON.stringify(key)}: ${problem}`, { key });
  }
}

function keyProblem(key: string): string | undefined {
  if (key === '') return 'it is empty';
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  if (key.startsWith('/')) return 'it begins with "/"';
  if (key.endsWith('/')) return 'it ends with "/"';
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(key)) return 'it contains a backslash or a control character';
  for (const segment of key.split('/')) {
    if (segment === '') return 'it contains an empty segment ("//")';
    if (segment === '.' || segment === '..') return `it contains a "${segment}" segment`;
  }
  if (key.split('/')[0] === RESERVED_TOP_LEVEL) return `"${RESERVED_TOP_LEVEL}/" is reserved for temporary files`;
  return undefined;
}

/** The local store's folder for temporary files and locks, never listed. */
export const RESERVED_TOP_LEVEL = '.ipreg-tmp';

/** Throws STORE_KEY_INVALID unless `prefix` is empty or a valid key prefix (it may end with "/"). */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const problem = keyProblem(trimmed);
  if (problem !== undefined) {
    throw new IpregError('STORE_KEY_INVALID', `invalid store prefix ${JSON.stringify(prefix)}: ${problem}`, {
      key: prefix,
    });
  }
}

/** The page size used when none is given, and the most a page may hold. */
export const MAX_KEYS_PER_PAGE = 1000;

/**
 * The ETag of `key` when it holds exactly `body`, else undefined. A conditional write that the SDK
 * retried after its success was lost in transit comes back refused (412): what the store holds says
 * whether the write happened, not the status.
 */
export async function etagIfStored(store: ObjectStore, key: string, body: string): Promise<string | undefined> {
  const head = await store.head(key);
  if (head === undefined) return undefined;
  const bytes = await store.getBytes(key).catch(() => undefined);
  if (bytes === undefined || bytes.toString('utf8') !== body) return undefined;
  // Read again: the ETag must be the one of the bytes compared, not of a later write.
  const again = await store.head(key);
  return again?.etag === head.etag ? head.etag : undefined;
}
