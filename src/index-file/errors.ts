/** The reader's errors: a file it will not use, and text that is not an address. */
/** Why a file was rejected: the codes of FORMAT.md. */
export type IndexFileErrorCode =
  | 'INDEX_TRUNCATED' | 'INDEX_BAD_MAGIC' | 'INDEX_UNSUPPORTED_VERSION' | 'INDEX_CHECKSUM' | 'INDEX_LENGTH'
  | 'INDEX_BAD_SECTION' | 'INDEX_BAD_METADATA' | 'INDEX_INVARIANT' | 'INDEX_NOT_A_FILE';

/** A file the reader will not use, with what is wrong and where. */
export class IndexFileError extends Error {
  readonly code: IndexFileErrorCode;
  constructor(code: IndexFileErrorCode, message: string) {
    super(message);
    this.name = 'IndexFileError';
    this.code = code;
  }
}

/** Text that is not an IP address. The message never repeats it: it may be a visitor's address. */
export class InvalidAddressError extends Error {
  readonly code = 'INVALID_ADDRESS';
  constructor() {
    super('not an IPv4 or IPv6 address');
    this.name = 'InvalidAddressError';
  }
}
