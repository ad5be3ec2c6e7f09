/**
 * The scheduler (`ipreg schedule`): runs pipelines at their cron times in their time zones, in the
 * foreground. Each tick is claimed in the store (`schedule/<pipeline>/<tick>.json`, put-if-absent)
 * so that several schedulers on one lake — a second one started by mistake, or a standby — run each
 * tick once; the run itself holds the pipeline's lease. A tick that comes while this scheduler's last
 * run of the pipeline still goes is skipped (node-cron's noOverlap) and logged. stop() lets the
 * running step finish, records the run as stopped, and resolves when every run has ended.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { IpregError, PreconditionFailedError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ObjectStore } from '../store/store.js';
import { thisProcess } from './lease.js';
import { runPipeline, type Pipeline, type RunContext, type RunOptions, type RunRecord, type Schedule } from './runner.js';
import { tickKey } from '../lake/paths.js';


/** The date a tick stands for in a time zone, as a snapshot (YYYY-MM-DD). */
export function snapshotOf(tick: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(tick);
}

/** A schedule's cron expression and time zone, checked; a usage error naming what is wrong. */
export function checkSchedule(pipeline: string, schedule: Pick<Schedule, 'cron' | 'timeZone'>): void {
  const detail = cron.validateDetailed(schedule.cron);
  if (!detail.valid) throw new IpregError('USAGE', `${pipeline}: the cron expression "${schedule.cron}" is not valid: ${detail.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
  try {
    new Intl.DateTimeFormat('en', { timeZone: schedule.timeZone });
  } catch {
    throw new IpregError('USAGE', `${pipeline}: "${schedule.timeZone}" is not a time zone (IANA names, like Europe/Amsterdam or Etc/UTC)`);
  }
}

export interface SchedulerOptions<C extends RunContext> {
  store: ObjectStore;
  log: Logger;
  /** The pipelines to run, each at its schedule (or the one given here). */
  pipelines: readonly { pipeline: Pipeline<C>; schedule: Pick<Schedule, 'cron' | 'timeZone'> }[];
  /** The context of one run for a snapshot. */
  context(snapshot: string): C;
  /** The runner's settings (lease time to live, previous-snapshot gate). */
  runOptions?: Pick<RunOptions, 'leaseTtlMs' | 'maxDropShare'>;
  /** Told of every run that ended (for tests and summaries). */
  onRun?: (record: RunRecord) => void;
}

/** A running scheduler. */
export class Scheduler<C extends RunContext> {
  readonly #options: SchedulerOptions<C>;
  readonly #tasks: ScheduledTask[] = [];
  readonly #running = new Set<Promise<unknown>>();
  readonly #abort = new AbortController();

  constructor(options: SchedulerOptions<C>) {
    for (const { pipeline, schedule } of options.pipelines) checkSchedule(pipeline.name, schedule);
    this.#options = options;
  }

  /** Starts every pipeline's schedule; logs each one's next tick. */
  start(): void {
    const { log } = this.#options;
    for (const { pipeline, schedule } of this.#options.pipelines) {
      const task = cron.schedule(schedule.cron, (ctx) => this.#tick(pipeline, ctx.date), { name: pipeline.name, timezone: schedule.timeZone, noOverlap: true });
      task.on('execution:overlap', (ctx) => log.warn({ pipeline: pipeline.name, tick: ctx.date.toISOString() }, 'tick skipped: the last run of this pipeline is still going'));
      task.on('execution:missed', (ctx) => log.warn({ pipeline: pipeline.name, tick: ctx.date.toISOString() }, 'tick missed (the process was busy or asleep)'));
      this.#tasks.push(task);
      log.info({ pipeline: pipeline.name, cron: schedule.cron, timeZone: schedule.timeZone, next: task.getNextRun()?.toISOString() ?? null }, 'scheduled');
    }
  }

  /** Stops ticking; the runs going finish their current step and stop. Resolves when they have. */
  async stop(): Promise<void> {
    for (const task of this.#tasks.splice(0)) await task.destroy();
    this.#abort.abort();
    await Promise.allSettled([...this.#running]);
  }

  /** Runs the tick `tick` of pipeline `name` now, as the clock would (claimed first: a tick taken already is left alone). */
  runTick(name: string, tick: Date): Promise<void> {
    const entry = this.#options.pipelines.find((p) => p.pipeline.name === name);
    if (entry === undefined) throw new IpregError('USAGE', `this scheduler does not run ${name}`);
    return this.#tick(entry.pipeline, tick);
  }

  #tick(pipeline: Pipeline<C>, tick: Date): Promise<void> {
    const done = this.#runTick(pipeline, tick);
    this.#running.add(done);
    return done.finally(() => this.#running.delete(done));
  }

  async #runTick(pipeline: Pipeline<C>, tick: Date): Promise<void> {
    const { store, log } = this.#options;
    if (this.#abort.signal.aborted) return;
    const key = tickKey(pipeline.name, tick);
    try {
      await store.putIfAbsent(key, `${JSON.stringify({ pipeline: pipeline.name, tick: tick.toISOString(), claimedBy: thisProcess(), claimedAt: new Date().toISOString() }, null, 2)}\n`);
    } catch (err) {
      if (err instanceof PreconditionFailedError) {
        log.info({ pipeline: pipeline.name, tick: tick.toISOString() }, 'tick taken by another scheduler on this lake');
        return;
      }
      log.error({ pipeline: pipeline.name, err }, 'could not claim the tick: skipped');
      return;
    }
    const schedule = this.#options.pipelines.find((p) => p.pipeline === pipeline)?.schedule as Schedule;
    const snapshot = snapshotOf(tick, schedule.timeZone);
    try {
      const record = await runPipeline(pipeline, this.#options.context(snapshot), { ...this.#options.runOptions, trigger: { kind: 'schedule', tick: tick.toISOString() }, signal: this.#abort.signal });
      log.info({ pipeline: pipeline.name, runId: record.runId, snapshot, outcome: record.outcome }, 'scheduled run ended');
      this.#options.onRun?.(record);
    } catch (err) {
      // A run holding the lease (started by hand) has the lake: this tick is its.
      if (err instanceof IpregError && err.code === 'LOCKED') log.warn({ pipeline: pipeline.name, err: err.message }, 'tick skipped: another run holds the lake');
      else log.error({ pipeline: pipeline.name, err }, 'scheduled run could not start');
    }
  }
}
