/**
 * Opening DuckDB: the one place the project makes an instance. Every instance is in memory, never
 * installs or loads an extension from the network, and is closed with its connection.
 */
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** How an instance is bounded. */
export interface DuckDbOptions {
  /** DuckDB's memory_limit ('1GB', '256MB' …); DuckDB's own default (80 % of memory) when absent. */
  memoryLimit?: string;
  /** Worker threads; DuckDB's default (every core) when absent. */
  threads?: number;
  /** Where an operator past the memory limit spills (made with its parents). */
  spillDir?: string;
  /** Rows keep the order they were read in through a query's operators. */
  preserveInsertionOrder?: boolean;
}

/** Opens an in-memory DuckDB with extension downloads off; closing the connection closes the instance. */
export async function openDuckDb(options: DuckDbOptions = {}): Promise<DuckDBConnection> {
  // DuckDB creates the spill folder itself, but not its parents.
  if (options.spillDir !== undefined) await mkdir(join(options.spillDir, '..'), { recursive: true });
  const db = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    ...(options.memoryLimit === undefined ? {} : { memory_limit: options.memoryLimit }),
    ...(options.threads === undefined ? {} : { threads: String(options.threads) }),
    ...(options.spillDir === undefined ? {} : { temp_directory: options.spillDir }),
    ...(options.preserveInsertionOrder === undefined ? {} : { preserve_insertion_order: String(options.preserveInsertionOrder) }),
  });
  const connection = await db.connect();
  closesItsInstance(connection, db);
  return connection;
}

/**
 * Opens the DuckDB a build runs in (registers, links, the index): bounded memory spilling to
 * `<dir>/spill`, at most four threads, insertion order kept, query progress measured (read by the
 * builds' progress reports, never printed by DuckDB).
 */
export async function openBuildDuckDb(dir: string, memoryLimit = '1GB'): Promise<DuckDBConnection> {
  const connection = await openDuckDb({ memoryLimit, spillDir: join(dir, 'spill'), threads: Math.min(4, availableParallelism()), preserveInsertionOrder: true });
  await connection.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false;');
  return connection;
}

/**
 * Makes closing the connection close its instance too: an instance left to the garbage collector
 * keeps its threads until then, and one finalized while the process exits can abort it.
 */
function closesItsInstance(connection: DuckDBConnection, db: DuckDBInstance): void {
  const close = connection.closeSync.bind(connection);
  connection.closeSync = () => {
    close();
    db.closeSync();
  };
}
