/**
 * The local-folder store, the embedded default. A write goes to a temporary file in the store's
 * `.ipreg-tmp/` folder, is flushed to disk, and is renamed into place: an object appears whole or
 * not at all, even when the process is killed half-way. Put-if-absent is a hard link (atomic, fails
 * if the key exists); put-if-match compares and renames under a per-key lock file. Each rename, link
 * and new folder is made durable by flushing the folder that holds it (a file's own fsync does not
 * keep its name: after a power loss a pointer, lease or memo could otherwise revert). A symbolic link
 * planted in the lake is not followed out of it: reads and writes through one are refused.
 */
import { randomUUID, createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { realpathSync } from 'node:fs';
import { mkdir, open, readFile, realpath, rename, link, unlink, stat, readdir, rmdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { IpregError, NotFoundError, PreconditionFailedError } from '../errors.js';
import {
  assertValidKey,
  assertValidPrefix,
  MAX_KEYS_PER_PAGE,
  RESERVED_TOP_LEVEL,
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type ObjectStore,
  type PutBody,
  type PutResult,
  type SmallBody,
} from './store.js';

/** How long a put-if-match waits for another writer's lock on the same key. */
const LOCK_WAIT_MS = 10_000;
/** A lock file older than this is taken to belong to a dead process and is broken (sooner when its holder is seen dead). */
const LOCK_STALE_MS = 30_000;
/** Temporary files older than this are left-overs of killed writers and are removed. */
const TEMP_MAX_AGE_MS = 24 * 3600_000;

/** Flushes a folder's entries (names made, renamed or removed in it) to disk. */
export async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A store in a local folder. */
export class LocalStore implements ObjectStore {
  readonly url: string;
  private readonly root: string;
  private readonly tempDir: string;
  private readonly syncDir: (path: string) => Promise<void>;
  private swept = false;
  /** The store's folder with every link resolved, once it exists. */
  private realRoot: string | undefined;

  /** `syncDir` flushes a folder (tests pass one that also records which). */
  constructor(url: string, root: string, syncDir: (path: string) => Promise<void> = syncFolder) {
    this.url = url;
    this.root = root;
    this.tempDir = join(root, RESERVED_TOP_LEVEL);
    this.syncDir = syncDir;
  }

  async get(key: string): Promise<Readable> {
    const handle = await this.openForRead(key);
    return handle.createReadStream();
  }

  async getBytes(key: string): Promise<Buffer> {
    const handle = await this.openForRead(key);
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async getRange(key: string, start: number, end: number): Promise<Buffer> {
    const handle = await this.openForRead(key);
    try {
      const out = Buffer.alloc(Math.max(0, end - start));
      let filled = 0;
      while (filled < out.length) {
        const { bytesRead } = await handle.read(out, filled, out.length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return out.subarray(0, filled);
    } finally {
      await handle.close();
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    assertValidKey(key);
    try {
      await this.confine(key, this.pathOf(key));
      const st = await stat(this.pathOf(key), { bigint: true });
      return st.isFile() ? infoFromStat(key, st) : undefined;
    } catch (err) {
      if (isCode(err, 'ENOENT') || isCode(err, 'ENOTDIR')) return undefined;
      throw ioError('read', key, err);
    }
  }

  async put(key: string, body: PutBody): Promise<PutResult> {
    assertValidKey(key);
    const temp = await this.writeTemp(key, body);
    try {
      await this.ensureParent(key);
      await rename(temp, this.pathOf(key));
      await this.syncDir(dirname(this.pathOf(key)));
    } catch (err) {
      await removeQuietly(temp);
      throw ioError('write', key, err);
    }
    return this.etagOf(key);
  }

  async putIfAbsent(key: string, body: SmallBody): Promise<PutResult> {
    assertValidKey(key);
    const temp = await this.writeTemp(key, body);
    try {
      await this.ensureParent(key);
      await link(temp, this.pathOf(key));
      await this.syncDir(dirname(this.pathOf(key)));
    } catch (err) {
      if (isCode(err, 'EEXIST')) throw new PreconditionFailedError(`store key ${key} already exists`, { key });
      throw ioError('write', key, err);
    } finally {
      await removeQuietly(temp);
    }
    return this.etagOf(key);
  }

  async putIfMatch(key: string, body: SmallBody, etag: string): Promise<PutResult> {
    assertValidKey(key);
    const temp = await this.writeTemp(key, body);
    const release = await this.lock(key);
    try {
      const current = await this.head(key);
      if (current === undefined || current.etag !== etag) {
        throw new PreconditionFailedError(
          `store key ${key} ${current === undefined ? 'does not exist' : `changed (etag ${current.etag}, expected ${etag})`}`,
          { key },
        );
      }
      await rename(temp, this.pathOf(key));
      await this.syncDir(dirname(this.pathOf(key)));
      return await this.etagOf(key);
    } catch (err) {
      if (err instanceof IpregError) throw err;
      throw ioError('write', key, err);
    } finally {
      await release();
      await removeQuietly(temp);
    }
  }

  async listPage(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    assertValidPrefix(prefix);
    const maxKeys = Math.min(options.maxKeys ?? MAX_KEYS_PER_PAGE, MAX_KEYS_PER_PAGE);
    const page: ListPage = { objects: [], prefixes: [], nextContinuationToken: undefined };
    let last: string | undefined;
    for await (const entry of this.walk(prefix, options)) {
      if (page.objects.length + page.prefixes.length === maxKeys) {
        page.nextContinuationToken = last;
        break;
      }
      if (typeof entry === 'string') page.prefixes.push(entry);
      else page.objects.push(entry);
      last = typeof entry === 'string' ? entry : entry.key;
    }
    return page;
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await this.confine(key, dirname(this.pathOf(key)));
      await unlink(this.pathOf(key));
      await this.syncDir(dirname(this.pathOf(key)));
    } catch (err) {
      if (isCode(err, 'ENOENT') || isCode(err, 'ENOTDIR')) return;
      throw ioError('delete', key, err);
    }
    await this.removeEmptyParents(key);
  }

  async close(): Promise<void> {}

  /** The file holding an object (objects are written whole by rename, so a reader never sees half of one). */
  localPath(key: string): string {
    assertValidKey(key);
    const path = this.pathOf(key);
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      return path; // not there (yet): nothing to follow
    }
    this.refuseOutside(key, real, (this.realRoot ??= realpathSync(this.root)));
    return path;
  }

  /** Refuses a key whose path (or, for one not yet there, whose deepest existing folder) a symbolic link leads out of the store. */
  private async confine(key: string, path: string): Promise<void> {
    let at = path;
    for (;;) {
      try {
        const real = await realpath(at);
        this.refuseOutside(key, real, (this.realRoot ??= await realpath(this.root)));
        return;
      } catch (err) {
        if (!isCode(err, 'ENOENT') && !isCode(err, 'ENOTDIR')) throw err;
      }
      if (at === this.root || dirname(at) === at) return;
      at = dirname(at);
    }
  }

  private refuseOutside(key: string, real: string, realRoot: string): void {
    const inside = relative(realRoot, real);
    if (inside === '' || (!inside.startsWith('..') && !inside.startsWith(sep) && !/^[a-zA-Z]:/.test(inside))) return;
    throw new IpregError('STORE_IO', `store key ${key} leads out of the store through a symbolic link (to ${real}): refused`, { key });
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  private async openForRead(key: string) {
    assertValidKey(key);
    try {
      await this.confine(key, this.pathOf(key));
      const handle = await open(this.pathOf(key), 'r');
      if ((await handle.stat()).isFile()) return handle;
      await handle.close();
    } catch (err) {
      if (!isCode(err, 'ENOENT') && !isCode(err, 'ENOTDIR') && !isCode(err, 'EISDIR')) throw ioError('read', key, err);
    }
    throw new NotFoundError(`store key ${key} does not exist in ${this.url}`, { key });
  }

  /** Writes the body to a new temporary file, flushed to disk; removes it again if the body fails. */
  private async writeTemp(key: string, body: PutBody): Promise<string> {
    await this.sweepOnce();
    const temp = join(this.tempDir, `${randomUUID()}.part`);
    try {
      await mkdir(this.tempDir, { recursive: true });
      if (body instanceof Readable) await pipeline(body, createWriteStream(temp, { flags: 'wx' }));
      else await writeFile(temp, body, { flag: 'wx' });
      // fsync flushes the file's pages whichever descriptor asks, so a fresh one will do.
      const handle = await open(temp, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      return temp;
    } catch (err) {
      await removeQuietly(temp);
      throw ioError('write', key, err);
    }
  }

  /** Creates the key's folders; a folder name already taken by an object is a clear error, not EEXIST. */
  private async ensureParent(key: string): Promise<void> {
    if (!key.includes('/')) return;
    const parent = dirname(this.pathOf(key));
    try {
      await this.confine(key, parent);
      const created = await mkdir(parent, { recursive: true });
      // Each new folder's name lives in the folder above it: flush those, top down.
      if (created !== undefined) {
        for (let at = dirname(created); ; at = join(at, relative(at, parent).split(sep)[0] as string)) {
          await this.syncDir(at);
          if (at === dirname(parent)) break;
        }
      }
    } catch (err) {
      if (err instanceof IpregError) throw err;
      if (!isCode(err, 'EEXIST') && !isCode(err, 'ENOTDIR')) throw err;
      const parts = key.split('/');
      const blocking = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
      const taken = await firstExisting(this, blocking);
      throw new IpregError(
        'STORE_IO',
        `could not write store key ${key}: ${taken ?? 'a parent'} is an object, and a local store cannot hold both an object and keys below it`,
        { key },
      );
    }
  }

  private async etagOf(key: string): Promise<PutResult> {
    const info = await this.head(key);
    if (info === undefined) throw ioError('write', key, new Error('the object vanished right after it was written'));
    return { etag: info.etag };
  }

  /** Takes the per-key lock used by put-if-match; returns its release. */
  private async lock(key: string): Promise<() => Promise<void>> {
    const lockFile = join(this.tempDir, `${createHash('sha256').update(key).digest('hex')}.lock`);
    const deadline = Date.now() + LOCK_WAIT_MS;
    // Who holds it — a process on this host that is gone (killed mid-write) has its lock broken at once —
    // written before the lock is taken, by a hard link (atomic, fails if the lock exists): a lock file
    // never exists without its holder, which a writer killed between creating and filling it would leave.
    const mine = join(this.tempDir, `${randomUUID()}.part`);
    await mkdir(this.tempDir, { recursive: true });
    await writeFile(mine, `${hostname()} ${process.pid} ${randomUUID()}`, { flag: 'wx' });
    try {
      for (;;) {
        try {
          await link(mine, lockFile);
          return () => removeQuietly(lockFile);
        } catch (err) {
          if (!isCode(err, 'EEXIST')) throw ioError('lock', key, err);
        }
        await breakStaleLock(lockFile);
        if (Date.now() > deadline) {
          throw new IpregError('STORE_IO', `store key ${key} stayed locked by another writer for ${LOCK_WAIT_MS} ms`, {
            key,
          });
        }
        await sleep(5 + Math.random() * 20);
      }
    } finally {
      await removeQuietly(mine);
    }
  }

  /** Removes temporary files left by killed writers, once per store object. */
  private async sweepOnce(): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    const names = await readdir(this.tempDir).catch(() => [] as string[]);
    const now = Date.now();
    for (const name of names) {
      const path = join(this.tempDir, name);
      const st = await stat(path).catch(() => undefined);
      if (st !== undefined && name.endsWith('.part') && now - st.mtimeMs > TEMP_MAX_AGE_MS) await removeQuietly(path);
    }
  }

  private async removeEmptyParents(key: string): Promise<void> {
    const parts = key.split('/').slice(0, -1);
    while (parts.length > 0) {
      try {
        await rmdir(join(this.root, ...parts));
      } catch {
        return;
      }
      parts.pop();
    }
  }

  /**
   * Objects and (with a delimiter) common prefixes below `prefix`, in the order S3 lists them:
   * a directory sorts as its name followed by "/".
   */
  private async *walk(prefix: string, options: ListOptions): AsyncGenerator<ObjectInfo | string> {
    const slash = prefix.lastIndexOf('/');
    const startDir = slash < 0 ? '' : prefix.slice(0, slash + 1);
    yield* this.walkDir(startDir, prefix, options.delimiter === '/', options.continuationToken);
  }

  private async *walkDir(
    dirKey: string,
    prefix: string,
    rollUp: boolean,
    after: string | undefined,
  ): AsyncGenerator<ObjectInfo | string> {
    const entries = await readdir(join(this.root, ...dirKey.split('/').filter(Boolean)), { withFileTypes: true }).catch(
      (err: unknown) => {
        if (isCode(err, 'ENOENT') || isCode(err, 'ENOTDIR')) return [];
        throw ioError('list', dirKey, err);
      },
    );
    const named = entries
      .filter((e) => !(dirKey === '' && e.name === RESERVED_TOP_LEVEL) && (e.isFile() || e.isDirectory()))
      .map((e) => ({ key: dirKey + e.name + (e.isDirectory() ? '/' : ''), isDir: e.isDirectory() }))
      .filter((e) => e.key.startsWith(prefix))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const entry of named) {
      if (!entry.isDir) {
        if (after !== undefined && entry.key <= after) continue;
        const st = await stat(this.pathOf(entry.key), { bigint: true }).catch(() => undefined);
        if (st?.isFile()) yield infoFromStat(entry.key, st);
        continue;
      }
      if (after !== undefined && entry.key <= after && !after.startsWith(entry.key)) continue;
      if (rollUp && entry.key.startsWith(prefix)) {
        if (after === undefined || entry.key > after) yield entry.key;
        continue;
      }
      yield* this.walkDir(entry.key, prefix, rollUp, after);
    }
  }
}

/** Opens a local store at a folder path or file:// URL. */
export function openLocalStore(url: string, root: string): LocalStore {
  return new LocalStore(url, root.endsWith(sep) ? root.slice(0, -1) : root);
}

function infoFromStat(
  key: string,
  st: { ino: bigint; size: bigint; mtimeNs: bigint; mtimeMs: bigint },
): ObjectInfo {
  return {
    key,
    sizeBytes: Number(st.size),
    etag: `"${st.ino.toString(16)}-${st.mtimeNs.toString(16)}-${st.size.toString(16)}"`,
    lastModified: new Date(Number(st.mtimeMs)),
  };
}

async function firstExisting(store: LocalStore, keys: string[]): Promise<string | undefined> {
  for (const key of keys) if ((await store.head(key)) !== undefined) return key;
  return undefined;
}

async function breakStaleLock(lockFile: string): Promise<void> {
  const st = await stat(lockFile).catch(() => undefined);
  if (st === undefined) return;
  if (Date.now() - st.mtimeMs > LOCK_STALE_MS) {
    await removeQuietly(lockFile);
    return;
  }
  const holder = await readFile(lockFile, 'utf8').catch(() => undefined);
  if (holder === undefined || !heldByDeadProcess(holder)) return;
  // Moved aside, then removed only if it is still the dead holder's: another waiter may have broken
  // it and taken the lock in between, and that lock goes back.
  const aside = `${lockFile}.${randomUUID()}.broken`;
  if (!(await rename(lockFile, aside).then(() => true, () => false))) return;
  if ((await readFile(aside, 'utf8').catch(() => '')) !== holder) await link(aside, lockFile).catch(() => undefined);
  await removeQuietly(aside);
}

/** Whether a lock's holder (`host pid nonce`) is a process of this host that no longer runs. */
function heldByDeadProcess(holder: string): boolean {
  const [host, pid] = holder.split(' ');
  if (host !== hostname() || pid === undefined || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return isCode(err, 'ESRCH');
  }
}

async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

function isCode(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code;
}

function ioError(action: string, key: string, err: unknown): IpregError {
  if (err instanceof IpregError) return err;
  const reason = (err as Error | undefined)?.message ?? String(err);
  return new IpregError('STORE_IO', `could not ${action} store key ${key}: ${reason}`, { key }, { cause: err });
}
