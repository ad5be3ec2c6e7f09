/**
 * Every key of the lake, named in one place. The lake is one store (a folder or an S3 prefix) holding:
 *
 * | prefix         | what                                                                  | written by            |
 * | -------------- | --------------------------------------------------------------------- | --------------------- |
 * | `raw/`         | source files as fetched, with a `.meta.json` each (immutable)          | the fetchers          |
 * | `tables/`      | Parquet tables in Hive partitions (`<column>=<value>/`)               | the pipelines         |
 * | `index/`       | index builds (`builds/<id>/`) and the published pointer `latest.json` | index build, publish  |
 * | `runs/`        | run records, one JSON object per run                                  | the runner            |
 * | `state/`       | step memos (`<snapshot>/<pipeline>/<step>.json`) and sync state       | the runner, sync      |
 * | `locks/`       | leases, one per pipeline                                              | the runner            |
 * | `schedule/`    | claimed schedule ticks                                                | the scheduler         |
 * | `suppression/` | the objection list (GDPR Art. 21)                                     | operators             |
 */

/** The top-level prefixes, each ending in '/'. */
export const LAKE_PREFIXES = {
  raw: 'raw/',
  tables: 'tables/',
  index: 'index/',
  runs: 'runs/',
  state: 'state/',
  locks: 'locks/',
  schedule: 'schedule/',
  suppression: 'suppression/',
  corrections: 'corrections/',
} as const;

// raw/

/** The folder of a source's raw files: `raw/<source>/`. */
export function rawSourcePrefix(source: string): string {
  return `${LAKE_PREFIXES.raw}${source}/`;
}

/** The key of a raw file: `raw/<source>/<snapshot>/<file>`. */
export function rawKey(source: string, snapshot: string, file: string): string {
  return `${rawSourcePrefix(source)}${snapshot}/${file}`;
}

// tables/

/** The folder of a table: `tables/<table>/`. */
export function tablePrefix(table: string): string {
  return `${LAKE_PREFIXES.tables}${table}/`;
}

/** The folder of one partition (no trailing '/'): `tables/<table>/<column>=<value>/…`, in the partitions' order. */
export function partitionFolder(table: string, partitions: readonly (readonly [string, string])[]): string {
  return `${LAKE_PREFIXES.tables}${table}${partitions.map(([column, value]) => `/${column}=${value}`).join('')}`;
}

/** The path segment that marks a snapshot's partition in any table's keys. */
export function snapshotSegment(snapshot: string): string {
  return `/snapshot=${snapshot}/`;
}

// index/

/** The published pointer: the build resolvers load. */
export const LATEST_KEY = `${LAKE_PREFIXES.index}latest.json`;

/** The folder of every index build. */
export const BUILDS_PREFIX = `${LAKE_PREFIXES.index}builds/`;

/** The folder of an index build (no trailing '/'): `index/builds/<id>`. */
export function buildFolder(buildId: string): string {
  return `${BUILDS_PREFIX}${buildId}`;
}

// runs/

/** The folder of the run records of one pipeline, or of all. */
export function runsPrefix(pipeline?: string): string {
  return pipeline === undefined ? LAKE_PREFIXES.runs : `${LAKE_PREFIXES.runs}${pipeline}/`;
}

/** The key of a run record: `runs/<pipeline>/<run-id>.json`. */
export function runKey(pipeline: string, runId: string): string {
  return `${runsPrefix(pipeline)}${runId}.json`;
}

// state/

/** The key of a step's memo: `state/<snapshot>/<pipeline>/<step>.json` (`unit` is `<pipeline>/<step>`). */
export function memoKey(snapshot: string, unit: string): string {
  return `${LAKE_PREFIXES.state}${snapshot}/${unit}.json`;
}

/** The folder of `ipreg store sync`'s state in a destination. */
export const SYNC_STATE_PREFIX = `${LAKE_PREFIXES.state}sync/`;

// locks/, schedule/, suppression/

/** The key of a lease: `locks/<name>.json`. */
export function leaseKey(name: string): string {
  return `${LAKE_PREFIXES.locks}${name}.json`;
}

/** The key that claims a schedule tick: `schedule/<pipeline>/<YYYYMMDDTHHMMSSZ>.json`. */
export function tickKey(pipeline: string, tick: Date): string {
  return `${LAKE_PREFIXES.schedule}${pipeline}/${tick.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.json`;
}

/** Where the objection list (GDPR Art. 21) is kept: CSV with register, register_id, name. */
export const SUPPRESSION_KEY = `${LAKE_PREFIXES.suppression}objections.csv`;

/** Users' class corrections (by range, organisation or company), honoured by links and the index. */
export const CORRECTIONS_KEY = `${LAKE_PREFIXES.corrections}classes.csv`;

/** The users' own known network operators (by,value,class,established: src/links/class-data.ts), read before the built-in list. */
export const OPERATORS_KEY = `${LAKE_PREFIXES.corrections}operators.csv`;
