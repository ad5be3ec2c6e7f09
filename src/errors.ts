/**
 * The one error type of ipreg: a stable `code` for programs, a sentence for people, and the
 * context (source, file, line, field, value, key …) that says where the problem is.
 */

/** Where an error happened; every field is optional and only what is known is set. */
export interface ErrorContext {
  source?: string;
  file?: string;
  line?: number;
  field?: string;
  value?: string;
  key?: string;
  [extra: string]: string | number | boolean | undefined;
}

/** Error codes used across ipreg; a new code is added here, not invented at the throw site. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'USAGE'
  | 'STORE_URL_INVALID'
  | 'STORE_KEY_INVALID'
  | 'STORE_NOT_FOUND'
  | 'STORE_PRECONDITION_FAILED'
  | 'STORE_IO'
  | 'FORMAT_CHANGED'
  | 'FILE_TRUNCATED'
  | 'FILE_MALFORMED'
  | 'FETCH_FAILED'
  | 'BUDGET_EXCEEDED'
  | 'RUN_FAILED'
  | 'LOCKED'
  | 'GATE_FAILED'
  | 'ATHENA_FAILED'
  | 'INTERNAL';

/** An error with a code and context; the message is a full sentence naming the bad value. */
export class IpregError extends Error {
  readonly code: ErrorCode;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IpregError';
    this.code = code;
    this.context = context;
  }
}

/** Thrown by a store when a conditional write loses (put-if-absent on an existing key, put-if-match on a changed one). */
export class PreconditionFailedError extends IpregError {
  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super('STORE_PRECONDITION_FAILED', message, context, options);
    this.name = 'PreconditionFailedError';
  }
}

/** Thrown by a store when a key does not exist. */
export class NotFoundError extends IpregError {
  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super('STORE_NOT_FOUND', message, context, options);
    this.name = 'NotFoundError';
  }
}
