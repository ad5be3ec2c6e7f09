/**
 * Where a run takes its source files from: the publishers' real URLs (the default), a mirror at
 * another base URL (`<base>/<source-id>/<file>`), or a local folder holding a generated world. The
 * world's files are copied into raw/ as the fetcher would land them, with the same meta.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import pLimit from 'p-limit';
import type { FetchConfig } from '../config.js';
import type { Logger } from '../log.js';
import { pathToFileURL } from 'node:url';
import { IpregError } from '../errors.js';
import { fileForSnapshot, type SourceFile, type SourceMeta } from '../sources/catalog.js';
import type { ObjectStore } from '../store/store.js';
import { fetchRawFile, SharedDownloads, type FetchContext, type FetchOutcome } from './fetch-file.js';
import { startWorker } from '../worker-thread.js';
import type { Md5Request, Md5Response } from './md5-worker.js';
import { metaKey, readMeta, type RawMeta } from './raw-files.js';
import { rawKey } from '../lake/paths.js';

/** Where source files come from. */
export type SourceLocation = { kind: 'publishers' } | { kind: 'mirror'; base: string } | { kind: 'folder'; path: string };

/** The location a `--sources` value names (nothing: the publishers). */
export function sourceLocation(value: string | undefined): SourceLocation {
  if (value === undefined || value === '') return { kind: 'publishers' };
  if (/^https?:\/\//i.test(value)) return { kind: 'mirror', base: value.replace(/\/+$/, '') };
  return { kind: 'folder', path: resolve(value) };
}

/** Lands one file of a source in raw/, from wherever the location says. */
export async function landSourceFile(
  ctx: FetchContext,
  location: SourceLocation,
  source: SourceMeta,
  template: SourceFile,
): Promise<{ meta: RawMeta; outcome: FetchOutcome }> {
  const file = fileForSnapshot(template, ctx.snapshot);
  if (location.kind === 'folder') return copyFromFolder(ctx, location.path, source, file);
  // A mirror serves the files as landed (unzipped); the publishers ship some inside zips.
  const url = location.kind === 'mirror' ? `${location.base}/${source.id}/${file.name}` : file.url;
  const md5Url = file.md5Url === undefined ? undefined : location.kind === 'mirror' ? `${url}.md5` : file.md5Url;
  const archive = location.kind === 'publishers' && file.archive !== undefined ? { member: file.archive.member } : undefined;
  return fetchRawFile(ctx, { source: source.id, file: file.name, url, md5Url, gzip: file.gzip, archive });
}

async function copyFromFolder(ctx: FetchContext, folder: string, source: SourceMeta, file: SourceFile): Promise<{ meta: RawMeta; outcome: FetchOutcome }> {
  const present = await readMeta(ctx.store, source.id, ctx.snapshot, file.name);
  if (present !== undefined) return { meta: present, outcome: 'present' };
  const parts = file.world.map((w) => join(folder, w));
  let size = 0;
  for (const part of parts) {
    const st = await stat(part).catch(() => undefined);
    if (!st?.isFile()) {
      throw new IpregError('FETCH_FAILED', `${source.id}: ${part} is missing (is ${folder} a generated world?)`, { source: source.id, file: part });
    }
    size += st.size;
  }
  // A large file's MD5 is computed in a worker thread from its own read of the files while this
  // thread copies them: MD5 is the slowest of the work (the full world's 16 GB of registers: 40 s).
  const offThread = size >= MD5_WORKER_BYTES ? md5OffThread(parts) : undefined;
  offThread?.digest.catch(() => undefined); // awaited below; a failed copy stops the worker first
  const sha256 = createHash('sha256');
  const md5 = offThread === undefined ? createHash('md5') : undefined;
  let bytes = 0;
  const body = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sha256.update(chunk);
      md5?.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const joined = concatenated(parts);
  joined.on('error', (err) => body.destroy(err));
  joined.pipe(body);
  const objectKey = rawKey(source.id, ctx.snapshot, file.name);
  try {
    await ctx.store.put(objectKey, body);
  } catch (err) {
    await offThread?.stop();
    throw err;
  }
  const offThreadMd5 = await offThread?.digest;
  if (offThreadMd5 !== undefined && offThreadMd5.bytes !== bytes) {
    throw new IpregError('FETCH_FAILED', `${source.id}: ${parts.join(', ')} changed while being copied (${bytes} bytes copied, ${offThreadMd5.bytes} read for the MD5)`, { source: source.id });
  }
  const meta: RawMeta = {
    source: source.id,
    file: file.name,
    snapshot: ctx.snapshot,
    url: pathToFileURL(parts[0] as string).href,
    etag: undefined,
    lastModified: undefined,
    sha256: sha256.digest('hex'),
    md5: offThreadMd5 === undefined ? (md5 as Hash).digest('hex') : offThreadMd5.md5,
    bytes,
    fetchedAt: (ctx.now ?? (() => new Date()))().toISOString(),
    verified: [],
    objectKey,
  };
  await ctx.store.put(metaKey(source.id, ctx.snapshot, file.name), `${JSON.stringify(meta, null, 2)}\n`);
  return { meta, outcome: 'downloaded' };
}

/** From this size on, a folder file's MD5 is computed in a worker thread beside the copy. */
const MD5_WORKER_BYTES = 64 * 1024 * 1024;

/** The MD5 of the files read one after another, in a worker thread; `stop` ends the worker early. */
function md5OffThread(paths: string[]): { digest: Promise<{ md5: string; bytes: number }>; stop: () => Promise<void> } {
  const request: Md5Request = { paths };
  const worker = startWorker(import.meta.url, 'md5-worker', { workerData: request });
  const digest = new Promise<{ md5: string; bytes: number }>((resolve, reject) => {
    worker.once('message', (m: Md5Response) => (m.ok ? resolve({ md5: m.md5, bytes: m.bytes }) : reject(new IpregError('FETCH_FAILED', `MD5 of ${paths.join(', ')}: ${m.message}`, {}))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the MD5 worker exited with code ${code} before answering`)));
  });
  return { digest, stop: async () => void (await worker.terminate()) };
}

/** The files one after another as one stream (gzip members concatenated stay one gzip stream). */
function concatenated(paths: string[]): Readable {
  const out = new PassThrough();
  void (async () => {
    try {
      for (const path of paths) {
        for await (const chunk of createReadStream(path)) if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      }
      out.end();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

/** Streams a landed raw file back from the store. */
export async function openRaw(store: ObjectStore, meta: RawMeta): Promise<Readable> {
  return store.get(meta.objectKey);
}

/**
 * Lands every file of `sources` (at most `settings.concurrency` at once), logging each; returns their
 * metas in the sources' order. The raw step of every pipeline.
 */
export async function landSources(
  ctx: { store: ObjectStore; snapshot: string; fetch: FetchConfig; location: SourceLocation },
  sources: readonly SourceMeta[],
  log: Logger,
): Promise<RawMeta[]> {
  const limit = pLimit(ctx.fetch.concurrency);
  const downloads = new SharedDownloads(await mkdtemp(join(tmpdir(), 'ipreg-zips-')));
  try {
    const jobs = sources.flatMap((source) =>
      source.files.map((file) =>
        limit(async () => {
          const { meta, outcome } = await landSourceFile({ store: ctx.store, snapshot: ctx.snapshot, settings: ctx.fetch, log, downloads }, ctx.location, source, file);
          log.info({ source: source.id, file: file.name, outcome, bytes: meta.bytes }, 'source file landed');
          return meta;
        }),
      ),
    );
    // Every job ends before the shared zips go; the first failure is the run's.
    const settled = await Promise.allSettled(jobs);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<RawMeta>).value);
  } finally {
    await downloads.dispose();
  }
}
