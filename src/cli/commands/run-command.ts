/** `ipreg run <pipeline>`: runs one pipeline once and prints its summary. */
import { InvalidArgumentError, type Command } from 'commander';
import { PIPELINE_NAMES } from '../../../pipelines/names.js';
import { IpregError } from '../../errors.js';
import { isSnapshot, resolveSnapshot } from '../../pipeline/snapshot.js';
import type { Pipeline, RunContext, RunRecord } from '../../pipeline/runner.js';
import type { CommandContext } from '../context.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';

/** A `--snapshot` value: a real date written YYYY-MM-DD (commander's option parser). */
export function parseSnapshot(value: string): string {
  if (!isSnapshot(value)) throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  return value;
}

/** How long `--wait` waits without a number: longer than any run takes. */
const DEFAULT_WAIT_MS = 6 * 3600_000;

function parseWait(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected seconds, a number ≥ 0');
  return n;
}

/** Registers `ipreg run`. */
export function registerRunCommand(program: Command, run: CommandRunner): void {
  program
    .command('run')
    .description(`run a pipeline once: ${PIPELINE_NAMES.join(', ')}`)
    .argument('<pipeline>', 'pipeline name')
    .option('--snapshot <date>', 'snapshot date of the run (default: the world\'s, when --sources is a generated world; else today, UTC)', parseSnapshot)
    .option('--sources <dir|url>', 'take source files from a generated world (folder) or a mirror (URL) instead of the publishers')
    .option('--only <source>', 'run for this source (or register) only')
    .option('--from-step <step>', 'start at this step (the ones before it are not run); see `ipreg pipelines`')
    .option('--wait [seconds]', 'when another run of the pipeline holds the lake, wait for it (default 6 hours) instead of exiting', parseWait)
    .option('--force', 'publish even when quality gates fail (each failed gate is recorded as overridden in the run record)')
    .action((name: string, options: { snapshot?: string; sources?: string; only?: string; fromStep?: string; wait?: number | true; force?: boolean }) =>
      run('run', 'logs', async (ctx) => {
        // Loaded here, not above: the pipelines bring DuckDB and the parsers, which other commands do without.
        const [pipeline, { runPipeline }, { sourceById }] = await Promise.all([pipelineNamed(name), import('../../pipeline/runner.js'), import('../../sources/catalog.js')]);
        if (options.only !== undefined) {
          sourceById(options.only);
          if (!pipeline.sources.includes(options.only)) {
            throw new IpregError('USAGE', `${pipeline.name} does not read "${options.only}" (it reads: ${pipeline.sources.join(', ')})`);
          }
        }
        const { snapshot, origin } = await resolveSnapshot(options.snapshot, options.sources);
        if (origin === 'world') ctx.log.info({ snapshot, sources: options.sources }, 'snapshot: the generated world\'s (world.json)');
        const context = await runContext(ctx, snapshot, options);
        const waitMs = options.wait === undefined ? 0 : options.wait === true ? DEFAULT_WAIT_MS : options.wait * 1000;
        const record = await runPipeline(pipeline as Pipeline<typeof context>, context, { fromStep: options.fromStep, waitMs, ...runSettings(ctx) });
        process.stderr.write(summary(record));
        if (record.outcome === 'failed') throw new IpregError('RUN_FAILED', `${record.pipeline} failed: ${record.error ?? 'see the run record'}`);
      }),
    );
}

/** The pipeline called `name` (loaded with everything it needs); a usage error naming the known ones otherwise. */
export async function pipelineNamed(name: string): Promise<Pipeline<RunContext>> {
  const { PIPELINES } = await import('../../../pipelines/index.js');
  const pipeline = PIPELINES.find((p) => p.name === name);
  if (pipeline === undefined) throw new IpregError('USAGE', `unknown pipeline "${name}" (known: ${PIPELINES.map((p) => p.name).join(', ')})`);
  return pipeline as unknown as Pipeline<RunContext>;
}

/**
 * The context of one run: every pipeline takes what it needs of it (the links pipeline reads the
 * lake, not sources). `sources`: a generated world's folder or a mirror instead of the publishers.
 */
export async function runContext(ctx: CommandContext, snapshot: string, options: { sources?: string; only?: string; force?: boolean }): Promise<RunContext> {
  const { sourceLocation } = await import('../../fetch/source-location.js');
  return {
    store: ctx.store(),
    snapshot,
    log: ctx.log,
    location: sourceLocation(options.sources),
    fetch: ctx.config.fetch,
    parse: ctx.config.parse,
    index: ctx.config.index,
    only: options.only,
    force: options.force === true,
  } as RunContext;
}

/** The runner's settings from the configuration: the lease's time to live and the previous-snapshot gate. */
export function runSettings(ctx: CommandContext): { leaseTtlMs: number; maxDropShare: number } {
  return { leaseTtlMs: ctx.config.run.leaseSeconds * 1000, maxDropShare: ctx.config.run.maxDropShare };
}

/** The one-screen summary of a finished run, for the person who started it. */
export function summary(record: RunRecord): string {
  return `\n${record.pipeline} ${record.snapshot} (run ${record.runId}): ${record.outcome}\n${stepsTable(record)}`;
}

/** A run's steps: outcome, seconds, rows in and out, skipped by reason. */
export function stepsTable(record: RunRecord): string {
  const rows = record.steps.map((s) =>
    s.outcome === 'skipped'
      ? [s.name, s.outcome, ((s.durationMs ?? 0) / 1000).toFixed(1), '', '', s.skippedBecause ?? '']
      : [
          s.name,
          s.outcome,
          ((s.durationMs ?? 0) / 1000).toFixed(1),
          String(s.rowsIn ?? ''),
          String(s.rowsOut ?? ''),
          Object.entries(s.skipped ?? {})
            .map(([reason, n]) => `${n} ${reason}`)
            .join('; '),
        ],
  );
  return formatTable(['step', 'outcome', 'seconds', 'rows in', 'rows out', 'records skipped (or why the step was)'], rows);
}
