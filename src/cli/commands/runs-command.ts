/** `ipreg runs list|show`: the run records of the lake, for the person who wants to know what happened. */
import { InvalidArgumentError, type Command } from 'commander';
import { IpregError } from '../../errors.js';
import { runRecordKeys, type RunRecord, type StepRecord } from '../../pipeline/runner.js';
import type { ObjectStore } from '../../store/store.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';
import { stepsTable } from './run-command.js';

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

async function readRecord(store: ObjectStore, key: string): Promise<RunRecord> {
  try {
    return JSON.parse((await store.getBytes(key)).toString('utf8')) as RunRecord;
  } catch (err) {
    throw new IpregError('FORMAT_CHANGED', `${key} is not a run record: ${(err as Error).message}`, { key });
  }
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : (ms / 1000).toFixed(1);
}

/** Where a run stopped, for the list: the failed step and its error, or what is still going. */
function where(record: RunRecord): string {
  const failed = record.steps.find((s) => s.outcome === 'failed');
  if (failed !== undefined) return `${failed.name}: ${failed.error ?? ''}`.slice(0, 100);
  if (record.outcome === 'running') return `at ${record.steps.at(-1)?.name ?? 'start'} (or died there: no end recorded)`;
  return '';
}

function inputsTable(steps: readonly StepRecord[]): string {
  const rows = steps.flatMap((s) => (s.inputs ?? []).map((i) => [s.name, i.key, i.sha256.slice(0, 16), i.bytes === undefined ? '' : i.bytes.toLocaleString('en')]));
  return rows.length === 0 ? '' : `\ninputs\n${formatTable(['step', 'key or url', 'sha256 (first 16)', 'bytes'], rows)}`;
}

function outputsTable(steps: readonly StepRecord[]): string {
  const rows = steps.flatMap((s) => (s.outputs ?? []).map((o) => [s.name, o]));
  return rows.length === 0 ? '' : `\noutputs\n${formatTable(['step', 'key or folder'], rows)}`;
}

/** A run record for a person: who, where, when, each step, what it read and wrote. */
export function describeRun(record: RunRecord): string {
  const trigger = record.trigger?.kind === 'schedule' ? `the scheduler, for its ${record.trigger.tick} tick` : 'ipreg run';
  const head = [
    `run ${record.runId} of ${record.pipeline}, snapshot ${record.snapshot}: ${record.outcome}`,
    `started ${record.startedAt} by ${trigger} on ${record.host} (pid ${record.pid})${record.fromStep === undefined ? '' : `, from step ${record.fromStep}`}`,
    record.endedAt === undefined ? 'no end recorded: still running, or the process died' : `ended ${record.endedAt} (${seconds(Date.parse(record.endedAt) - Date.parse(record.startedAt))} s)`,
    ...(record.error === undefined ? [] : [`error: ${record.error}`]),
  ].join('\n');
  return `${head}\n\n${stepsTable(record)}${inputsTable(record.steps)}${outputsTable(record.steps)}`;
}

/** Registers `ipreg runs`. */
export function registerRunsCommand(program: Command, run: CommandRunner): void {
  const runs = program.command('runs').description('the run records in the lake (runs/<pipeline>/<run-id>.json)');

  runs
    .command('list')
    .description('the latest runs, newest first')
    .option('--pipeline <name>', 'only this pipeline\'s runs')
    .option('--limit <n>', 'how many', parseLimit, 20)
    .option('--json', 'one run record per line')
    .action((options: { pipeline?: string; limit: number; json?: boolean }) =>
      run('runs.list', 'data', async (ctx) => {
        const store = ctx.store();
        const records = await Promise.all((await runRecordKeys(store, options.pipeline)).slice(0, options.limit).map((k) => readRecord(store, k)));
        if (options.json === true) {
          for (const r of records) process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        if (records.length === 0) {
          process.stdout.write(`no runs recorded${options.pipeline === undefined ? '' : ` for ${options.pipeline}`}\n`);
          return;
        }
        const rows = records.map((r) => [
          r.runId,
          r.pipeline,
          r.snapshot,
          r.outcome,
          r.startedAt.replace('T', ' ').slice(0, 19),
          r.endedAt === undefined ? '' : seconds(Date.parse(r.endedAt) - Date.parse(r.startedAt)),
          r.trigger?.kind ?? 'run',
          where(r),
        ]);
        process.stdout.write(formatTable(['run id', 'pipeline', 'snapshot', 'outcome', 'started (UTC)', 'seconds', 'by', 'stopped at'], rows));
      }),
    );

  runs
    .command('show')
    .description('one run: who and where, each step with rows, skips and timing, its inputs with their sha256, its outputs')
    .argument('<run-id>', 'as `ipreg runs list` prints it')
    .option('--json', 'the record as stored')
    .action((runId: string, options: { json?: boolean }) =>
      run('runs.show', 'data', async (ctx) => {
        const store = ctx.store();
        if (!/^[0-9TZ.]+-[0-9a-f]+$/.test(runId)) throw new IpregError('USAGE', `"${runId}" is not a run id (like 20261127T030000.000Z-a1b2c3)`);
        const key = (await runRecordKeys(store)).find((k) => k.endsWith(`/${runId}.json`));
        if (key === undefined) throw new IpregError('USAGE', `no run ${runId} in the lake (ipreg runs list shows the latest)`);
        const record = await readRecord(store, key);
        process.stdout.write(options.json === true ? `${JSON.stringify(record, null, 2)}\n` : describeRun(record));
      }),
    );
}
