/** Lines of a local file, streamed (gunzipped when it ends in .gz), in the publisher's encoding. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/** Streams the lines of `path`; `encoding` is latin1 for RPSL dumps, utf8 otherwise. */
export function linesOf(path: string, encoding: 'utf8' | 'latin1' = 'utf8'): AsyncIterable<string> {
  return linesOfStream(createReadStream(path), path.endsWith('.gz'), encoding);
}

/** Streams the lines of a byte stream. */
export function linesOfStream(bytes: Readable, gzipped: boolean, encoding: 'utf8' | 'latin1' = 'utf8'): AsyncIterable<string> {
  const source = gzipped ? bytes.pipe(createGunzip()) : bytes;
  source.setEncoding(encoding);
  return createInterface({ input: source, crlfDelay: Infinity });
}
