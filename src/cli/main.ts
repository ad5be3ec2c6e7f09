#!/usr/bin/env node
/**
 * The `ipreg` command line. Exit codes: 0 ok, 1 failed, 2 usage or configuration error. Errors are
 * printed as one sentence; the stack trace only at log level debug or trace.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { LOG_LEVELS, processEnvironment, type LogLevel } from '../config.js';
import { IpregError } from '../errors.js';
import { redactUrl } from '../log.js';
import { createCommandRunner } from './command-runner.js';
import { COMMANDS } from './commands.js';

/** Exit codes of the CLI. */
export const EXIT = { ok: 0, failed: 1, usage: 2, locked: 75 } as const;

/** Builds the program with its global options and every command. */
export function buildProgram(env: Record<string, string | undefined>, observed: (level: LogLevel) => void): Command {
  const program = new Command('ipreg')
    .description('which registered company is behind this IP address? — pipelines, lake and index')
    .addOption(new Option('--store <location>', 'the lake: folder path, file:// or s3://bucket/prefix (default ./lake)'))
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS))
    .addOption(new Option('--config <file>', 'JSON configuration file (or IPREG_CONFIG)'))
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  const run = createCommandRunner(program, env, observed);
  for (const register of COMMANDS) register(program, run);
  for (const sub of program.commands) applyExitOverride(sub);
  return program;
}

function applyExitOverride(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) applyExitOverride(sub);
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  let level: LogLevel | undefined;
  const program = buildProgram(env, (l) => (level = l));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const effective = level ?? program.opts<{ logLevel?: string }>().logLevel;
    const showStack = effective === 'debug' || effective === 'trace';
    process.stderr.write(`ipreg: ${describe(err, showStack)}\n`);
    if (err instanceof IpregError && (err.code === 'USAGE' || err.code === 'CONFIG_INVALID')) return EXIT.usage;
    // EX_TEMPFAIL: another run holds the lake; trying later will do (cron wrappers and schedulers tell this apart).
    if (err instanceof IpregError && err.code === 'LOCKED') return EXIT.locked;
    return EXIT.failed;
  }
}

function describe(err: unknown, showStack: boolean): string {
  const error = err instanceof Error ? err : new Error(String(err));
  const text = showStack && error.stack !== undefined ? error.stack : error.message;
  return redactUrl(text);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // The AWS SDK warns on every run under Node 20 that its releases after January 2027 need Node 22;
  // the lock file pins a release that supports Node 20, and docs/development.md says so. Its documented opt-out:
  // eslint-disable-next-line no-restricted-properties
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  // A reader that stops early (`ipreg query … | head`) closes the pipe: that ends the output, not in a crash.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  process.exitCode = await main(process.argv.slice(2), processEnvironment());
}
