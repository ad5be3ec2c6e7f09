/**
 * One HTTP(S) download into a local temporary file, streamed: the body's sha256, md5 and size are
 * computed on the way, a body shorter than its Content-Length is an error, and a server that sends
 * nothing for `idleTimeoutMs` is abandoned. Conditional headers make an unchanged file a cheap 304.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IpregError } from '../errors.js';

/** What the server answered, and what was written. */
export type Download =
  | { status: 304 }
  | {
      status: 200;
      etag: string | undefined;
      lastModified: string | undefined;
      contentLength: number | undefined;
      bytes: number;
      sha256: string;
      md5: string;
    };

/** Conditions and limits of one download. */
export interface DownloadOptions {
  etag?: string | undefined;
  lastModified?: string | undefined;
  idleTimeoutMs: number;
}

/** Thrown for failures worth another attempt (5xx, timeouts, resets, short bodies). */
export class RetryableFetchError extends IpregError {
  constructor(message: string, url: string, options?: { cause?: unknown }) {
    super('FETCH_FAILED', message, { url }, options);
    this.name = 'RetryableFetchError';
  }
}

/** Downloads `url` into `path` (created or truncated). */
export async function download(url: string, path: string, options: DownloadOptions): Promise<Download> {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), options.idleTimeoutMs);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), options.idleTimeoutMs);
  };
  try {
    const headers: Record<string, string> = { 'user-agent': 'ipreg (+https://github.com/ipreg)' };
    if (options.etag !== undefined) headers['if-none-match'] = options.etag;
    if (options.lastModified !== undefined) headers['if-modified-since'] = options.lastModified;
    const response = await fetchOrRetryable(url, { headers, signal: controller.signal, redirect: 'follow' }, options.idleTimeoutMs);
    if (response.status === 304) return { status: 304 };
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      throw new RetryableFetchError(`GET ${url} answered HTTP ${response.status}`, url);
    }
    if (response.status !== 200 || response.body === null) {
      throw new IpregError('FETCH_FAILED', `GET ${url} answered HTTP ${response.status}`, { url });
    }
    const declared = response.headers.get('content-length');
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    let bytes = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        touch();
        bytes += chunk.length;
        sha256.update(chunk);
        md5.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), measure, createWriteStream(path));
    } catch (err) {
      const why = controller.signal.aborted ? `nothing arrived for ${options.idleTimeoutMs} ms` : (err as Error).message;
      throw new RetryableFetchError(`GET ${url} broke off after ${bytes} bytes: ${why}`, url, { cause: err });
    }
    const contentLength = declared === null ? undefined : Number(declared);
    if (contentLength !== undefined && contentLength !== bytes) {
      throw new RetryableFetchError(`GET ${url} sent ${bytes} bytes of the ${contentLength} it announced`, url);
    }
    return {
      status: 200,
      etag: response.headers.get('etag') ?? undefined,
      lastModified: response.headers.get('last-modified') ?? undefined,
      contentLength,
      bytes,
      sha256: sha256.digest('hex'),
      md5: md5.digest('hex'),
    };
  } finally {
    clearTimeout(timer);
  }
}

async function fetchOrRetryable(url: string, init: RequestInit, idleTimeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const aborted = (init.signal as AbortSignal | undefined)?.aborted === true;
    const why = aborted ? `no answer within ${idleTimeoutMs} ms` : describeCause(err);
    throw new RetryableFetchError(`GET ${url} failed: ${why}`, url, { cause: err });
  }
}

function describeCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
