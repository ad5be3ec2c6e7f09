/** The sha256 and size of a local file, read as a stream (files of any size, flat memory). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The file's sha256 (hex) and its length in bytes. */
export async function fileDigest(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
