/**
 * Worker thread: the MD5 of files read one after another, as one stream. MD5 runs at about 400 MB/s
 * here, a third of SHA-256's speed: beside a large copy it takes its own core rather than the copy's.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

/** What the caller sends: the files, in order. */
export interface Md5Request {
  paths: string[];
}

/** What the worker answers: the digest and the bytes it read, or why it could not. */
export type Md5Response = { ok: true; md5: string; bytes: number } | { ok: false; message: string };

const { paths } = workerData as Md5Request;
let response: Md5Response;
try {
  const hash = createHash('md5');
  let bytes = 0;
  for (const path of paths) {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  }
  response = { ok: true, md5: hash.digest('hex'), bytes };
} catch (err) {
  response = { ok: false, message: (err as Error).message };
}
parentPort?.postMessage(response);
