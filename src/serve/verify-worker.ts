/**
 * Worker thread: checks a downloaded index build off the service's event loop — its sha256 against
 * the pointer's, then every invariant of the format (`verifyIndex`) — and hands the bytes back.
 */
import { createHash } from 'node:crypto';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { SecondLevel } from '../index-file/read.js';
import { verifyIndex } from '../index-file/verify.js';

/** What the service sends: the file's bytes (transferred) and the digest the pointer promises, if any. */
export interface VerifyRequest {
  bytes: ArrayBuffer;
  sha256: string | undefined;
}

/** What the worker answers: the bytes back (transferred) and the build id, or why the build is refused. */
export type VerifyResponse = { ok: true; bytes: ArrayBuffer; buildId: string; second: SecondLevel } | { ok: false; message: string };

// Lowest CPU priority: on Linux a nice value is per thread, so this worker yields to the thread that
// answers requests (0 names the calling thread). Where it cannot be set, verification runs at normal priority.
try {
  setPriority(0, 19);
} catch {
  // not permitted here: no harm
}

const request = workerData as VerifyRequest;
let response: VerifyResponse;
try {
  const bytes = new Uint8Array(request.bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (request.sha256 !== undefined && sha256 !== request.sha256) {
    response = { ok: false, message: `sha256 ${sha256} differs from the ${request.sha256} the pointer gives (damaged in transit or replaced)` };
  } else {
    const { reader } = verifyIndex(bytes);
    response = { ok: true, bytes: request.bytes, buildId: reader.meta().buildId, second: reader.v6SecondLevel() };
  }
} catch (err) {
  response = { ok: false, message: (err as Error).message };
}
const moved = response.ok ? [response.bytes, ...[response.second.at, response.second.bits, response.second.bounds].map((a) => a.buffer as ArrayBuffer)] : [];
parentPort?.postMessage(response, moved);
