/** `ipreg config`: the effective configuration, where each value came from, secrets redacted. */
import type { Command } from 'commander';
import { redactedConfig, SETTINGS } from '../../config.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';

/** Registers `ipreg config`. */
export function registerConfigCommand(program: Command, run: CommandRunner): void {
  program
    .command('config')
    .description('print the effective configuration (secrets redacted) and where each value came from')
    .option('--json', 'print JSON instead of a table')
    .action((options: { json?: boolean }) =>
      run('config', 'data', async (ctx) => {
        const values = redactedConfig(ctx.config);
        if (options.json === true) {
          process.stdout.write(`${JSON.stringify({ configFile: ctx.loaded.configFile ?? null, settings: values }, null, 2)}\n`);
          return;
        }
        const rows = SETTINGS.map((s) => [
          s.path,
          values[s.path] === undefined ? '-' : String(values[s.path]),
          ctx.loaded.origins[s.path] ?? 'default',
          s.env.join(', '),
        ]);
        process.stdout.write(formatTable(['setting', 'value', 'from', 'variables'], rows));
        if (ctx.loaded.configFile !== undefined) process.stdout.write(`config file: ${ctx.loaded.configFile}\n`);
      }),
    );
}

