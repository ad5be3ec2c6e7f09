/**
 * Where a run takes its source files from: the publishers' real URLs (the default), a mirror at
 * another base URL (`<base>/<source-id>/<file>`), or a local folder holding a generated world. The
 * world's files are copied into raw/ as the fetcher would land them, with the same meta.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
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
import { fetchRawFile, SharedDownloads, verifyGzip, type FetchContext, type FetchOutcome } from './fetch-file.js';
import { worldDeclaration, type DeclaredFile } from './world-declaration.js';
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
  // A generated world declares each file's size and sha256 (world.json): one that differs was cut short or changed.
  const declaration = await worldDeclaration(folder);
  const declared = file.world.map((w) => declaration?.files.get(w));
  let size = 0;
  for (const [i, part] of parts.entries()) {
    const st = await stat(part).catch(() => undefined);
    if (!st?.isFile()) {
      throw new IpregError('FETCH_FAILED', `${source.id}: ${part} is missing (is ${folder} a generated world?)`, { source: source.id, file: part });
    }
    const said = declared[i];
    if (declaration !== undefined && said === undefined) {
      throw new IpregError('FETCH_FAILED', `${source.id}: ${part} is not among the files ${join(folder, 'world.json')} declares, so it cannot be checked; nothing was landed`, { source: source.id, file: part });
    }
    if (said !== undefined && said.bytes !== st.size) {
      throw new IpregError(
        st.size < said.bytes ? 'FILE_TRUNCATED' : 'FETCH_FAILED',
        `${source.id}: ${part} is ${st.size} bytes, world.json declares ${said.bytes}: the file was ${st.size < said.bytes ? 'cut short' : 'changed'} after the world was written; nothing was landed`,
        { source: source.id, file: part, field: 'bytes', value: String(st.size) },
      );
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
  const partDigests = parts.length > 1 ? parts.map(() => createHash('sha256')) : undefined;
  const joined = concatenated(parts, partDigests);
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
  const sha256Hex = sha256.digest('hex');
  const md5Hex = offThreadMd5 === undefined ? (md5 as Hash).digest('hex') : offThreadMd5.md5;
  const verified = await verifyFolderFile(ctx.store, objectKey, source, file, parts, {
    declared,
    sha256: partDigests?.map((h) => h.digest('hex')) ?? [sha256Hex],
    md5: md5Hex,
  });
  const meta: RawMeta = {
    source: source.id,
    file: file.name,
    snapshot: ctx.snapshot,
    url: pathToFileURL(parts[0] as string).href,
    etag: undefined,
    lastModified: undefined,
    sha256: sha256Hex,
    md5: md5Hex,
    bytes,
    fetchedAt: (ctx.now ?? (() => new Date()))().toISOString(),
    verified,
    objectKey,
  };
  await ctx.store.put(metaKey(source.id, ctx.snapshot, file.name), `${JSON.stringify(meta, null, 2)}\n`);
  return { meta, outcome: 'downloaded' };
}

/**
 * Checks a copied folder file against what its folder declares: each part's sha256 against world.json,
 * or, in a folder of real files, the `.md5` beside it (where there is one) and a gzip read to its end.
 * A file that fails is removed from raw/ again (its meta was never written) and the error names it.
 */
async function verifyFolderFile(
  store: ObjectStore,
  objectKey: string,
  source: SourceMeta,
  file: SourceFile,
  parts: readonly string[],
  got: { declared: readonly (DeclaredFile | undefined)[]; sha256: readonly string[]; md5: string },
): Promise<string[]> {
  try {
    if (got.declared.every((d) => d !== undefined)) {
      for (const [i, d] of got.declared.entries()) {
        if (d?.sha256 !== got.sha256[i]) {
          throw new IpregError('FETCH_FAILED', `${source.id}: ${parts[i]} has sha256 ${got.sha256[i]}, world.json declares ${d?.sha256}: the file changed after the world was written; nothing was landed`, { source: source.id, file: parts[i], field: 'sha256', value: got.sha256[i] });
        }
      }
      return ['world.json size and sha256'];
    }
    const verified: string[] = [];
    const md5File = parts.length === 1 ? `${parts[0]}.md5` : undefined;
    const md5Text = md5File === undefined ? undefined : await readFile(md5File, 'utf8').catch(() => undefined);
    if (md5Text !== undefined) {
      const expected = /\b[0-9a-f]{32}\b/i.exec(md5Text)?.[0]?.toLowerCase();
      if (expected !== got.md5) {
        throw new IpregError('FETCH_FAILED', `${source.id}: ${parts[0]} has MD5 ${got.md5}, ${md5File} declares ${expected ?? 'none it can read'}: the file was cut short or changed; nothing was landed`, { source: source.id, file: parts[0], field: 'md5', value: got.md5 });
      }
      verified.push('md5');
    }
    if (file.gzip) {
      await verifyGzip(parts.length === 1 ? (parts[0] as string) : concatenated([...parts]), parts.join(' + '));
      verified.push('gzip');
    }
    return verified;
  } catch (err) {
    await store.delete(objectKey).catch(() => undefined);
    throw err;
  }
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

/** The files one after another as one stream (gzip members concatenated stay one gzip stream); `digests`: one hash per file, fed as it is read. */
function concatenated(paths: string[], digests?: readonly Hash[]): Readable {
  const out = new PassThrough();
  void (async () => {
    try {
      for (const [i, path] of paths.entries()) {
        for await (const chunk of createReadStream(path)) {
          digests?.[i]?.update(chunk as Buffer);
          if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
        }
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
