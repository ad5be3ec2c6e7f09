/**
 * The step runner: runs a pipeline's declared steps in order, holding the pipeline's lease on the lake
 * (one run per pipeline at a time, across machines), and keeps a run record in the store
 * (`runs/<pipeline>/<run-id>.json`: who and where, snapshot, each step's start, end, duration, rows in
 * and out, skipped records by reason, inputs with their sha256, outputs, outcome, error). The record is
 * written when the run starts and rewritten after every step, so a run that dies leaves a record saying
 * how far it got.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { IpregError } from '../errors.js';
import type { Logger } from '../log.js';
import { listAll, type ObjectStore } from '../store/store.js';
import { acquireLease, thisProcess, type Lease, type LeaseRecord } from './lease.js';
import { IPREG_VERSION, outputsOf, readMemo, whyNotSkipped, writeMemo, type Fingerprint } from './memo.js';
import { runKey, runsPrefix } from '../lake/paths.js';
import { lastPublishedBefore, type PartitionRows, type PublishedPartition } from '../lake/published-partition.js';

/** An object a step read, with its digest. */
export interface StepInput {
  /** A store key, or the URL a source file came from. */
  key: string;
  sha256: string;
  bytes?: number;
}

/** One quality gate's verdict: which gate, the value it saw, the limit, and whether it passed. */
export interface GateCheck {
  gate: string;
  value: number;
  limit: string;
  passed: boolean;
  /** It failed and the run went on: started with `--force` (the run record says so too). */
  overridden?: true;
}

/** What a step reports (kept in the run record). */
export interface StepResult {
  rowsIn: number;
  rowsOut: number;
  skipped: Record<string, number>;
  outputs: string[];
  inputs?: StepInput[];
  /** Rows by source or table, for the record (and the report). */
  counts?: Record<string, number>;
  /**
   * The partitions its group's write step publishes, with their rows: each is held against the
   * partition of the same table and source last published for an earlier snapshot, whichever
   * pipeline wrote it (run.maxDropShare).
   */
  partitions?: PartitionRows[];
  /** The step's own gates (expected ranges, null shares, link rate), passed or not. */
  gates?: GateCheck[];
  /** What it made, by name, for people and for the caller of the run (the index build's id). */
  made?: Record<string, string>;
  /** Further counts for the record, held against nothing (corrections honoured, ranges they changed). */
  tallies?: Record<string, number>;
}

/**
 * Output a step made on local disk (or in memory) for a later step of the same run to write: the
 * runner holds it, hands it on, and drops it (`discard`) once written, or when the run fails or stops
 * before writing it. Nothing staged is in the store until a write step puts it there.
 */
export interface Staged {
  /** Frees what it holds (temporary files, open writers); called once the run is done with it, written or not. Idempotent. */
  discard(): Promise<void>;
}

/** What a step returns: its result for the record, and what it staged for the steps after it. */
export interface StepOutcome<S extends Staged> extends StepResult {
  staged?: readonly S[];
}

/** What every step declares. */
interface StepInfo {
  name: string;
  description: string;
  /** What it reads: sources or the lake's datasets (for people, --help and the run record). */
  inputs: readonly string[];
  /** What it writes. */
  outputs: readonly string[];
  /** Its memo's name (default `<pipeline>/<step>`): the nightly run shares its parts' memos. */
  unit?: string;
}

/**
 * A step that makes something: it reads sources or the lake and returns what it made, staged for a
 * write step, or written itself (raw files). It may start a run (`--from-step`).
 */
export interface MakeStep<C, S extends Staged = Staged> extends StepInfo {
  kind?: 'make';
  /**
   * What the step reads, by name and digest (raw files' sha256, lake objects' ETags, rule versions),
   * cheap to tell without doing the work; undefined when the step does nothing in this run. A step
   * that has one is skipped when a rerun of the snapshot finds the same inputs in its memo and the
   * outputs published from it still in place.
   */
  fingerprint?(ctx: C): Promise<Fingerprint | undefined>;
  /** `earlier`: what the steps before it in its group staged in this run (a register reads the LEI crosswalk GLEIF's step made). */
  run(ctx: C, log: Logger, earlier: readonly S[]): Promise<StepOutcome<S>>;
}

/**
 * A step that writes what the make steps before it staged (publish, upload), and may hand something on
 * to the write step after it (the uploaded build's manifest, for publish). It cannot start a run, and
 * it is skipped when every step it would write for was skipped. Once the last write step of a group
 * has succeeded, the steps it wrote for get their memos, and what they staged is dropped.
 */
export interface WriteStep<C, S extends Staged = Staged> extends StepInfo {
  kind: 'write';
  /** `staged`: what its group's make steps staged, then what the write step before it handed on. */
  write(ctx: C, staged: readonly S[], log: Logger): Promise<StepOutcome<S>>;
}

/** One declared step: named after the data it produces. */
export type Step<C, S extends Staged = Staged> = MakeStep<C, S> | WriteStep<C, S>;

/** Whether a step writes staged output (and so cannot start a run). */
export function isWriteStep<C, S extends Staged>(step: Step<C, S> | undefined): step is WriteStep<C, S> {
  return step?.kind === 'write';
}

/** When a pipeline runs by itself: a cron expression (five fields, or six with seconds) in a time zone. */
export interface Schedule {
  cron: string;
  timeZone: string;
  /** Why then: the publishers' cadences it follows. */
  why: string;
}

/** A pipeline: its steps, in order, and the kind of output its steps stage for its write steps. */
export interface Pipeline<C, S extends Staged = Staged> {
  name: string;
  description: string;
  /** The sources it reads (what `--only` may name). */
  sources: readonly string[];
  schedule: Schedule;
  /** The lease it runs under (default: its name): pipelines that write the same data share one. */
  lock?: string;
  steps: readonly Step<C, S>[];
}

/** One step in a run record. */
export interface StepRecord extends Partial<StepResult> {
  name: string;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  outcome: 'running' | 'succeeded' | 'failed' | 'skipped' | 'not run';
  error?: string;
  /** Skipped: why (the inputs unchanged since the run named, its outputs in place). */
  skippedBecause?: string;
  /** Run although it could have been skipped: why not (no memo, which input changed, which output went). */
  ranBecause?: string;
  /** The quality gates it passed through, and the published partitions it was compared with. */
  gates?: GateCheck[];
  comparedWith?: PublishedPartition[];
}

/** The record of one run. */
export interface RunRecord {
  runId: string;
  pipeline: string;
  snapshot: string;
  host: string;
  pid: number;
  startedAt: string;
  endedAt?: string;
  /**
   * stopped: told to stop (SIGTERM) between steps; the next run completes it. died: its process
   * stopped renewing the lease mid-run (killed, or the machine went); marked so by the run that took over.
   */
  outcome: 'running' | 'succeeded' | 'failed' | 'stopped' | 'died';
  /** The step the run started from (`--from-step`), when not the first. */
  fromStep?: string;
  /** What started it: a person or script (`run`), or the scheduler with the tick it ran for. */
  trigger?: { kind: 'run' } | { kind: 'schedule'; tick: string };
  /** Started with `--force`: gates that failed were recorded and passed over (each marked overridden). */
  forced?: { gates: string[] };
  steps: StepRecord[];
  error?: string;
}

/** What every pipeline context has. */
export interface RunContext {
  store: ObjectStore;
  snapshot: string;
  log: Logger;
  /** Gates that fail are recorded, overridden, and do not stop the run (`--force`); the index publishes past its gate too. */
  force?: boolean;
}

/** How a run goes. */
export interface RunOptions {
  now?: () => Date;
  /** Start at this step; the ones before it are recorded as not run. */
  fromStep?: string;
  /** Wait this long for a run of the same pipeline to finish (default 0: refuse at once, naming it). */
  waitMs?: number;
  /** The lease's time to live (default 2 minutes; renewed every third of it). */
  leaseTtlMs?: number;
  trigger?: RunRecord['trigger'];
  /** Aborted: the step running finishes, no further one starts, the run is recorded as stopped. */
  signal?: AbortSignal;
  /** The previous-snapshot gate: a partition's rows falling by more than this share fails its step (undefined: 0.25). */
  maxDropShare?: number;
}

/** run.maxDropShare's default. */
export const DEFAULT_MAX_DROP_SHARE = 0.25;

/** The keys of run records (of one pipeline, or all), newest first: run ids begin with their start time. */
export async function runRecordKeys(store: ObjectStore, pipeline?: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of listAll(store, runsPrefix(pipeline))) if (o.key.endsWith('.json')) keys.push(o.key);
  const id = (key: string) => key.slice(key.lastIndexOf('/') + 1);
  return keys.sort((a, b) => (id(a) < id(b) ? 1 : id(a) > id(b) ? -1 : 0));
}

/** The previous-snapshot gate of one partition: its rows against those of the partition published before it. */
export function dropCheck(partition: PartitionRows, before: PublishedPartition, maxDropShare: number): GateCheck {
  const name = partition.folder.replace(/^tables\//, '').replace(/\/snapshot=[^/]+$/, '');
  const was = before.rows;
  return {
    gate: `${name}: rows against the snapshot ${before.snapshot} published`,
    value: partition.rows,
    limit: `≥ ${Math.ceil(was * (1 - maxDropShare))} (${was} then, at most ${Math.round(maxDropShare * 100)} % fewer)`,
    passed: partition.rows >= was * (1 - maxDropShare),
  };
}

/** The previous-snapshot gates of a step's partitions, and the partitions they were held against. */
async function dropChecks(store: ObjectStore, partitions: readonly PartitionRows[] | undefined, maxDropShare: number): Promise<{ gates: GateCheck[]; compared: PublishedPartition[] }> {
  const gates: GateCheck[] = [];
  const compared: PublishedPartition[] = [];
  for (const partition of partitions ?? []) {
    const before = await lastPublishedBefore(store, partition.folder);
    if (before === undefined) continue;
    compared.push(before);
    if (before.rows > 0) gates.push(dropCheck(partition, before, maxDropShare));
  }
  return { gates, compared };
}

function describeGate(c: GateCheck): string {
  return `${c.gate} is ${c.value}, the limit ${c.limit}`;
}

/** A run record as stored: one JSON object on one line, as Athena's JSON SerDe and DuckDB's read_json read it (the `runs` table). */
export function recordBody(record: RunRecord): string {
  return `${JSON.stringify(record)}\n`;
}


/** The index of the step a run starts from; a usage error when the pipeline has no such step or it cannot start a run. */
export function startIndex<C, S extends Staged>(pipeline: Pipeline<C, S>, fromStep: string | undefined): number {
  if (fromStep === undefined) return 0;
  const at = pipeline.steps.findIndex((s) => s.name === fromStep);
  if (at < 0) throw new IpregError('USAGE', `${pipeline.name} has no step "${fromStep}" (its steps: ${pipeline.steps.map((s) => s.name).join(', ')})`);
  if (isWriteStep(pipeline.steps[at])) {
    let back = at;
    while (back > 0 && isWriteStep(pipeline.steps[back])) back--;
    throw new IpregError('USAGE', `${pipeline.name}: a run cannot start at "${fromStep}": it writes what the steps before it made in the same run; start from "${pipeline.steps[back]?.name}"`);
  }
  return at;
}

/**
 * The run whose lease this run took over died (or stalled past its lease): its record, left saying
 * "running", is marked died, with when its lease expired and which run took over.
 */
async function recordDied(store: ObjectStore, dead: LeaseRecord, by: string, log: Logger): Promise<void> {
  const key = dead.holder.record;
  if (key === undefined) return;
  try {
    const record = JSON.parse((await store.getBytes(key)).toString('utf8')) as RunRecord;
    if (record.outcome !== 'running') return;
    const step = record.steps.at(-1);
    if (step?.outcome === 'running') Object.assign(step, { outcome: 'failed', error: 'the run died during this step' });
    Object.assign(record, {
      outcome: 'died',
      error: `died${step === undefined ? '' : ` during ${step.name}`}: its process (pid ${dead.holder.pid} on ${dead.holder.host}) stopped renewing its lease, which expired ${dead.expiresAt}; run ${by} took over`,
    });
    await store.put(key, recordBody(record));
  } catch (err) {
    log.warn({ err, key }, 'could not mark the dead run\'s record');
  }
}

/** A new run id: the start time to the millisecond and six random hex digits (sortable by time). */
function newRunId(started: Date): string {
  return `${started.toISOString().replace(/[-:]/g, '')}-${randomBytes(3).toString('hex')}`;
}

/**
 * Runs the pipeline's steps in order under its lease; returns the final run record (a failed run
 * returns a record whose outcome is failed). Throws IpregError LOCKED, before anything is written,
 * when another run of the pipeline holds the lease.
 */
export async function runPipeline<C extends RunContext, S extends Staged>(pipeline: Pipeline<C, S>, ctx: C, options: RunOptions = {}): Promise<RunRecord> {
  const now = options.now ?? (() => new Date());
  const first = startIndex(pipeline, options.fromStep);
  const started = now();
  const runId = newRunId(started);
  const lease: Lease = await acquireLease(ctx.store, pipeline.lock ?? pipeline.name, thisProcess(runId, runKey(pipeline.name, runId)), { waitMs: options.waitMs ?? 0, ttlMs: options.leaseTtlMs, log: ctx.log });
  const record: RunRecord = {
    runId,
    pipeline: pipeline.name,
    snapshot: ctx.snapshot,
    host: hostname(),
    pid: process.pid,
    startedAt: started.toISOString(),
    outcome: 'running',
    ...(first > 0 ? { fromStep: pipeline.steps[first]?.name } : {}),
    trigger: options.trigger ?? { kind: 'run' },
    steps: [],
  };
  const log = ctx.log.child({ pipeline: pipeline.name, runId });
  lease.keepRenewing((why) => log.error({ why }, 'the lease was lost: the run stops before its next step'), log);
  const save = () => ctx.store.put(runKey(pipeline.name, runId), recordBody(record));
  try {
    await save();
    log.info({ snapshot: ctx.snapshot, steps: pipeline.steps.slice(first).map((s) => s.name) }, 'run started');
    if (lease.tookOver !== undefined) await recordDied(ctx.store, lease.tookOver, runId, log);
    for (const step of pipeline.steps.slice(0, first)) record.steps.push({ name: step.name, startedAt: started.toISOString(), outcome: 'not run', error: `before --from-step ${options.fromStep}` });
    const memos = new Memos(pipeline, ctx.store, ctx.snapshot, runId, first);
    const staged = new StagedOutputs<S>(log);
    for (const [at, step] of pipeline.steps.entries()) {
      if (at < first) continue;
      if (options.signal?.aborted === true) {
        const previous = record.steps.at(-1);
        Object.assign(record, { outcome: 'stopped', error: `stopped before ${step.name}${previous === undefined ? '' : `, after ${previous.name}`}: nothing after it was written; run again to complete` });
        log.warn({ next: step.name }, 'run stopped between steps');
        break;
      }
      const stepStarted = now();
      const entry: StepRecord = { name: step.name, startedAt: stepStarted.toISOString(), outcome: 'running' };
      record.steps.push(entry);
      const stepLog = log.child({ step: step.name });
      try {
        // A run whose lease was taken over (it stalled past it) stops here: the other run owns the lake now.
        lease.assertHeld();
        await save();
        const skip = await memos.skip(at, ctx, entry);
        if (skip !== undefined) {
          stepLog.info({ because: entry.skippedBecause }, 'step skipped');
          continue;
        }
        stepLog.info(entry.ranBecause === undefined ? {} : { notSkippedBecause: entry.ranBecause }, 'step started');
        const { staged: made, ...result } = isWriteStep(step) ? await staged.write(step, ctx, stepLog) : await step.run(ctx, stepLog, staged.held);
        staged.hold(made);
        const drops = await dropChecks(ctx.store, result.partitions, options.maxDropShare ?? DEFAULT_MAX_DROP_SHARE);
        const gates = [...(result.gates ?? []), ...drops.gates];
        Object.assign(entry, result, gates.length === 0 ? {} : { gates }, drops.compared.length === 0 ? {} : { comparedWith: drops.compared });
        const failed = gates.filter((g) => !g.passed);
        if (failed.length > 0 && ctx.force === true) {
          for (const g of failed) g.overridden = true;
          (record.forced ??= { gates: [] }).gates.push(...failed.map((g) => `${step.name}: ${describeGate(g)}`));
          stepLog.warn({ gates: failed.map(describeGate) }, 'quality gates failed and were overridden (--force)');
        } else if (failed.length > 0) {
          throw new IpregError('GATE_FAILED', `quality gate failed: ${failed.map(describeGate).join('; ')}; the steps after ${step.name} did not run (to publish anyway, run again with --force)`, { step: step.name });
        }
        entry.outcome = 'succeeded';
        stepLog.info({ rowsIn: result.rowsIn, rowsOut: result.rowsOut, skipped: result.skipped }, 'step finished');
        memos.ran(at, result);
        await memos.published(at, record.steps, stepLog);
      } catch (err) {
        Object.assign(entry, { outcome: 'failed', error: (err as Error).message });
        Object.assign(record, { outcome: 'failed', error: `${step.name}: ${(err as Error).message}` });
        stepLog.error({ err }, 'step failed');
      } finally {
        entry.endedAt = now().toISOString();
        entry.durationMs = Date.parse(entry.endedAt) - stepStarted.getTime();
      }
      if (record.outcome === 'failed') break;
    }
    if (record.outcome === 'running') record.outcome = 'succeeded';
    // What no write step took (the run failed or stopped before writing it) goes.
    await staged.discardAll();
    record.endedAt = now().toISOString();
    await save();
    log.info({ outcome: record.outcome, durationMs: Date.parse(record.endedAt) - started.getTime() }, 'run finished');
    return record;
  } finally {
    await lease.release().catch((err: unknown) => log.warn({ err }, 'the lease could not be released: it expires by itself'));
  }
}

/**
 * The memos of a run's steps: whether a step may be skipped (its fingerprint and its memo), whether a
 * step writing staged output may be skipped (all it writes for was skipped), and the memos written
 * once a group's outputs are published.
 */
class Memos<C extends RunContext, S extends Staged> {
  /** By step index: the unit, the fingerprint, and the result when the step ran. */
  readonly #steps = new Map<number, { unit: string; fingerprint: Fingerprint; skipped: boolean; result?: StepResult }>();

  constructor(
    private readonly pipeline: Pipeline<C, S>,
    private readonly store: ObjectStore,
    private readonly snapshot: string,
    private readonly runId: string,
    private readonly first: number,
  ) {}

  /** The steps a step writing staged output writes for: back over the writers, then the makers with fingerprints. */
  #group(at: number): number[] {
    const steps = this.pipeline.steps;
    let j = at - 1;
    while (j >= this.first && isWriteStep(steps[j])) j--;
    const group: number[] = [];
    for (; j >= this.first && !isWriteStep(steps[j]); j--) if (this.#steps.has(j)) group.push(j);
    return group;
  }

  /** Fills `entry` and says so when the step is skipped; else notes why it runs. */
  async skip(at: number, ctx: C, entry: StepRecord): Promise<true | undefined> {
    const step = this.pipeline.steps[at] as Step<C, S>;
    if (isWriteStep(step)) {
      const group = this.#group(at);
      if (group.length === 0 || !group.every((j) => this.#steps.get(j)?.skipped === true)) return undefined;
      Object.assign(entry, { outcome: 'skipped', skippedBecause: 'the steps it writes for were skipped: what they make is published already' });
      return true;
    }
    if (step.fingerprint === undefined) return undefined;
    // A fingerprint that cannot be told (a raw file missing, the store failing) runs the step, which says what is wrong.
    const fingerprint = await step.fingerprint(ctx).catch(() => undefined);
    if (fingerprint === undefined) return undefined;
    const unit = step.unit ?? `${this.pipeline.name}/${step.name}`;
    const memo = await readMemo(this.store, this.snapshot, unit);
    const why = await whyNotSkipped(this.store, memo, fingerprint);
    this.#steps.set(at, { unit, fingerprint, skipped: why === undefined });
    if (why !== undefined || memo === undefined) {
      entry.ranBecause = why;
      return undefined;
    }
    Object.assign(entry, memo.result, { outcome: 'skipped', skippedBecause: `inputs unchanged since run ${memo.runId}, its outputs in place`, outputs: memo.outputs.map((o) => o.key) });
    return true;
  }

  ran(at: number, result: StepResult): void {
    const memo = this.#steps.get(at);
    if (memo !== undefined) memo.result = result;
  }

  /**
   * After the last step writing a group's staged output: a memo for each step of the group that ran,
   * naming the published objects under its outputs (all the group's, when none is under them).
   */
  async published(at: number, records: readonly StepRecord[], log: Logger): Promise<void> {
    const steps = this.pipeline.steps;
    if (!isWriteStep(steps[at]) || isWriteStep(steps[at + 1])) return;
    const writers: string[] = [];
    for (let j = at; j >= this.first && isWriteStep(steps[j]); j--) {
      writers.push(...(records.find((r) => r.name === steps[j]?.name)?.outputs ?? []));
    }
    for (const j of this.#group(at)) {
      const memo = this.#steps.get(j);
      if (memo?.result === undefined || memo.skipped) continue;
      const { outputs: made, ...result } = memo.result;
      const under = writers.filter((key) => made.some((m) => key === m || key.startsWith(`${m}/`)));
      try {
        const outputs = await outputsOf(this.store, under.length > 0 ? under : writers);
        await writeMemo(this.store, { unit: memo.unit, snapshot: this.snapshot, runId: this.runId, version: IPREG_VERSION, fingerprint: memo.fingerprint, outputs, result });
      } catch (err) {
        // Without its memo the step only runs again next time.
        log.warn({ err, unit: memo.unit }, 'could not write the step memo');
      }
    }
  }
}

/**
 * What the run's steps staged and no write step has taken yet. A make step sees it (what the steps
 * before it in its group made); a write step takes all of it, and what it took is dropped once it is
 * done, written or not; what it hands on is held for the next write step. Whatever is left when the
 * run ends (it failed or stopped before writing it) is dropped then.
 */
class StagedOutputs<S extends Staged> {
  #held: S[] = [];

  constructor(private readonly log: Logger) {}

  get held(): readonly S[] {
    return this.#held;
  }

  hold(made: readonly S[] | undefined): void {
    if (made !== undefined) this.#held.push(...made);
  }

  async write<C>(step: WriteStep<C, S>, ctx: C, log: Logger): Promise<StepOutcome<S>> {
    const taken = this.#held.splice(0);
    try {
      return await step.write(ctx, taken, log);
    } finally {
      await this.#discard(taken);
    }
  }

  async discardAll(): Promise<void> {
    await this.#discard(this.#held.splice(0));
  }

  async #discard(items: readonly S[]): Promise<void> {
    for (const item of items) await item.discard().catch((err: unknown) => this.log.warn({ err }, 'could not drop what the run staged'));
  }
}
