/**
 * The build a resolver answers from, and how a new one comes in: the holder looks for a new build
 * every poll (index/latest.json by its ETag, or an index file by its size and time), downloads it,
 * has a worker thread check its sha256 and every invariant off the request path, opens it, and swaps
 * it in with one assignment — a request holds the build it started with to its end. A build that fails
 * is refused, counted and logged; the one being served stays. Rollback is the pointer's business
 * (`ipreg index rollback`): every resolver follows it.
 */
import { stat } from 'node:fs/promises';
import { readLatest, type LatestPointer } from '../index-file/pointer.js';
import { readWhole } from '../index-file/load.js';
import { openVerifiedIndex } from '../index-file/read.js';
import type { Logger } from '../log.js';
import type { ObjectStore } from '../store/store.js';
import { startWorker } from '../worker-thread.js';
import { AnswerBuild } from './answer.js';
import type { VerifyResponse } from './verify-worker.js';
import { LATEST_KEY } from '../lake/paths.js';

/** Where builds come from. */
export type BuildOrigin = { kind: 'store'; store: ObjectStore } | { kind: 'file'; path: string };

/** A build being served. */
export interface ServedBuild {
  answers: AnswerBuild;
  buildId: string;
  /** When the build was made (its metadata's `created`). */
  created: Date;
  loadedAt: Date;
}

/** Counts and the last outcome, for /readyz and /metrics. */
export interface HolderStatus {
  reloads: number;
  failures: number;
  lastError: string | undefined;
}

export class BuildHolder {
  readonly #origin: BuildOrigin;
  readonly #log: Logger;
  #current: ServedBuild | undefined;
  #seen: string | undefined;
  #failedTag: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  readonly status: HolderStatus = { reloads: 0, failures: 0, lastError: undefined };

  constructor(origin: BuildOrigin, log: Logger) {
    this.#origin = origin;
    this.#log = log;
  }

  /** The build to answer from; undefined until one has loaded and passed every check. */
  get current(): ServedBuild | undefined {
    return this.#current;
  }

  /** Looks now (at most one look at a time; a second call joins the running one). Never throws. */
  poll(): Promise<void> {
    this.#running ??= this.#look().finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Polls every `intervalMs` until stop(). */
  start(intervalMs: number): void {
    const tick = () => {
      void this.poll().finally(() => {
        if (this.#timer !== undefined) this.#timer = setTimeout(tick, intervalMs).unref();
      });
    };
    this.#timer = setTimeout(tick, intervalMs).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async #look(): Promise<void> {
    let tag: string | undefined;
    try {
      const found = await this.#find();
      if (found === undefined) return;
      tag = found.tag;
      if (tag === this.#seen || tag === this.#failedTag) return;
      const started = performance.now();
      const bytes = await found.read();
      const verified = await verifyOffThread(bytes, found.sha256);
      if (!verified.ok) throw new Error(verified.message);
      // The answers keep their texts by record id: the reader need not keep the records they were made from too.
      const reader = openVerifiedIndex(new Uint8Array(verified.bytes), verified.second, { recordsKept: 1024 });
      const meta = reader.meta();
      if (found.buildId !== undefined && meta.buildId !== found.buildId) throw new Error(`the file's build id ${meta.buildId} is not the ${found.buildId} the pointer names`);
      const previous = this.#current;
      this.#current = { answers: new AnswerBuild(reader), buildId: meta.buildId, created: new Date(meta.created), loadedAt: new Date() };
      this.#seen = tag;
      this.#failedTag = undefined;
      this.status.reloads++;
      this.status.lastError = undefined;
      this.#log.info({ buildId: meta.buildId, previous: previous?.buildId ?? null, snapshot: meta.snapshot, bytes: verified.bytes.byteLength, ms: Math.round(performance.now() - started) }, 'build loaded and swapped in');
    } catch (err) {
      this.status.failures++;
      this.status.lastError = (err as Error).message;
      // Refuse this version until it changes: a broken build is not downloaded again every poll.
      this.#failedTag = tag;
      this.#log.error({ serving: this.#current?.buildId ?? null, err: (err as Error).message }, 'new build refused; the one being served stays');
    }
  }

  /** The version there is now: a tag that changes when it does, and how to read it. */
  async #find(): Promise<{ tag: string; buildId?: string; sha256?: string; read: () => Promise<Uint8Array> } | undefined> {
    const origin = this.#origin;
    if (origin.kind === 'file') {
      const s = await stat(origin.path).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      if (s === undefined) {
        if (this.#current === undefined) this.#log.warn({ path: origin.path }, 'no index file there yet: not ready');
        return undefined;
      }
      return { tag: `${s.ino}:${s.size}:${s.mtimeMs}`, read: () => readWhole(origin.path) };
    }
    const head = await origin.store.head(LATEST_KEY);
    if (head === undefined) {
      if (this.#current === undefined) this.#log.warn({ key: LATEST_KEY }, 'no build published yet: not ready');
      return undefined;
    }
    if (head.etag === this.#seen) return undefined;
    const latest = await readLatest(origin.store);
    if (latest === undefined) return undefined;
    const pointer: LatestPointer = latest.value;
    // The pointer moved but names the build being served (a re-publish): nothing to load.
    if (pointer.buildId === this.#current?.buildId) {
      this.#seen = latest.etag;
      return undefined;
    }
    return { tag: latest.etag, buildId: pointer.buildId, sha256: pointer.index.sha256, read: () => origin.store.getBytes(pointer.index.key) };
  }
}

/** Runs the verify worker over `bytes` (moved to it, not copied, and back). */
function verifyOffThread(bytes: Uint8Array, sha256: string | undefined): Promise<VerifyResponse> {
  // A buffer that is a view into a larger one (a Node Buffer from a pool) is copied into its own first.
  let own: ArrayBuffer;
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) own = bytes.buffer;
  else {
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    own = copy.buffer;
  }
  return new Promise((resolve, reject) => {
    const worker = startWorker(import.meta.url, 'verify-worker', { workerData: { bytes: own, sha256 }, transferList: [own] });
    worker.once('message', (m: VerifyResponse) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the verify worker exited with code ${code} before answering`)));
  });
}
