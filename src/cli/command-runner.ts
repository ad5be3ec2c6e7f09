/**
 * Runs one command's action inside its context: builds the context from the global flags, runs,
 * and releases what was opened, whatever happens.
 */
import type { Command } from 'commander';
import type { LogLevel } from '../config.js';
import { createContext, type CommandContext, type GlobalFlags, type StdoutUse } from './context.js';

/** Runs a command's action with its context. */
export type CommandRunner = (
  command: string,
  stdout: StdoutUse,
  action: (ctx: CommandContext) => Promise<void>,
) => Promise<void>;

/** The runner for one invocation; `observed` receives the effective log level once the config is known. */
export function createCommandRunner(
  program: Command,
  env: Record<string, string | undefined>,
  observed: (level: LogLevel) => void,
): CommandRunner {
  return async (command, stdout, action) => {
    const ctx = createContext(program.opts<GlobalFlags>(), env, command, stdout);
    observed(ctx.config.logLevel);
    try {
      await action(ctx);
    } finally {
      await ctx.close();
    }
  };
}
