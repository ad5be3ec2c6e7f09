/** The list of commands the CLI offers; a command is added here once it works. */
import type { Command } from 'commander';
import type { CommandRunner } from './command-runner.js';
import { registerAthenaCommand } from './commands/athena-command.js';
import { registerConfigCommand } from './commands/config-command.js';
import { registerEvalCommand } from './commands/eval-command.js';
import { registerIndexCommand } from './commands/index-command.js';
import { registerGenerateCommand } from './commands/generate-command.js';
import { registerQueryCommand } from './commands/query-command.js';
import { registerRunCommand } from './commands/run-command.js';
import { registerRunsCommand } from './commands/runs-command.js';
import { registerScheduleCommand } from './commands/schedule-command.js';
import { registerServeCommand } from './commands/serve-command.js';
import { registerStoreCommand } from './commands/store-command.js';
import { registerCorrectionsCommand } from './commands/corrections-command.js';

/** Registers one command (and its subcommands) on the program. */
export type CommandRegistrar = (program: Command, run: CommandRunner) => void;

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandRegistrar[] = [registerRunCommand, registerScheduleCommand, registerRunsCommand, registerConfigCommand, registerStoreCommand, registerQueryCommand, registerAthenaCommand, registerGenerateCommand, registerEvalCommand, registerCorrectionsCommand, registerIndexCommand, registerServeCommand];
