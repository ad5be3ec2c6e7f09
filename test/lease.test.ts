/** Leases (one run of a pipeline per lake at a time), against a local folder and a real S3-protocol server. */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IpregError, PreconditionFailedError } from '../src/errors.js';
import type { ObjectStore } from '../src/store/store.js';
import { acquireLease, readLease, type LeaseHolder } from '../src/pipeline/lease.js';
import { makeLocalStore, makeS3Store, type TestStore } from './support/test-stores.js';
import { leaseKey } from '../src/lake/paths.js';

const A: LeaseHolder = { host: 'host-a', pid: 101, runId: 'run-a' };
const B: LeaseHolder = { host: 'host-b', pid: 202, runId: 'run-b' };

describe.each([
  { name: 'local folder', make: makeLocalStore, faithful: () => true },
  { name: 's3', make: () => makeS3Store(), faithful: () => inject('s3EnforcesConditionalWrites') },
])('leases in a $name store', ({ make, faithful }) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await make();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('is held by one runner; a second is refused with the holder named, then takes it once released', async () => {
    const a = await acquireLease(t.store, 'p1', A, { ttlMs: 60_000 });
    const refused = await acquireLease(t.store, 'p1', B, { ttlMs: 60_000 }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(IpregError);
    expect((refused as IpregError).code).toBe('LOCKED');
    expect((refused as Error).message).toContain('p1 is running already on this lake: run run-a on host-a (pid 101) since');
    await a.release();
    expect((await readLease(t.store, 'p1'))?.record.released).toBe(true);
    const b = await acquireLease(t.store, 'p1', B, { ttlMs: 60_000 });
    expect((await readLease(t.store, 'p1'))?.record.holder).toEqual(B);
    await b.release();
  });

  it('expires when its holder stops renewing: the next runner takes it over, and the old holder learns it lost it', async (ctx) => {
    // The old holder learns it lost the lease from a refused put-if-match: a server must enforce it.
    if (!faithful()) ctx.skip();
    const a = await acquireLease(t.store, 'p2', A, { ttlMs: 300 });
    await sleep(400);
    const b = await acquireLease(t.store, 'p2', B, { ttlMs: 60_000 });
    await expect(a.renew()).rejects.toThrow('the lease on p2 was lost (another runner took it over after it expired)');
    expect(a.lost).toBeDefined();
    expect(() => a.assertHeld()).toThrow(/was lost/);
    // Releasing a lost lease leaves the new holder's alone.
    await a.release();
    expect((await readLease(t.store, 'p2'))?.record).toMatchObject({ holder: B });
    expect((await readLease(t.store, 'p2'))?.record.released).toBeUndefined();
    await b.release();
  });

  it('stays held while renewed past its time to live', async () => {
    const a = await acquireLease(t.store, 'p3', A, { ttlMs: 600 });
    let lost: string | undefined;
    a.keepRenewing((why) => (lost = why));
    await sleep(1_500);
    await expect(acquireLease(t.store, 'p3', B, { ttlMs: 600 })).rejects.toThrow(/p3 is running already/);
    expect(lost).toBeUndefined();
    await a.release();
  });

  it('lets a second runner wait for the first to finish', async (ctx) => {
    // s3rver lets a read overlap a write of the same key and hands back a torn object.
    if (!faithful()) ctx.skip();
    const a = await acquireLease(t.store, 'p4', A, { ttlMs: 60_000 });
    const waiting = acquireLease(t.store, 'p4', B, { ttlMs: 60_000, waitMs: 10_000, pollMs: 50 });
    await sleep(300);
    await a.release();
    const b = await waiting;
    expect(b.record.holder).toEqual(B);
    await b.release();
  });

  it('is won when the conditional write went through but its answer was lost (the retry refused): read back, not taken from the status', async () => {
    // A store whose conditional writes land, then report 412 — what an SDK retry of a write whose success was lost in transit sees.
    const lossy: ObjectStore = Object.create(t.store) as ObjectStore;
    lossy.putIfAbsent = async (key, body) => {
      await t.store.putIfAbsent(key, body);
      throw new PreconditionFailedError(`store key ${key} already exists`, { key });
    };
    lossy.putIfMatch = async (key, body, etag) => {
      await t.store.putIfMatch(key, body, etag);
      throw new PreconditionFailedError(`store key ${key} changed`, { key });
    };
    const lease = await acquireLease(lossy, 'p6', A, { ttlMs: 60_000 });
    expect((await readLease(t.store, 'p6'))?.record.holder).toEqual(A);
    await lease.renew();
    expect(() => lease.assertHeld()).not.toThrow();
    await lease.release();
    expect((await readLease(t.store, 'p6'))?.record.released).toBe(true);
    // A lease really held by another is still refused.
    const b = await acquireLease(t.store, 'p7', B, { ttlMs: 60_000 });
    await expect(acquireLease(lossy, 'p7', A, { ttlMs: 60_000 })).rejects.toThrow(/running already/);
    await b.release();
  });

  it('goes to exactly one of many runners racing for it', async (ctx) => {
    if (!faithful()) ctx.skip();
    const holders = Array.from({ length: 8 }, (_, i) => ({ host: `racer-${i}`, pid: i }));
    const outcomes = await Promise.allSettled(holders.map((h) => acquireLease(t.store, 'p5', h, { ttlMs: 60_000 })));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as IpregError).code).toBe('LOCKED');
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLease>>>).value;
    expect((await readLease(t.store, 'p5'))?.record.holder).toEqual(winner.record.holder);
    await winner.release();
    expect(leaseKey('p5')).toBe('locks/p5.json');
  });
});
