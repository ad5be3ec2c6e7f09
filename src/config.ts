/**
 * The one typed configuration of ipreg. It is read once at start-up from defaults, an optional JSON
 * file, environment variables and command-line flags (later wins), validated with every problem
 * reported at once, frozen, and passed down. No other module reads `process.env`.
 */
import { readFileSync } from 'node:fs';
import { IpregError } from './errors.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings of the S3 store implementation. */
export interface S3Config {
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  sessionToken: string | undefined;
  maxAttempts: number;
  partSizeBytes: number;
  queueSize: number;
}

/** Settings of source downloads. */
export interface FetchConfig {
  concurrency: number;
  idleTimeoutMs: number;
  attempts: number;
  retryBaseMs: number;
}

/** Settings of parsing large source files. */
export interface ParseConfig {
  /** Worker threads for a large dump; 0: the cores available, at most 4; 1: none (parse on the main thread). */
  threads: number;
  /** Files smaller than this (as stored) are parsed on the main thread: not worth starting workers. */
  workersFromBytes: number;
}

/** Settings of index builds. */
export interface IndexConfig {
  /** A build whose answered ranges or linked companies fall by more than this share against the published one is not published. */
  maxDropShare: number;
}

/** How pipelines run: their leases and their quality gates. */
export interface RunConfig {
  /** How long a run's lease lasts without renewal: a run that dies holds its pipeline this long. */
  leaseSeconds: number;
  /** A step whose rows for a source (or table) fall by more than this share against the last good run of an earlier snapshot fails its gate. */
  maxDropShare: number;
  /** Hold each real source's records against the range it usually has (off for a partial mirror or test data). */
}

/** Settings of Amazon Athena (`ipreg athena register|query`); credentials are the S3 settings'. */
export interface AthenaConfig {
  database: string;
  workgroup: string;
  /** Where Athena writes query results (s3://…); unset: the workgroup's own location. */
  output: string | undefined;
  region: string;
  endpoint: string | undefined;
  /** Longest a query may run before it is stopped. */
  timeoutSeconds: number;
}

/** Settings of the resolver service (`ipreg serve`). */
export interface ServeConfig {
  host: string;
  port: number;
  /** Where the builds are: a store location whose index/latest.json is followed, or an index file; unset: the lake. */
  index: string | undefined;
  /** Seconds between two looks at index/latest.json (or the file). */
  pollSeconds: number;
  /** Most addresses in one POST /v1/lookup. */
  maxBatch: number;
  /** Most bytes of a request body. */
  maxBodyBytes: number;
  /** API keys by id, as the hex SHA-256 of the key; empty: no key needed. */
  apiKeys: readonly ApiKey[];
  /** Requests per second each key may make (a batch is one request); 0: no limit. */
  rateLimit: number;
  /** PEM files of a certificate and its private key: both set, the service speaks HTTPS only. */
  tlsCert: string | undefined;
  tlsKey: string | undefined;
}

/** An API key the resolver accepts: an id for logs and limits, and the SHA-256 of the key (never the key). */
export interface ApiKey {
  id: string;
  sha256: string;
}

/** The effective configuration. */
export interface Config {
  store: string;
  logLevel: LogLevel;
  s3: S3Config;
  fetch: FetchConfig;
  parse: ParseConfig;
  index: IndexConfig;
  run: RunConfig;
  serve: ServeConfig;
  athena: AthenaConfig;
}

/** Where a setting's effective value came from. */
export type SettingOrigin = 'default' | 'file' | 'env' | 'flag';

type Parsed = { value: unknown } | { problem: string };
type Parser = (raw: unknown) => Parsed;

/** One setting: where it lives in Config, which variables set it, how it is parsed, what it means. */
export interface SettingSpec {
  path: string;
  env: readonly string[];
  parse: Parser;
  defaultValue: unknown;
  secret: boolean;
  doc: string;
}

const MIB = 1024 * 1024;

function text(raw: unknown): Parsed {
  if (typeof raw !== 'string' || raw.trim() === '') return { problem: 'expected a non-empty string' };
  return { value: raw.trim() };
}

function oneOf(choices: readonly string[]): Parser {
  return (raw) =>
    typeof raw === 'string' && choices.includes(raw.trim().toLowerCase())
      ? { value: raw.trim().toLowerCase() }
      : { problem: `expected one of ${choices.join(', ')}` };
}

function wholeNumber(min: number, max: number): Parser {
  return (raw) => {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    return Number.isSafeInteger(n) && n >= min && n <= max
      ? { value: n }
      : { problem: `expected a whole number from ${min} to ${max}` };
  };
}

function share(raw: unknown): Parsed {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*(0(\.\d+)?|1(\.0+)?)\s*$/.test(raw) ? Number(raw) : NaN;
  return n >= 0 && n <= 1 ? { value: n } : { problem: 'expected a share from 0 to 1, such as 0.1' };
}

function flag(raw: unknown): Parsed {
  if (typeof raw === 'boolean') return { value: raw };
  const s = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (['1', 'true', 'yes', 'on'].includes(s)) return { value: true };
  if (['0', 'false', 'no', 'off'].includes(s)) return { value: false };
  return { problem: 'expected true or false' };
}

function httpUrl(raw: unknown): Parsed {
  const s = text(raw);
  if ('problem' in s) return s;
  try {
    const url = new URL(String(s.value));
    if (url.protocol === 'http:' || url.protocol === 'https:') return { value: url.toString().replace(/\/$/, '') };
  } catch {
    // fall through to the problem below
  }
  return { problem: 'expected an http:// or https:// URL' };
}

/** API keys as `id:sha256hex` entries, comma-separated (or a JSON array of them, or of {id, sha256}). */
function apiKeys(raw: unknown): Parsed {
  const entries: unknown[] = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').map((e) => e.trim()).filter((e) => e !== '') : [raw];
  const keys: ApiKey[] = [];
  for (const entry of entries) {
    const [id, sha256] = typeof entry === 'string' ? entry.split(':', 2) : [(entry as ApiKey | null)?.id, (entry as ApiKey | null)?.sha256];
    if (typeof id !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(id) || typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(sha256)) {
      return { problem: 'expected id:sha256 entries (an id of letters, digits, _ . -; the key\'s SHA-256 as 64 hex digits), comma-separated' };
    }
    if (keys.some((k) => k.id === id)) return { problem: `the key id ${id} appears twice` };
    keys.push({ id, sha256: sha256.toLowerCase() });
  }
  return { value: keys };
}

/** An s3://bucket/prefix URL. */
function s3Url(raw: unknown): Parsed {
  const s = text(raw);
  if ('problem' in s) return s;
  return /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(String(s.value)) ? s : { problem: 'expected s3://bucket[/prefix] with a valid bucket name' };
}

/** An Athena name (database or workgroup): letters, digits, underscore (and hyphen for workgroups). */
function athenaName(raw: unknown): Parsed {
  const s = text(raw);
  if ('problem' in s) return s;
  return /^[A-Za-z0-9_.-]{1,128}$/.test(String(s.value)) ? s : { problem: 'expected letters, digits, _ . or -' };
}

/** A store location: a plain path, a file:// URL or s3://bucket[/prefix]. */
function storeLocation(raw: unknown): Parsed {
  const s = text(raw);
  if ('problem' in s) return s;
  const value = String(s.value);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'file') return { value };
  if (scheme === 's3') {
    return /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(value)
      ? { value }
      : { problem: 'expected s3://bucket[/prefix] with a valid bucket name' };
  }
  return { problem: `unknown store scheme "${scheme}://" (use a path, file:// or s3://)` };
}

/** Every setting ipreg reads; docs/configuration.md lists the same (a test holds it to). */
export const SETTINGS: readonly SettingSpec[] = [
  {
    path: 'store',
    env: ['IPREG_STORE'],
    parse: storeLocation,
    defaultValue: './lake',
    secret: false,
    doc: 'the lake: a folder path, file:// URL or s3://bucket/prefix',
  },
  {
    path: 'logLevel',
    env: ['IPREG_LOG_LEVEL'],
    parse: oneOf(LOG_LEVELS),
    defaultValue: 'info',
    secret: false,
    doc: `log level: ${LOG_LEVELS.join(', ')}`,
  },
  {
    path: 's3.endpoint',
    env: ['IPREG_S3_ENDPOINT', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL'],
    parse: httpUrl,
    defaultValue: undefined,
    secret: false,
    doc: 'S3 endpoint URL for S3-compatible stores (unset: AWS)',
  },
  {
    path: 's3.region',
    env: ['IPREG_S3_REGION', 'AWS_REGION', 'AWS_DEFAULT_REGION'],
    parse: text,
    defaultValue: 'us-east-1',
    secret: false,
    doc: 'S3 region',
  },
  {
    path: 's3.forcePathStyle',
    env: ['IPREG_S3_FORCE_PATH_STYLE'],
    parse: flag,
    defaultValue: false,
    secret: false,
    doc: 'path-style bucket addressing (most S3-compatible servers need it)',
  },
  {
    path: 's3.accessKeyId',
    env: ['AWS_ACCESS_KEY_ID'],
    parse: text,
    defaultValue: undefined,
    secret: true,
    doc: 'S3 access key id (unset: the AWS SDK default credential chain)',
  },
  {
    path: 's3.secretAccessKey',
    env: ['AWS_SECRET_ACCESS_KEY'],
    parse: text,
    defaultValue: undefined,
    secret: true,
    doc: 'S3 secret access key',
  },
  {
    path: 's3.sessionToken',
    env: ['AWS_SESSION_TOKEN'],
    parse: text,
    defaultValue: undefined,
    secret: true,
    doc: 'S3 session token for temporary credentials',
  },
  {
    path: 's3.maxAttempts',
    env: ['IPREG_S3_MAX_ATTEMPTS'],
    parse: wholeNumber(1, 20),
    defaultValue: 5,
    secret: false,
    doc: 'attempts per S3 request (retries with exponential backoff and jitter)',
  },
  {
    path: 's3.partSizeBytes',
    env: ['IPREG_S3_PART_SIZE_BYTES'],
    parse: wholeNumber(5 * MIB, 5 * 1024 * MIB),
    defaultValue: 16 * MIB,
    secret: false,
    doc: 'multipart upload part size in bytes (S3 minimum 5 MiB)',
  },
  {
    path: 's3.queueSize',
    env: ['IPREG_S3_QUEUE_SIZE'],
    parse: wholeNumber(1, 64),
    defaultValue: 4,
    secret: false,
    doc: 'multipart parts uploaded at once (memory is about part size × queue size)',
  },
  {
    path: 'fetch.concurrency',
    env: ['IPREG_FETCH_CONCURRENCY'],
    parse: wholeNumber(1, 32),
    defaultValue: 4,
    secret: false,
    doc: 'source files downloaded at once',
  },
  {
    path: 'fetch.idleTimeoutMs',
    env: ['IPREG_FETCH_IDLE_TIMEOUT_MS'],
    parse: wholeNumber(1000, 3_600_000),
    defaultValue: 60_000,
    secret: false,
    doc: 'a download that sends nothing for this long is abandoned and retried',
  },
  {
    path: 'fetch.attempts',
    env: ['IPREG_FETCH_ATTEMPTS'],
    parse: wholeNumber(1, 20),
    defaultValue: 5,
    secret: false,
    doc: 'attempts per download (5xx, timeouts, cut-short bodies), with exponential backoff and jitter',
  },
  {
    path: 'fetch.retryBaseMs',
    env: ['IPREG_FETCH_RETRY_BASE_MS'],
    parse: wholeNumber(1, 600_000),
    defaultValue: 1000,
    secret: false,
    doc: 'first retry delay; each further one doubles, plus jitter',
  },
  {
    path: 'parse.threads',
    env: ['IPREG_PARSE_THREADS'],
    parse: wholeNumber(0, 64),
    defaultValue: 0,
    secret: false,
    doc: 'worker threads that parse a large RPSL dump; 0: the cores available, at most 4; 1: parse on the main thread',
  },
  {
    path: 'parse.workersFromBytes',
    env: ['IPREG_PARSE_WORKERS_FROM_BYTES'],
    parse: wholeNumber(0, Number.MAX_SAFE_INTEGER),
    defaultValue: 16 * MIB,
    secret: false,
    doc: 'files smaller than this (as stored) are parsed on the main thread',
  },
  {
    path: 'index.maxDropShare',
    env: ['IPREG_INDEX_MAX_DROP_SHARE'],
    parse: share,
    defaultValue: 0.1,
    secret: false,
    doc: 'an index build whose answered ranges or linked companies fall by more than this share against the published build is not published (override: `ipreg index publish --force`)',
  },
  {
    path: 'run.leaseSeconds',
    env: ['IPREG_RUN_LEASE_SECONDS'],
    parse: wholeNumber(2, 86_400),
    defaultValue: 120,
    secret: false,
    doc: "how long a run's lease on its pipeline lasts without renewal (renewed every third of it): a run that dies blocks the next one this long",
  },
  {
    path: 'run.maxDropShare',
    env: ['IPREG_RUN_MAX_DROP_SHARE'],
    parse: share,
    defaultValue: 0.25,
    secret: false,
    doc: "quality gate: a step whose rows for a table and source fall by more than this share against the partition published for an earlier snapshot fails, before anything is published (override one run: `ipreg run … --force`)",
  },
  {
    path: 'serve.host',
    env: ['IPREG_SERVE_HOST'],
    parse: text,
    defaultValue: '127.0.0.1',
    secret: false,
    doc: 'address `ipreg serve` listens on (0.0.0.0: every interface)',
  },
  {
    path: 'serve.port',
    env: ['IPREG_SERVE_PORT'],
    parse: wholeNumber(0, 65535),
    defaultValue: 8080,
    secret: false,
    doc: 'port `ipreg serve` listens on (0: any free port, printed at start)',
  },
  {
    path: 'athena.database',
    env: ['IPREG_ATHENA_DATABASE'],
    parse: athenaName,
    defaultValue: 'ipreg',
    secret: false,
    doc: 'the Glue database `ipreg athena register` puts the tables in and `ipreg athena query` queries',
  },
  {
    path: 'athena.workgroup',
    env: ['IPREG_ATHENA_WORKGROUP'],
    parse: athenaName,
    defaultValue: 'primary',
    secret: false,
    doc: 'the Athena workgroup queries run in',
  },
  {
    path: 'athena.output',
    env: ['IPREG_ATHENA_OUTPUT'],
    parse: s3Url,
    defaultValue: undefined,
    secret: false,
    doc: "where Athena writes query results (s3://bucket/prefix); unset: the workgroup's result location",
  },
  {
    path: 'athena.region',
    env: ['IPREG_ATHENA_REGION', 'AWS_REGION', 'AWS_DEFAULT_REGION'],
    parse: text,
    defaultValue: 'us-east-1',
    secret: false,
    doc: 'Athena region (credentials: those of the S3 settings, else the AWS SDK chain)',
  },
  {
    path: 'athena.endpoint',
    env: ['IPREG_ATHENA_ENDPOINT'],
    parse: httpUrl,
    defaultValue: undefined,
    secret: false,
    doc: 'Athena endpoint URL (unset: AWS)',
  },
  {
    path: 'athena.timeoutSeconds',
    env: ['IPREG_ATHENA_TIMEOUT_SECONDS'],
    parse: wholeNumber(1, 86_400),
    defaultValue: 600,
    secret: false,
    doc: 'longest a query may run: then it is stopped (StopQueryExecution) and the command fails',
  },
  {
    path: 'serve.index',
    env: ['IPREG_SERVE_INDEX'],
    parse: text,
    defaultValue: undefined,
    secret: false,
    doc: 'what `ipreg serve` answers from: a store (path, file:// or s3://) whose index/latest.json it follows, or an index file; unset: the lake (`store`)',
  },
  {
    path: 'serve.pollSeconds',
    env: ['IPREG_SERVE_POLL_SECONDS'],
    parse: wholeNumber(1, 86_400),
    defaultValue: 60,
    secret: false,
    doc: 'seconds between two looks for a new build (index/latest.json by its ETag, or the file by its size and time)',
  },
  {
    path: 'serve.maxBatch',
    env: ['IPREG_SERVE_MAX_BATCH'],
    parse: wholeNumber(1, 10_000),
    defaultValue: 10_000,
    secret: false,
    doc: 'most addresses in one `POST /v1/lookup`',
  },
  {
    path: 'serve.maxBodyBytes',
    env: ['IPREG_SERVE_MAX_BODY_BYTES'],
    parse: wholeNumber(1024, 64 * MIB),
    defaultValue: 2 * MIB,
    secret: false,
    doc: 'most bytes of a request body; a larger one gets 413',
  },
  {
    path: 'serve.apiKeys',
    env: ['IPREG_SERVE_API_KEYS'],
    parse: apiKeys,
    defaultValue: [],
    secret: true,
    doc: 'API keys the resolver accepts on /v1/*, as id:sha256 entries, comma-separated (the SHA-256 of each key in hex: `printf %s "$KEY" | sha256sum`); unset: no key needed',
  },
  {
    path: 'serve.rateLimit',
    env: ['IPREG_SERVE_RATE_LIMIT'],
    parse: wholeNumber(0, 1_000_000),
    defaultValue: 0,
    secret: false,
    doc: 'requests per second each API key may make, with a burst of one second\'s worth (a batch is one request); over it: 429 with Retry-After; 0: no limit',
  },
  {
    path: 'serve.tlsCert',
    env: ['IPREG_SERVE_TLS_CERT'],
    parse: text,
    defaultValue: undefined,
    secret: false,
    doc: 'PEM certificate (chain) file: with serve.tlsKey, the resolver speaks HTTPS only',
  },
  {
    path: 'serve.tlsKey',
    env: ['IPREG_SERVE_TLS_KEY'],
    parse: text,
    defaultValue: undefined,
    secret: false,
    doc: "PEM private key file of serve.tlsCert",
  },
];

/** What the command line contributes: the config file's path and flags that override settings. */
export interface ConfigInputs {
  env: Record<string, string | undefined>;
  configFile?: string | undefined;
  flags?: { store?: string | undefined; logLevel?: string | undefined };
}

/** The effective configuration together with where each value came from. */
export interface LoadedConfig {
  config: Config;
  origins: Readonly<Record<string, SettingOrigin>>;
  configFile: string | undefined;
}

/** Reads, validates and freezes the configuration; throws CONFIG_INVALID listing every problem. */
export function loadConfig(inputs: ConfigInputs): LoadedConfig {
  const problems: string[] = [];
  const configFile = inputs.configFile ?? nonEmpty(inputs.env['IPREG_CONFIG']);
  const fileValues = configFile === undefined ? {} : readConfigFile(configFile, problems);
  const flagValues: Record<string, string | undefined> = {
    store: inputs.flags?.store,
    logLevel: inputs.flags?.logLevel,
  };
  const values: Record<string, unknown> = {};
  const origins: Record<string, SettingOrigin> = {};
  for (const spec of SETTINGS) {
    const chosen = chooseRaw(spec, fileValues, inputs.env, flagValues);
    origins[spec.path] = chosen.origin;
    if (chosen.origin === 'default') {
      values[spec.path] = spec.defaultValue;
      continue;
    }
    const parsed = spec.parse(chosen.raw);
    if ('problem' in parsed) problems.push(describeProblem(spec, chosen, parsed.problem, configFile));
    else values[spec.path] = parsed.value;
  }
  if (problems.length > 0) {
    throw new IpregError(
      'CONFIG_INVALID',
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
      { problems: problems.length },
    );
  }
  return { config: deepFreeze(assemble(values)), origins: Object.freeze(origins), configFile };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s;
}

interface ChosenRaw {
  origin: SettingOrigin;
  raw: unknown;
  name: string;
}

function chooseRaw(
  spec: SettingSpec,
  fileValues: Record<string, unknown>,
  env: Record<string, string | undefined>,
  flags: Record<string, string | undefined>,
): ChosenRaw {
  const fromFlag = flags[spec.path];
  if (fromFlag !== undefined) return { origin: 'flag', raw: fromFlag, name: `--${kebab(spec.path)}` };
  for (const name of spec.env) {
    const v = env[name];
    if (v !== undefined && v !== '') return { origin: 'env', raw: v, name };
  }
  if (spec.path in fileValues) return { origin: 'file', raw: fileValues[spec.path], name: spec.path };
  return { origin: 'default', raw: spec.defaultValue, name: spec.path };
}

function describeProblem(spec: SettingSpec, chosen: ChosenRaw, problem: string, configFile?: string): string {
  const shown = spec.secret ? '(value hidden)' : JSON.stringify(chosen.raw);
  const where = chosen.origin === 'file' ? `${chosen.name} in ${configFile}` : chosen.name;
  return `${where}=${shown}: ${problem}`;
}

function kebab(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Reads the JSON config file into dotted paths; unknown keys and bad JSON are problems. */
function readConfigFile(file: string, problems: string[]): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`config file ${file} could not be read: ${(err as Error).message}`);
    return {};
  }
  const flat: Record<string, unknown> = {};
  flatten(parsed, '', flat);
  const known = new Set(SETTINGS.map((s) => s.path));
  for (const key of Object.keys(flat)) {
    if (!known.has(key)) problems.push(`${key} in ${file}: unknown setting (known: ${[...known].join(', ')})`);
  }
  return flat;
}

function flatten(value: unknown, prefix: string, out: Record<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else {
    out[prefix] = value;
  }
}

function assemble(values: Record<string, unknown>): Config {
  const root: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(values)) {
    const parts = path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1] as string] = value;
  }
  return root as unknown as Config;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The configuration as plain data with every secret replaced, for printing and logging. */
export function redactedConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of SETTINGS) {
    const value = getPath(config, spec.path);
    out[spec.path] = spec.secret && value !== undefined ? '[redacted]' : value;
  }
  return out;
}

/** The value at a dotted path of the config. */
export function getPath(config: Config, path: string): unknown {
  let node: unknown = config;
  for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

/** The process environment, handed to loadConfig by the entry point (the one place it is read). */
export function processEnvironment(): Record<string, string | undefined> {
  return process.env;
}
