/**
 * What every command gets: the validated configuration, a logger, and the store it names. Built
 * once per command from the global flags, after the command line has been parsed.
 */
import { loadConfig, type Config, type LoadedConfig } from '../config.js';
import { createLogger, type Logger } from '../log.js';
import { openStore } from '../store/open-store.js';
import type { ObjectStore } from '../store/store.js';

/** The global flags every command accepts. */
export interface GlobalFlags {
  store?: string;
  logLevel?: string;
  config?: string;
}

/** The context a command runs in. */
export interface CommandContext {
  loaded: LoadedConfig;
  config: Config;
  log: Logger;
  /** Opens the configured store (once; later calls return the same store). */
  store(): ObjectStore;
  /** Releases what the context opened. */
  close(): Promise<void>;
}

/** How a command uses standard output: for data (logs then go to stderr) or for logs. */
export type StdoutUse = 'data' | 'logs';

/** Builds the context of one command from the global flags and the environment. */
export function createContext(
  flags: GlobalFlags,
  env: Record<string, string | undefined>,
  command: string,
  stdout: StdoutUse,
): CommandContext {
  const loaded = loadConfig({ env, configFile: flags.config, flags: { store: flags.store, logLevel: flags.logLevel } });
  const { config } = loaded;
  const log = createLogger({ level: config.logLevel, stream: stdout === 'data' ? 'stderr' : 'stdout' }).child({
    command,
  });
  let opened: ObjectStore | undefined;
  return {
    loaded,
    config,
    log,
    store: () => (opened ??= openStore(config.store, config.s3)),
    close: async () => {
      await opened?.close();
    },
  };
}
