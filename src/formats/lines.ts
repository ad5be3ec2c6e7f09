/**
 * Lines of a file or stream, streamed in batches (one batch per chunk read): readers loop over a
 * batch synchronously, so a dump of 86 M lines costs one await per chunk, not per line, and the
 * stream is read only as fast as the reader consumes (readline's iterator would buffer without bound).
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Lines in batches, in order; no line contains its line break. */
export type LineBatches = AsyncIterable<readonly string[]>;

/** Streams the lines of `path` (gunzipped when it ends in .gz); `encoding` is latin1 for RPSL dumps. */
export function linesOf(path: string, encoding: 'utf8' | 'latin1' = 'utf8'): LineBatches {
  return linesOfStream(createReadStream(path, { highWaterMark: 1 << 20 }), path.endsWith('.gz'), encoding);
}

/** Streams the lines of a byte stream. */
export async function* linesOfStream(bytes: Readable, gzipped: boolean, encoding: 'utf8' | 'latin1' = 'utf8'): LineBatches {
  const source = gzipped ? bytes.pipe(createGunzip({ chunkSize: 1 << 20 })) : bytes;
  if (gzipped) bytes.on('error', (err) => source.destroy(err));
  source.setEncoding(encoding);
  let rest = '';
  for await (const chunk of source as AsyncIterable<string>) {
    const text = rest + chunk;
    const lines = text.split('\n');
    rest = lines.pop() as string;
    yield lines;
  }
  if (rest !== '') yield [rest];
}

/** The lines of a text, as one batch (for tests and small inputs). */
export async function* linesOfText(text: string): LineBatches {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  yield lines;
}
