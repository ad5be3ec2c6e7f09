/**
 * Reading an RPSL dump on several threads. This thread gunzips (in libuv's pool) and cuts the text
 * into blocks of whole objects, numbering their first lines; worker threads turn blocks into CSV
 * lines of the tables; this thread writes their output in block order, so the tables are the same,
 * byte for byte, as ingestRpsl makes on one thread — only sooner, on a machine with cores to spare.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { IpregError } from '../errors.js';
import { rpslBlocks } from '../formats/rpsl.js';
import { startWorker } from '../worker-thread.js';
import { checkRequiredAttributes, newCounts, type ClassTally, type IngestCounts, type RpslWriters } from './ip-allocation-rows.js';

/** A block sent to a worker. */
export interface BlockJob {
  seq: number;
  firstLine: number;
  bytes: Uint8Array;
}

/** Rows of one table, encoded. */
export interface EncodedRows {
  bytes: Uint8Array;
  rows: number;
}

/** What a worker sends back for a block. */
export type BlockResult =
  | {
      seq: number;
      counts: IngestCounts;
      seen: { objectClass: string; objects: number; attributes: string[] }[];
      tables: { inetnums: EncodedRows; orgs: EncodedRows; autNums: EncodedRows };
      error?: undefined;
    }
  | { seq: number; error: string };

/** How the work is shared. */
export interface WorkerOptions {
  /** Worker threads (default: the cores available, at most 4). */
  threads?: number;
  /** Bytes of text per block (default 2 MiB). */
  blockBytes?: number;
}

/**
 * A worker holds a few blocks and their rows, nothing more: a small young generation keeps its
 * memory (and the run's peak) down at little cost in speed; the old-generation cap only stops a runaway.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 24, maxOldGenerationSizeMb: 256 };

/** Blocks waiting in or for a worker, per worker: enough to keep each busy, few enough to bound memory. */
const IN_FLIGHT_PER_WORKER = 3;

/**
 * Reads one RPSL dump (its decompressed bytes) into the tables on worker threads. Same results, same
 * errors, same counts as ingestRpsl.
 */
export async function ingestRpslInWorkers(
  bytes: AsyncIterable<Buffer>,
  encoding: 'utf8' | 'latin1',
  writers: RpslWriters,
  file = 'RPSL dump',
  required: Record<string, readonly string[]> = {},
  options: WorkerOptions = {},
): Promise<IngestCounts> {
  const threads = Math.max(1, options.threads ?? Math.min(4, availableParallelism()));
  const pool = new BlockPool(threads, encoding, writers);
  try {
    let seq = 0;
    for await (const block of rpslBlocks(bytes, options.blockBytes ?? 2 << 20)) {
      await pool.whenBelow(threads * IN_FLIGHT_PER_WORKER);
      // A copy with a buffer of its own, moved (not copied again) to the worker.
      const own = new Uint8Array(block.bytes.length);
      own.set(block.bytes);
      pool.send({ seq: seq++, firstLine: block.firstLine, bytes: own });
    }
    await pool.whenBelow(1); // every block written
    checkRequiredAttributes(file, required, pool.seen);
    return pool.counts;
  } finally {
    await pool.close();
  }
}

/** The workers, the blocks in flight, and the writing of results in block order. */
class BlockPool {
  readonly counts = newCounts();
  readonly seen = new Map<string, ClassTally>();
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly done = new Map<number, Exclude<BlockResult, { error: string }>>();
  private nextToWrite = 0;
  private inFlight = 0;
  private waits: Promise<void>[] = [];
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private closing = false;

  constructor(
    threads: number,
    encoding: 'utf8' | 'latin1',
    private readonly writers: RpslWriters,
  ) {
    for (let i = 0; i < threads; i++) {
      const worker = startWorker(import.meta.url, 'rpsl-worker', { workerData: { encoding }, resourceLimits: WORKER_LIMITS });
      worker.on('message', (result: BlockResult) => this.received(i, result));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`an RPSL worker thread stopped with exit code ${code}`));
      });
      this.workers.push(worker);
      this.load.push(0);
    }
  }

  /** Waits until fewer than `limit` blocks are in flight and the writers have caught up; throws a worker's failure. */
  async whenBelow(limit: number): Promise<void> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      if (this.waits.length > 0) {
        await Promise.all(this.waits.splice(0));
        continue;
      }
      if (this.inFlight < limit) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Sends a block to the least loaded worker. */
  send(job: BlockJob): void {
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if ((this.load[i] as number) < (this.load[best] as number)) best = i;
    this.load[best] = (this.load[best] as number) + 1;
    this.inFlight++;
    (this.workers[best] as Worker).postMessage(job, [job.bytes.buffer as ArrayBuffer]);
  }

  /** Stops the workers (once the writes under way end). */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled(this.waits.splice(0));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private received(worker: number, result: BlockResult): void {
    this.load[worker] = (this.load[worker] as number) - 1;
    if (result.error !== undefined) {
      this.fail(new IpregError('INTERNAL', `an RPSL worker failed on block ${result.seq}: ${result.error}`));
      return;
    }
    this.done.set(result.seq, result);
    for (let next = this.done.get(this.nextToWrite); next !== undefined; next = this.done.get(this.nextToWrite)) {
      this.done.delete(this.nextToWrite);
      this.nextToWrite++;
      this.inFlight--;
      this.write(next);
    }
    this.wakeUp();
  }

  /** Writes a block's rows (in block order) and adds its counts. */
  private write(result: Exclude<BlockResult, { error: string }>): void {
    for (const table of ['inetnums', 'orgs', 'autNums'] as const) {
      const { bytes, rows } = result.tables[table];
      if (rows === 0) continue;
      try {
        const wait = this.writers[table].addEncoded(bytes, rows);
        if (wait !== undefined) this.waits.push(wait);
      } catch (err) {
        this.fail(err as Error);
        return;
      }
    }
    const counts = this.counts;
    counts.records += result.counts.records;
    for (const [reason, n] of Object.entries(result.counts.skipped)) counts.skipped[reason] = (counts.skipped[reason] ?? 0) + n;
    for (const example of result.counts.examples) if (counts.examples.length < 20) counts.examples.push(example);
    for (const { objectClass, objects, attributes } of result.seen) {
      let tally = this.seen.get(objectClass);
      if (tally === undefined) this.seen.set(objectClass, (tally = { objects: 0, attributes: new Set() }));
      tally.objects += objects;
      for (const a of attributes) tally.attributes.add(a);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
