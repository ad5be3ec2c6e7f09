/**
 * Worker thread: checks a downloaded index build off the service's event loop — its sha256 against
 * the pointer's, then every invariant of the format (`verifyIndex`) — and hands the bytes back.
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { verifyIndex } from '../index-file/verify.js';

/** What the service sends: the file's bytes (transferred) and the digest the pointer promises, if any. */
export interface VerifyRequest {
  bytes: ArrayBuffer;
  sha256: string | undefined;
}

/** What the worker answers: the bytes back (transferred) and the build id, or why the build is refused. */
export type VerifyResponse = { ok: true; bytes: ArrayBuffer; buildId: string } | { ok: false; message: string };

const request = workerData as VerifyRequest;
let response: VerifyResponse;
try {
  const bytes = new Uint8Array(request.bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (request.sha256 !== undefined && sha256 !== request.sha256) {
    response = { ok: false, message: `sha256 ${sha256} differs from the ${request.sha256} the pointer gives (damaged in transit or replaced)` };
  } else {
    const { reader } = verifyIndex(bytes);
    response = { ok: true, bytes: request.bytes, buildId: reader.meta().buildId };
  }
} catch (err) {
  response = { ok: false, message: (err as Error).message };
}
parentPort?.postMessage(response, response.ok ? [response.bytes] : []);
