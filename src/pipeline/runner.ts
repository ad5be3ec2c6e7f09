/**
 * The step runner: runs a pipeline's declared steps in order and keeps a run record in the store
 * (`runs/<pipeline>/<run-id>.json`: who and where, snapshot, each step's start, end, duration, rows in
 * and out, skipped records by reason, outputs, outcome, error). The record is written when the run
 * starts and rewritten after every step, so a run that dies leaves a record saying how far it got.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../log.js';
import type { ObjectStore } from '../store/store.js';

/** What a step reports. */
export interface StepResult {
  rowsIn: number;
  rowsOut: number;
  skipped: Record<string, number>;
  outputs: string[];
}

/** One declared step: named after the data it produces. */
export interface Step<C> {
  name: string;
  description: string;
  run(ctx: C, log: Logger): Promise<StepResult>;
}

/** A pipeline: its steps, in order. */
export interface Pipeline<C> {
  name: string;
  description: string;
  /** The sources it reads (what `--only` may name). */
  sources: readonly string[];
  steps: readonly Step<C>[];
}

/** One step in a run record. */
export interface StepRecord extends Partial<StepResult> {
  name: string;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  outcome: 'running' | 'succeeded' | 'failed';
  error?: string;
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
  outcome: 'running' | 'succeeded' | 'failed';
  steps: StepRecord[];
  error?: string;
}

/** What every pipeline context has. */
export interface RunContext {
  store: ObjectStore;
  snapshot: string;
  log: Logger;
}

/** The key of a run record. */
export function runKey(pipeline: string, runId: string): string {
  return `runs/${pipeline}/${runId}.json`;
}

/** Runs the pipeline's steps in order; returns the final run record (failed runs throw after recording). */
export async function runPipeline<C extends RunContext>(pipeline: Pipeline<C>, ctx: C, now: () => Date = () => new Date()): Promise<RunRecord> {
  const started = now();
  const runId = `${started.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
  const record: RunRecord = {
    runId,
    pipeline: pipeline.name,
    snapshot: ctx.snapshot,
    host: hostname(),
    pid: process.pid,
    startedAt: started.toISOString(),
    outcome: 'running',
    steps: [],
  };
  const log = ctx.log.child({ pipeline: pipeline.name, runId });
  const save = () => ctx.store.put(runKey(pipeline.name, runId), `${JSON.stringify(record, null, 2)}\n`);
  await save();
  log.info({ snapshot: ctx.snapshot, steps: pipeline.steps.map((s) => s.name) }, 'run started');
  for (const step of pipeline.steps) {
    const stepStarted = now();
    const entry: StepRecord = { name: step.name, startedAt: stepStarted.toISOString(), outcome: 'running' };
    record.steps.push(entry);
    await save();
    const stepLog = log.child({ step: step.name });
    try {
      const result = await step.run(ctx, stepLog);
      Object.assign(entry, result, { outcome: 'succeeded' });
      stepLog.info({ rowsIn: result.rowsIn, rowsOut: result.rowsOut, skipped: result.skipped }, 'step finished');
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
  record.endedAt = now().toISOString();
  await save();
  log.info({ outcome: record.outcome, durationMs: Date.parse(record.endedAt) - started.getTime() }, 'run finished');
  return record;
}
