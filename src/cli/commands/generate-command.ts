/** `ipreg generate`: the seeded synthetic world, in every source's format, with its truth. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_SNAPSHOT, SCALES, type Scale } from '../../world/scale.js';
import type { CommandRunner } from '../command-runner.js';
import { parseSnapshot } from './run-command.js';

function parseSeed(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('expected a whole number from 0 to 999999999');
  return Number(value);
}

/** Registers `ipreg generate`. */
export function registerGenerateCommand(program: Command, run: CommandRunner): void {
  program
    .command('generate')
    .description('write the seeded synthetic world (every source format, with its truth) to a folder')
    .option('--seed <n>', 'seed of the world', parseSeed, 1)
    .addOption(new Option('--scale <scale>', 'small: a few thousand ranges; medium: a tenth of the real world; full: the real world').choices(SCALES).default('small'))
    .option('--snapshot <date>', 'the date the world is a snapshot of', parseSnapshot, DEFAULT_SNAPSHOT)
    .requiredOption('--out <dir>', 'folder to write (replaced whole when the world is complete)')
    .action((options: { seed: number; scale: string; snapshot: string; out: string }) =>
      run('generate', 'logs', async (ctx) => {
        const started = Date.now();
        const { generateWorld } = await import('../../world/generate.js');
        const manifest = await generateWorld({
          seed: options.seed,
          scale: options.scale as Scale,
          snapshot: options.snapshot,
          outDir: options.out,
          log: ctx.log,
        });
        const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
        ctx.log.info({ out: options.out, files: manifest.files.length, bytes, durationMs: Date.now() - started }, 'world generated');
      }),
    );
}
