/**
 * Leases: one run of a pipeline per lake at a time, across machines. A lease is an object in the
 * store (`locks/<pipeline>.json`) naming its holder and when it expires. It is taken with
 * put-if-absent (or, when the one there has expired or was released, with compare-and-swap on its
 * ETag), renewed with compare-and-swap while the run goes on, and released by writing it expired.
 * A holder that dies stops renewing: its lease expires and the next runner takes it over. A holder
 * whose renewal loses (someone took the lease after it expired — the holder was stalled past its
 * lease) learns it has lost and must stop before publishing anything.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { IpregError, PreconditionFailedError } from '../errors.js';
import type { Logger } from '../log.js';
import { etagIfStored, type ObjectStore } from '../store/store.js';
import { leaseKey } from '../lake/paths.js';

/** Who holds a lease. */
export interface LeaseHolder {
  host: string;
  pid: number;
  /** The run holding it, when a run does. */
  runId?: string;
  /** The key of that run's record (`runs/<pipeline>/<run-id>.json`). */
  record?: string;
}

/** The lease object as stored. */
export interface LeaseRecord {
  name: string;
  holder: LeaseHolder;
  acquiredAt: string;
  renewedAt: string;
  expiresAt: string;
  released?: boolean;
}

export interface LeaseOptions {
  /** How long a lease lasts without renewal (default 2 minutes); renewed every third of it. */
  ttlMs?: number;
  /** Wait for a held lease up to this long (0, the default: fail at once, naming the holder). */
  waitMs?: number;
  /** How often to look again while waiting (default 5 s). */
  pollMs?: number;
  now?: () => Date;
  log?: Logger;
}


/** This process, as a lease holder. */
export function thisProcess(runId?: string, record?: string): LeaseHolder {
  return { host: hostname(), pid: process.pid, ...(runId === undefined ? {} : { runId }), ...(record === undefined ? {} : { record }) };
}

/** Says who holds a lease, for people. */
export function describeHolder(record: LeaseRecord): string {
  const h = record.holder;
  return `${h.runId === undefined ? 'a process' : `run ${h.runId}`} on ${h.host} (pid ${h.pid}) since ${record.acquiredAt}, its lease renewed ${record.renewedAt} and expiring ${record.expiresAt}`;
}

const DEFAULT_TTL_MS = 120_000;

/** A lease this process holds. */
export class Lease {
  readonly key: string;
  #record: LeaseRecord;
  #etag: string;
  #timer: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;
  #lost: string | undefined;
  readonly #store: ObjectStore;
  readonly #ttlMs: number;
  readonly #now: () => Date;

  /** The expired lease this one took over: its holder died or stalled. */
  tookOver: LeaseRecord | undefined;

  constructor(store: ObjectStore, record: LeaseRecord, etag: string, ttlMs: number, now: () => Date) {
    this.#store = store;
    this.key = leaseKey(record.name);
    this.#record = record;
    this.#etag = etag;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  get record(): LeaseRecord {
    return this.#record;
  }

  /** Why the lease was lost, or undefined while it is held. */
  get lost(): string | undefined {
    return this.#lost;
  }

  /** Throws when the lease was lost: called before anything is published. */
  assertHeld(): void {
    if (this.#lost !== undefined) throw new IpregError('LOCKED', `the lease on ${this.#record.name} was lost (${this.#lost}): stopping before anything more is written`, { key: this.key });
  }

  /** Names the run holding the lease (once the run has an id). */
  async setRun(runId: string): Promise<void> {
    await this.#write({ ...this.#record, holder: { ...this.#record.holder, runId } });
  }

  /** Extends the lease by its time to live; marks it lost (and throws) when someone else took it. */
  async renew(): Promise<void> {
    const now = this.#now();
    await this.#write({ ...this.#record, renewedAt: now.toISOString(), expiresAt: new Date(now.getTime() + this.#ttlMs).toISOString() });
  }

  /** Renews every third of the time to live until release(); a lost lease calls `onLost` once. */
  keepRenewing(onLost: (why: string) => void, log?: Logger): void {
    const tick = () => {
      this.#renewing = this.renew().then(
        () => {
          if (this.#timer !== undefined) this.#timer = setTimeout(tick, this.#ttlMs / 3).unref();
        },
        (err: unknown) => {
          if (this.#lost !== undefined) {
            onLost(this.#lost);
            return;
          }
          // A store that failed once (a network blip) is tried again: the lease lasts three renewals.
          log?.warn({ key: this.key, err }, 'lease renewal failed; trying again');
          if (this.#timer !== undefined) this.#timer = setTimeout(tick, Math.min(5_000, this.#ttlMs / 6)).unref();
        },
      );
    };
    this.#timer = setTimeout(tick, this.#ttlMs / 3).unref();
  }

  /** Stops renewing and writes the lease released, so the next runner need not wait for it to expire. */
  async release(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#renewing?.catch(() => undefined);
    if (this.#lost !== undefined) return;
    const now = this.#now().toISOString();
    await this.#write({ ...this.#record, renewedAt: now, expiresAt: now, released: true }).catch((err: unknown) => {
      if (!(err instanceof PreconditionFailedError)) throw err;
    });
  }

  async #write(next: LeaseRecord): Promise<void> {
    if (this.#lost !== undefined) this.assertHeld();
    const body = `${JSON.stringify(next, null, 2)}\n`;
    try {
      const { etag } = await this.#store.putIfMatch(this.key, body, this.#etag);
      this.#etag = etag;
      this.#record = next;
    } catch (err) {
      const landed = err instanceof PreconditionFailedError ? await etagIfStored(this.#store, this.key, body) : undefined;
      if (landed !== undefined) {
        this.#etag = landed;
        this.#record = next;
        return;
      }
      if (err instanceof PreconditionFailedError) {
        this.#lost = 'another runner took it over after it expired';
        this.assertHeld();
      }
      throw err;
    }
  }
}

/** The lease there is now, with its ETag, or undefined. */
export async function readLease(store: ObjectStore, name: string): Promise<{ record: LeaseRecord; etag: string } | undefined> {
  const key = leaseKey(name);
  const head = await store.head(key);
  if (head === undefined) return undefined;
  const bytes = await store.getBytes(key).catch(() => undefined);
  if (bytes === undefined) return undefined;
  return { record: JSON.parse(bytes.toString('utf8')) as LeaseRecord, etag: head.etag };
}

/**
 * Takes the lease `name` for `holder`: at once when it is free, expired or released; else waits up to
 * `waitMs`, then throws IpregError LOCKED naming the holder.
 */
export async function acquireLease(store: ObjectStore, name: string, holder: LeaseHolder, options: LeaseOptions = {}): Promise<Lease> {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = options.now ?? (() => new Date());
  const key = leaseKey(name);
  const deadline = Date.now() + (options.waitMs ?? 0);
  let said = false;
  for (;;) {
    const at = now();
    const record: LeaseRecord = { name, holder, acquiredAt: at.toISOString(), renewedAt: at.toISOString(), expiresAt: new Date(at.getTime() + ttlMs).toISOString() };
    const body = `${JSON.stringify(record, null, 2)}\n`;
    let held: LeaseRecord | undefined;
    try {
      const existing = await readLease(store, name);
      if (existing === undefined) {
        const { etag } = await store.putIfAbsent(key, body);
        return new Lease(store, record, etag, ttlMs, now);
      }
      if (existing.record.released === true || Date.parse(existing.record.expiresAt) <= at.getTime()) {
        if (existing.record.released !== true) options.log?.warn({ key, previous: existing.record.holder, expiredAt: existing.record.expiresAt }, 'taking over an expired lease (its holder stopped renewing it: it died or stalled)');
        const { etag } = await store.putIfMatch(key, body, existing.etag);
        const lease = new Lease(store, record, etag, ttlMs, now);
        if (existing.record.released !== true) lease.tookOver = existing.record;
        return lease;
      }
      held = existing.record;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
      // Our own write, whose first answer was lost and whose retry was refused: the lease is ours.
      const landed = await etagIfStored(store, key, body);
      if (landed !== undefined) return new Lease(store, record, landed, ttlMs, now);
      // Another runner won the race for the key: look again.
      continue;
    }
    if (Date.now() >= deadline) {
      throw new IpregError('LOCKED', `${name} is running already on this lake: ${describeHolder(held)}. Wait for it (--wait), or, if that run is dead, for its lease to expire`, { key });
    }
    if (!said) options.log?.info({ key, holder: held.holder, expiresAt: held.expiresAt }, 'waiting for the run holding the lease');
    said = true;
    // Look again at the poll interval, or as soon as the lease expires if that comes first (a dead holder's run is taken over then).
    const untilExpiry = Date.parse(held.expiresAt) - now().getTime() + 50;
    await sleep(Math.max(1, Math.min(options.pollMs ?? 5_000, untilExpiry, deadline - Date.now())));
  }
}
