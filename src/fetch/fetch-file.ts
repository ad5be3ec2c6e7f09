/**
 * Fetching one source file into the lake: a conditional request against the last landed copy,
 * retries with exponential backoff and jitter, verification (Content-Length, gzip integrity, the
 * `.md5` the RIRs publish), and landing only what passed. A broken download never replaces anything:
 * it is retried, and if it keeps failing the fetch fails and the lake is as it was.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import type { FetchConfig } from '../config.js';
import { IpregError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ObjectStore } from '../store/store.js';
import { download, RetryableFetchError, type Download, type DownloadOptions } from './download.js';
import { extractMember } from './zip.js';
import { latestMetaBefore, metaKey, readMeta, type RawMeta } from './raw-files.js';
import { rawKey } from '../lake/paths.js';

/** One file a source publishes. */
export interface RawFileSpec {
  source: string;
  file: string;
  url: string;
  /** Where the publisher's MD5 of the file is, if it publishes one. */
  md5Url?: string | undefined;
  gzip: boolean;
  /** The publisher ships it inside a zip at `url`: the member to take (a glob). */
  archive?: { member: string } | undefined;
}

/**
 * Zips several files of a run come from (KBO's full set holds eight tables): each is downloaded
 * once per run and condition, kept in `dir` until the run's raw step ends (dispose), and a broken one
 * is forgotten so that a retry downloads it again.
 */
export class SharedDownloads {
  private readonly pending = new Map<string, Promise<{ path: string; got: Download }>>();

  constructor(private readonly dir: string) {}

  private key(url: string, options: DownloadOptions): string {
    return `${url}\n${options.etag ?? ''}\n${options.lastModified ?? ''}`;
  }

  /** The download of `url` under these conditions, made on first request. */
  get(url: string, options: DownloadOptions): Promise<{ path: string; got: Download }> {
    const key = this.key(url, options);
    let found = this.pending.get(key);
    if (found === undefined) {
      const path = join(this.dir, randomUUID());
      found = download(url, path, options).then((got) => ({ path, got }));
      found.catch(() => this.pending.delete(key));
      this.pending.set(key, found);
    }
    return found;
  }

  /** Drops a download found broken (the next request fetches it again). */
  forget(url: string, options: DownloadOptions): void {
    this.pending.delete(this.key(url, options));
  }

  async dispose(): Promise<void> {
    this.pending.clear();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** What fetching needs. */
export interface FetchContext {
  store: ObjectStore;
  snapshot: string;
  settings: FetchConfig;
  log: Logger;
  /** The clock for fetched_at (tests pin it). */
  now?: () => Date;
  /** Zips shared by several files of the run (each downloaded once); without it, one download per file. */
  downloads?: SharedDownloads;
}

/** How a fetch ended. */
export type FetchOutcome = 'downloaded' | 'unchanged' | 'present';

/** Fetches one file into raw/<source>/<snapshot>/. */
export async function fetchRawFile(ctx: FetchContext, spec: RawFileSpec): Promise<{ meta: RawMeta; outcome: FetchOutcome }> {
  const present = await readMeta(ctx.store, spec.source, ctx.snapshot, spec.file);
  if (present !== undefined) return { meta: present, outcome: 'present' };
  const previous = await latestMetaBefore(ctx.store, spec.source, ctx.snapshot, spec.file);
  const log = ctx.log.child({ source: spec.source, file: spec.file });
  let lastError: unknown;
  for (let attempt = 1; attempt <= ctx.settings.attempts; attempt++) {
    try {
      return await attemptFetch(ctx, spec, previous);
    } catch (err) {
      if (!(err instanceof RetryableFetchError)) throw err;
      lastError = err;
      if (attempt === ctx.settings.attempts) break;
      const delayMs = ctx.settings.retryBaseMs * 2 ** (attempt - 1) * (0.5 + Math.random());
      log.warn({ attempt, delayMs: Math.round(delayMs), err }, 'download failed, retrying');
      await sleep(delayMs);
    }
  }
  throw new IpregError(
    'FETCH_FAILED',
    `${spec.source}: could not fetch ${spec.url} after ${ctx.settings.attempts} attempts: ${(lastError as Error).message}`,
    { source: spec.source, file: spec.file },
    { cause: lastError },
  );
}

async function attemptFetch(ctx: FetchContext, spec: RawFileSpec, previous: RawMeta | undefined): Promise<{ meta: RawMeta; outcome: FetchOutcome }> {
  const temp = join(tmpdir(), `ipreg-fetch-${randomUUID()}`);
  const conditions: DownloadOptions = { etag: previous?.etag, lastModified: previous?.lastModified, idleTimeoutMs: ctx.settings.idleTimeoutMs };
  const shared = spec.archive !== undefined ? ctx.downloads : undefined;
  try {
    const { path: downloaded, got } = shared !== undefined ? await shared.get(spec.url, conditions) : { path: temp, got: await download(spec.url, temp, conditions) };
    const fetchedAt = (ctx.now ?? (() => new Date()))().toISOString();
    if (got.status === 304) {
      if (previous === undefined) throw new IpregError('FETCH_FAILED', `GET ${spec.url} answered 304 to an unconditional request`, { source: spec.source });
      const meta: RawMeta = { ...previous, snapshot: ctx.snapshot, fetchedAt };
      await ctx.store.put(metaKey(spec.source, ctx.snapshot, spec.file), `${JSON.stringify(meta, null, 2)}\n`);
      return { meta, outcome: 'unchanged' };
    }
    const verified = got.contentLength === undefined ? [] : ['content-length'];
    let landed = { path: downloaded, sha256: got.sha256, md5: got.md5, bytes: got.bytes };
    let archive: RawMeta['archive'];
    if (spec.archive !== undefined) {
      const member = `${temp}.member`;
      try {
        const taken = await extractMember(downloaded, spec.archive.member, member, spec.url);
        landed = { path: member, sha256: taken.sha256, md5: taken.md5, bytes: taken.bytes };
        archive = { member: taken.name, sha256: got.sha256, bytes: got.bytes };
        verified.push('zip-crc');
      } catch (err) {
        if (err instanceof RetryableFetchError) shared?.forget(spec.url, conditions);
        throw err;
      }
    }
    if (spec.gzip) {
      await verifyGzip(landed.path, spec.url);
      verified.push('gzip');
    }
    // The publisher's MD5 is of what it serves (the zip, where there is one).
    if (spec.md5Url !== undefined) {
      await verifyMd5(spec.md5Url, got.md5, spec.url, ctx.settings.idleTimeoutMs);
      verified.push('md5');
    }
    const objectKey = rawKey(spec.source, ctx.snapshot, spec.file);
    await ctx.store.put(objectKey, createReadStream(landed.path));
    const meta: RawMeta = {
      source: spec.source,
      file: spec.file,
      snapshot: ctx.snapshot,
      url: spec.url,
      etag: got.etag,
      lastModified: got.lastModified,
      sha256: landed.sha256,
      md5: landed.md5,
      bytes: landed.bytes,
      fetchedAt,
      verified,
      objectKey,
      ...(archive === undefined ? {} : { archive }),
    };
    await ctx.store.put(metaKey(spec.source, ctx.snapshot, spec.file), `${JSON.stringify(meta, null, 2)}\n`);
    return { meta, outcome: 'downloaded' };
  } finally {
    await rm(temp, { force: true });
    await rm(`${temp}.member`, { force: true });
  }
}

/** Reads the whole gzip stream (a file, or a stream of its bytes), which checks its length and CRC; a truncated or corrupt file is worth downloading again. */
export async function verifyGzip(file: string | Readable, url: string): Promise<void> {
  try {
    await pipeline(typeof file === 'string' ? createReadStream(file) : file, createGunzip(), new Writable({ write: (_chunk, _encoding, done) => done() }));
  } catch (err) {
    throw new RetryableFetchError(`${/^https?:/.test(url) ? `GET ${url} gave` : `${url} is`} a broken gzip file (cut short or corrupt): ${(err as Error).message}`, url, { cause: err });
  }
}

/** Compares the download's MD5 with the one the publisher lists beside the file. */
async function verifyMd5(md5Url: string, actual: string, url: string, idleTimeoutMs: number): Promise<void> {
  let text: string;
  try {
    const response = await fetch(md5Url, { signal: AbortSignal.timeout(idleTimeoutMs) });
    if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
    if (response.status !== 200) throw new IpregError('FETCH_FAILED', `GET ${md5Url} answered HTTP ${response.status}`, { url: md5Url });
    text = await response.text();
  } catch (err) {
    if (err instanceof IpregError) throw err;
    throw new RetryableFetchError(`GET ${md5Url} failed: ${(err as Error).message}`, md5Url, { cause: err });
  }
  const expected = /\b[0-9a-f]{32}\b/i.exec(text)?.[0]?.toLowerCase();
  if (expected === undefined) throw new IpregError('FETCH_FAILED', `${md5Url} holds no MD5 sum`, { url: md5Url });
  if (expected !== actual) throw new RetryableFetchError(`GET ${url} gave bytes with MD5 ${actual}, but ${md5Url} says ${expected}`, url);
}
