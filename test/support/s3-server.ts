/**
 * Starts a real S3-protocol server on 127.0.0.1 for tests and for people: moto
 * (`python3 -m moto.server`, which enforces conditional writes) where Python has it, else s3rver
 * from npm (which ignores conditional writes). Set IPREG_TEST_S3_SERVER=s3rver to force s3rver.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

/** A running S3 server. */
export interface S3TestServer {
  kind: 'moto' | 's3rver';
  endpoint: string;
  /** Whether the server rejects a failed If-None-Match / If-Match (moto does, s3rver does not). */
  enforcesConditionalWrites: boolean;
  stop(): Promise<void>;
}

/** Credentials the test servers accept (any will do; these make the intent plain). */
export const TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** True when `python3 -m moto.server` can run here. */
export function motoAvailable(): boolean {
  const probe = spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' });
  return probe.status === 0;
}

/** Starts moto, or s3rver where moto is absent (or IPREG_TEST_S3_SERVER=s3rver). */
export async function startS3Server(): Promise<S3TestServer> {
  const wanted = process.env['IPREG_TEST_S3_SERVER'];
  const kind = wanted === 's3rver' || (wanted !== 'moto' && !motoAvailable()) ? 's3rver' : 'moto';
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let dataDir: string | undefined;
  let child: ChildProcess;
  if (kind === 'moto') {
    child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  } else {
    dataDir = await mkdtemp(join(tmpdir(), 'ipreg-s3rver-'));
    const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
    child = spawn(process.execPath, [bin, '-d', dataDir, '-a', '127.0.0.1', '-p', String(port), '--silent'], {
      stdio: 'ignore',
      env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
    });
  }
  await waitUntilUp(endpoint, child);
  return {
    kind,
    endpoint,
    enforcesConditionalWrites: kind === 'moto',
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
      if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a bucket on the test server. */
export async function createBucket(endpoint: string, bucket: string): Promise<void> {
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the S3 test server exited with code ${child.exitCode}`);
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await sleep(100);
    }
  }
  child.kill('SIGKILL');
  throw new Error(`the S3 test server at ${endpoint} did not answer within 30 s`);
}
