/**
 * Text of a file or stream, streamed in chunks that end on line boundaries: readers loop over a chunk
 * synchronously, so a dump of 86 M lines costs one await per chunk, not per line, and the stream is
 * read only as fast as the reader consumes (readline's iterator would buffer without bound). Readers
 * that scan the text themselves (RPSL) take the chunks; the rest take them split into lines.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { IpregError } from '../errors.js';

/** Text in chunks, in order; every chunk but the last ends with a line break. */
export type TextChunks = AsyncIterable<string>;

/** Lines in batches, in order; no line contains its line break. */
export type LineBatches = AsyncIterable<readonly string[]>;

const CHUNK_BYTES = 1 << 20;

/** A line longer than this is not a line of any format read here: the file is not text, or is broken. */
const MAX_LINE_CHARS = 16 << 20;

/** Streams the text of `path` (gunzipped when it ends in .gz); `encoding` is latin1 for RPSL dumps. */
export function chunksOf(path: string, encoding: 'utf8' | 'latin1' = 'utf8'): TextChunks {
  return chunksOfStream(createReadStream(path, { highWaterMark: CHUNK_BYTES }), path.endsWith('.gz'), encoding);
}

/** The bytes of a stream, gunzipped when `gzipped` (an error of the stream ends the gunzipped one too). */
export function bytesOfStream(bytes: Readable, gzipped: boolean): Readable {
  if (!gzipped) return bytes;
  const source = bytes.pipe(createGunzip({ chunkSize: CHUNK_BYTES }));
  bytes.on('error', (err) => source.destroy(err));
  return source;
}

/**
 * Streams the text of a byte stream in chunks that end on line boundaries. Each chunk is decoded from
 * bytes in one piece, so it is a flat string (a concatenated one is much slower to scan).
 */
export function chunksOfStream(bytes: Readable, gzipped: boolean, encoding: 'utf8' | 'latin1' = 'utf8'): TextChunks {
  return chunksOfBytes(bytesOfStream(bytes, gzipped), encoding);
}

/** Decodes bytes into text chunks that end on line boundaries (flat strings, see chunksOfStream). */
export async function* chunksOfBytes(bytes: AsyncIterable<Buffer>, encoding: 'utf8' | 'latin1' = 'utf8'): TextChunks {
  let rest: Buffer[] = [];
  let restBytes = 0;
  for await (const piece of bytes) {
    const end = piece.lastIndexOf(10);
    if (end === -1) {
      rest.push(piece);
      restBytes += piece.length;
      if (restBytes > MAX_LINE_CHARS) throw new IpregError('FORMAT_CHANGED', `a line of over ${MAX_LINE_CHARS >> 20} MiB: not a text file, or a broken one`);
      continue;
    }
    const whole = restBytes === 0 ? piece.subarray(0, end + 1) : Buffer.concat([...rest, piece.subarray(0, end + 1)]);
    yield whole.toString(encoding);
    rest = end + 1 < piece.length ? [piece.subarray(end + 1)] : [];
    restBytes = piece.length - end - 1;
  }
  if (restBytes > 0) yield Buffer.concat(rest).toString(encoding);
}

/** The lines of text chunks, a batch per chunk. */
export async function* linesOfChunks(chunks: TextChunks): LineBatches {
  for await (const chunk of chunks) {
    const lines = chunk.split('\n');
    if (lines.at(-1) === '') lines.pop();
    yield lines;
  }
}

/** Streams the lines of `path` (gunzipped when it ends in .gz). */
export function linesOf(path: string, encoding: 'utf8' | 'latin1' = 'utf8'): LineBatches {
  return linesOfChunks(chunksOf(path, encoding));
}

/** A text as one chunk (for tests and small inputs). */
export async function* chunksOfText(text: string): TextChunks {
  if (text !== '') yield text;
}

/** The lines of a text, as one batch (for tests and small inputs). */
export function linesOfText(text: string): LineBatches {
  return linesOfChunks(chunksOfText(text));
}
