/**
 * The root logger: JSON lines through pino, pretty only for a person at a terminal. Messages are
 * constant and facts go in fields. Credentials and the signatures of pre-signed URLs never reach
 * the output.
 */
import { createRequire } from 'node:module';
import { pino, type Logger, type DestinationStream } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

/** Field paths whose values are secrets wherever they appear in a log record. */
export const REDACTED_PATHS = [
  'secretAccessKey',
  'sessionToken',
  'accessKeyId',
  'password',
  'apiKey',
  'authorization',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.accessKeyId',
  '*.password',
  '*.apiKey',
  '*.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
];

/** Query parameters that carry a credential or signature in a URL. */
const SECRET_QUERY_PARAMS = /^(x-amz-signature|x-amz-credential|x-amz-security-token|signature|awsaccesskeyid|sig|token|access_token|api_key|apikey|key)$/i;

/** Text with every URL's credentials (user info, signature and token parameters) replaced by REDACTED. */
export function redactUrl(text: string): string {
  return text.replace(/\b(https?|s3):\/\/[^\s"'<>]+/gi, (match) => {
    let url: URL;
    try {
      url = new URL(match);
    } catch {
      return match;
    }
    let changed = false;
    if (url.username !== '' || url.password !== '') {
      url.username = 'REDACTED';
      url.password = '';
      changed = true;
    }
    for (const name of [...url.searchParams.keys()]) {
      if (SECRET_QUERY_PARAMS.test(name)) {
        url.searchParams.set(name, 'REDACTED');
        changed = true;
      }
    }
    return changed ? url.toString() : match;
  });
}

function scrubUrls(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.includes('://') ? redactUrl(value) : value;
  // Errors keep their class for the err serializer, which redacts their message itself.
  if (depth <= 0 || value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => scrubUrls(v, depth - 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubUrls(v, depth - 1);
  return out;
}

/** Options of the root logger. */
export interface LoggerOptions {
  level: LogLevel;
  /** Where log lines go: commands whose standard output is data log to stderr. */
  stream: 'stdout' | 'stderr';
  /** Pretty, coloured lines instead of JSON; by default when the stream is a terminal. */
  pretty?: boolean;
  /** A destination for tests; overrides `stream`. */
  destination?: DestinationStream;
}

/** pino-pretty's stream to a file descriptor: loaded only for a terminal (its colours and formatting are a few MB a service never uses). */
function prettyStream(fd: 1 | 2): DestinationStream {
  const pinoPretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pinoPretty({ destination: fd, sync: true });
}

/** Creates the root logger; every other logger is a child of it. */
export function createLogger(options: LoggerOptions): Logger {
  const target = options.stream === 'stderr' ? process.stderr : process.stdout;
  const pretty = options.pretty ?? Boolean(target.isTTY);
  const destination =
    options.destination ??
    (pretty ? prettyStream(options.stream === 'stderr' ? 2 : 1) : pino.destination({ fd: options.stream === 'stderr' ? 2 : 1, sync: true }));
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { log: (record) => scrubUrls(record, 4) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' && a.includes('://') ? redactUrl(a) : a)) as Parameters<typeof method>);
        },
      },
      serializers: { err: (err: unknown) => serializeError(err) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Errors as log fields: type, code, message, context, stack and cause, every URL in them redacted. */
function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return err;
  const fields: Record<string, unknown> = { type: err.name, message: redactUrl(err.message) };
  if (err.stack !== undefined) fields['stack'] = redactUrl(err.stack);
  const extra = err as unknown as Record<string, unknown>;
  if (typeof extra['code'] === 'string' || typeof extra['code'] === 'number') fields['code'] = extra['code'];
  if (extra['context'] !== undefined) fields['context'] = scrubUrls(extra['context'], 2);
  if (err.cause !== undefined && depth < 3) fields['cause'] = serializeError(err.cause, depth + 1);
  return fields;
}
