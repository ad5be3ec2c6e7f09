/**
 * Streaming text output: text in, bytes on disk in the publisher's encoding
 * (UTF-8, UTF-8 with a byte-order mark, or latin-1), optionally gzipped, with backpressure, line
 * counting (for the truth's line numbers) and the sha256 and md5 of what was written.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';

/** How a file is encoded on disk. */
export interface OutputOptions {
  encoding: 'utf8' | 'latin1';
  /** Start with a UTF-8 byte-order mark (the Estonian register does). */
  bom?: boolean;
  gzip?: boolean;
  /** Skip the sha256 and md5 (temporary files nobody will check). */
  noDigests?: boolean;
}

/** What was written. */
export interface WrittenFile {
  path: string;
  bytes: number;
  lines: number;
  sha256: string;
  md5: string;
}

const FLUSH_CHARS = 1 << 20;

/** One output file, written front to back. */
export class OutputFile {
  /** Lines written so far; the next line written is line `lines + 1`. */
  lines = 0;
  private pending: string[] = [];
  private pendingChars = 0;
  private draining: Promise<void> | undefined;
  private bytes = 0;
  private readonly sha256: Hash = createHash('sha256');
  private readonly md5: Hash = createHash('md5');
  private readonly file: WriteStream;
  private readonly gzip: Gzip | undefined;

  private constructor(
    readonly path: string,
    private readonly options: OutputOptions,
  ) {
    this.file = createWriteStream(path);
    if (options.gzip === true) {
      this.gzip = createGzip({ level: 6 });
      this.gzip.on('data', (chunk: Buffer) => this.count(chunk));
      this.gzip.pipe(this.file);
    }
    if (options.bom === true) this.pending.push('\ufeff');
  }

  /** Creates the file (and its folder). */
  static async open(path: string, options: OutputOptions): Promise<OutputFile> {
    await mkdir(dirname(path), { recursive: true });
    return new OutputFile(path, options);
  }

  /** Creates the file in a folder that exists, without waiting (the file opens in the background). */
  static create(path: string, options: OutputOptions): OutputFile {
    return new OutputFile(path, options);
  }

  /** Appends text; returns a promise only when the disk needs to catch up (await it then). */
  write(text: string): Promise<void> | undefined {
    this.pending.push(text);
    this.pendingChars += text.length;
    let at = text.indexOf('\n');
    while (at !== -1) {
      this.lines++;
      at = text.indexOf('\n', at + 1);
    }
    return this.pendingChars >= FLUSH_CHARS ? this.flush() : undefined;
  }

  /** Appends one line that holds no line break but its final one (no scanning). */
  writeLine(text: string): Promise<void> | undefined {
    this.pending.push(text);
    this.pendingChars += text.length;
    this.lines++;
    return this.pendingChars >= FLUSH_CHARS ? this.flush() : undefined;
  }

  /**
   * Appends text already encoded in the file's encoding, holding `lines` whole lines (made in a
   * worker thread, say); returns a promise only when the disk needs to catch up.
   */
  writeEncoded(bytes: Uint8Array, lines: number): Promise<void> | undefined {
    this.lines += lines;
    const flushed = this.pending.length > 0 ? this.flush() : undefined; // text before it goes first
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.gzip === undefined) this.count(chunk);
    const target = this.gzip ?? this.file;
    if (target.write(chunk)) return flushed;
    const drained = this.drained();
    return flushed === undefined ? drained : Promise.all([flushed, drained]).then(() => undefined);
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    const chunk = this.options.encoding === 'latin1' ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
    if (this.gzip === undefined) this.count(chunk);
    if (!(this.gzip ?? this.file).write(chunk)) await this.drained();
  }

  /**
   * The one wait for the stream to drain. close() waits for it before ending the stream: a stream
   * that is ending never emits 'drain', and a writer waiting for it would wait forever.
   */
  private drained(): Promise<void> {
    this.draining ??= once(this.gzip ?? this.file, 'drain').then(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private count(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.options.noDigests === true) return;
    this.sha256.update(chunk);
    this.md5.update(chunk);
  }

  /** Flushes, closes, and returns the file's size, lines and digests. */
  async close(): Promise<WrittenFile> {
    await this.flush();
    await this.draining;
    const finished = once(this.file, 'finish');
    if (this.gzip !== undefined) this.gzip.end();
    else this.file.end();
    await finished;
    return { path: this.path, bytes: this.bytes, lines: this.lines, sha256: this.sha256.digest('hex'), md5: this.md5.digest('hex') };
  }
}

/** A CSV field quoted the RFC 4180 way: in double quotes, inner quotes doubled. */
export function quoted(value: string): string {
  return value.includes('"') ? `"${value.replace(/"/g, '""')}"` : `"${value}"`;
}

/** A CSV field quoted only where it must be (separator, quote or line break inside). */
export function minimallyQuoted(value: string, separator = ','): string {
  return (separator === ',' ? NEEDS_QUOTES_COMMA : NEEDS_QUOTES_SEMICOLON).test(value) ? quoted(value) : value;
}

const NEEDS_QUOTES_COMMA = /[",\n\r]/;
const NEEDS_QUOTES_SEMICOLON = /[";\n\r]/;
