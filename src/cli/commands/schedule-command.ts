/** `ipreg pipelines` (what runs, when, step by step) and `ipreg schedule` (the scheduler, in the foreground). */
import { InvalidArgumentError, type Command } from 'commander';
import { IpregError } from '../../errors.js';
import { isWriteStep, type Pipeline, type RunContext, type Schedule } from '../../pipeline/runner.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';
import { pipelineNamed, runContext, runSettings } from './run-command.js';
import { PIPELINE_NAMES } from '../../../pipelines/names.js';

function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('expected a value');
  return value;
}

/** Registers `ipreg pipelines` and `ipreg schedule`. */
export function registerScheduleCommand(program: Command, run: CommandRunner): void {
  program
    .command('pipelines')
    .description('every pipeline: when it runs, its steps, what each reads and writes')
    .option('--json', 'as JSON')
    .action((options: { json?: boolean }) =>
      run('pipelines', 'data', async () => {
        const pipelines = await Promise.all(PIPELINE_NAMES.map((n) => pipelineNamed(n)));
        if (options.json === true) {
          const plain = pipelines.map((p) => ({
            ...p,
            steps: p.steps.map((s) => ({ name: s.name, description: s.description, inputs: s.inputs, outputs: s.outputs, kind: s.kind ?? 'make', startsRun: !isWriteStep(s), memoized: !isWriteStep(s) && s.fingerprint !== undefined })),
          }));
          process.stdout.write(`${JSON.stringify(plain, null, 2)}\n`);
          return;
        }
        for (const p of pipelines) {
          process.stdout.write(`${p.name}: ${p.description}\n  schedule: ${p.schedule.cron} (${p.schedule.timeZone}): ${p.schedule.why}\n`);
          const rows = p.steps.map((s) => [s.name, s.inputs.join('; '), s.outputs.join('; '), isWriteStep(s) ? 'no' : 'yes']);
          process.stdout.write(`${formatTable(['  step', 'reads', 'writes', '--from-step'], rows.map(([n, ...rest]) => [`  ${n}`, ...rest] as string[]))}\n`);
        }
      }),
    );

  program
    .command('schedule')
    .description('run pipelines at their schedules, in the foreground, until SIGTERM or SIGINT (the running step finishes first)')
    .argument('[pipelines...]', `which (default: nightly; any of ${PIPELINE_NAMES.join(', ')})`)
    .option('--cron <expression>', 'run them at this cron expression instead of their own (five fields, or six with seconds)', nonEmpty)
    .option('--time-zone <zone>', 'in this IANA time zone instead of their own', nonEmpty)
    .option('--sources <dir|url>', 'take source files from a generated world (folder) or a mirror (URL) instead of the publishers')
    .action((names: string[], options: { cron?: string; timeZone?: string; sources?: string }) =>
      run('schedule', 'logs', async (ctx) => {
        const { Scheduler } = await import('../../pipeline/scheduler.js');
        const chosen = names.length === 0 ? ['nightly'] : names;
        if (new Set(chosen).size !== chosen.length) throw new IpregError('USAGE', `a pipeline is named twice: ${chosen.join(', ')}`);
        const pipelines = await Promise.all(
          chosen.map(async (name) => {
            const pipeline: Pipeline<RunContext> = await pipelineNamed(name);
            const schedule: Pick<Schedule, 'cron' | 'timeZone'> = { cron: options.cron ?? pipeline.schedule.cron, timeZone: options.timeZone ?? pipeline.schedule.timeZone };
            return { pipeline, schedule };
          }),
        );
        // One context, its snapshot set per tick: the tick's date in the pipeline's time zone.
        const base = await runContext(ctx, '1970-01-01', options);
        const scheduler = new Scheduler({ store: ctx.store(), log: ctx.log, pipelines, context: (snapshot) => ({ ...base, snapshot }), runOptions: runSettings(ctx) });
        scheduler.start();
        await new Promise<void>((resolve) => {
          const stop = (signal: NodeJS.Signals) => {
            ctx.log.info({ signal }, 'stopping: the running steps finish, no new run starts');
            process.off('SIGTERM', stop);
            process.off('SIGINT', stop);
            void scheduler.stop().then(resolve);
          };
          process.on('SIGTERM', stop);
          process.on('SIGINT', stop);
        });
        ctx.log.info({}, 'scheduler stopped');
      }),
    );
}
