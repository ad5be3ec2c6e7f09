/** `ipreg run <pipeline>`: runs one pipeline once and prints its summary. */
import { InvalidArgumentError, type Command } from 'commander';
import { PIPELINE_NAMES } from '../../../pipelines/names.js';
import { IpregError } from '../../errors.js';
import type { Pipeline, RunRecord } from '../../pipeline/runner.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';

/** A `--snapshot` value: a real date written YYYY-MM-DD. */
export function parseSnapshot(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  return value;
}

/** Registers `ipreg run`. */
export function registerRunCommand(program: Command, run: CommandRunner): void {
  program
    .command('run')
    .description(`run a pipeline once: ${PIPELINE_NAMES.join(', ')}`)
    .argument('<pipeline>', 'pipeline name')
    .option('--snapshot <date>', 'snapshot date of the run (default: today, UTC)', parseSnapshot)
    .option('--sources <dir|url>', 'take source files from a generated world (folder) or a mirror (URL) instead of the publishers')
    .option('--only <source>', 'run for this source (or register) only')
    .action((name: string, options: { snapshot?: string; sources?: string; only?: string }) =>
      run('run', 'logs', async (ctx) => {
        // Loaded here, not above: the pipelines bring DuckDB and the parsers, which other commands do without.
        const [{ PIPELINES }, { sourceLocation }, { runPipeline }, { sourceById }] = await Promise.all([
          import('../../../pipelines/index.js'),
          import('../../fetch/source-location.js'),
          import('../../pipeline/runner.js'),
          import('../../sources/catalog.js'),
        ]);
        const pipeline = PIPELINES.find((p) => p.name === name);
        if (pipeline === undefined) throw new IpregError('USAGE', `unknown pipeline "${name}" (known: ${PIPELINES.map((p) => p.name).join(', ')})`);
        if (options.only !== undefined) {
          sourceById(options.only);
          if (!pipeline.sources.includes(options.only)) {
            throw new IpregError('USAGE', `${pipeline.name} does not read "${options.only}" (it reads: ${pipeline.sources.join(', ')})`);
          }
        }
        const context = {
          store: ctx.store(),
          snapshot: options.snapshot ?? new Date().toISOString().slice(0, 10),
          log: ctx.log,
          location: sourceLocation(options.sources),
          fetch: ctx.config.fetch,
          parse: ctx.config.parse,
          index: ctx.config.index,
          only: options.only,
        };
        // Every pipeline takes what it needs of the one context (the links pipeline reads the lake, not sources).
        const record = await runPipeline(pipeline as Pipeline<typeof context>, context);
        process.stderr.write(summary(record));
        if (record.outcome === 'failed') throw new IpregError('RUN_FAILED', `${record.pipeline} failed: ${record.error ?? 'see the run record'}`);
      }),
    );
}

/** The one-screen summary of a finished run, for the person who started it. */
export function summary(record: RunRecord): string {
  const rows = record.steps.map((s) => [
    s.name,
    s.outcome,
    ((s.durationMs ?? 0) / 1000).toFixed(1),
    String(s.rowsIn ?? ''),
    String(s.rowsOut ?? ''),
    Object.entries(s.skipped ?? {})
      .map(([reason, n]) => `${n} ${reason}`)
      .join('; '),
  ]);
  return `\n${record.pipeline} ${record.snapshot} (run ${record.runId}): ${record.outcome}\n${formatTable(['step', 'outcome', 'seconds', 'rows in', 'rows out', 'skipped'], rows)}`;
}
