/** Stores for tests: a fresh temporary folder, or a fresh bucket on the run's S3 test server. */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { S3Config } from '../../src/config.js';
import { openStore } from '../../src/store/open-store.js';
import type { ObjectStore } from '../../src/store/store.js';
import { createBucket, TEST_CREDENTIALS } from './s3-server.js';

/** A store under test and how to throw it away. */
export interface TestStore {
  store: ObjectStore;
  /** The folder of a local store. */
  root?: string;
  dispose(): Promise<void>;
}

/** S3 settings for the run's test server, with small parts so multipart paths run on small data. */
export function testS3Config(overrides: Partial<S3Config> = {}): S3Config {
  return {
    endpoint: inject('s3Endpoint'),
    region: 'us-east-1',
    forcePathStyle: true,
    accessKeyId: TEST_CREDENTIALS.accessKeyId,
    secretAccessKey: TEST_CREDENTIALS.secretAccessKey,
    sessionToken: undefined,
    maxAttempts: 3,
    partSizeBytes: 5 * 1024 * 1024,
    queueSize: 2,
    ...overrides,
  };
}

/** A store in a new temporary folder. */
export async function makeLocalStore(): Promise<TestStore> {
  const root = await mkdtemp(join(tmpdir(), 'ipreg-store-'));
  return {
    store: openStore(root, testS3Config()),
    root,
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

/** A store in a new bucket of the S3 test server, below a key prefix so prefix handling is exercised. */
export async function makeS3Store(overrides: Partial<S3Config> = {}): Promise<TestStore> {
  const bucket = `ipreg-test-${randomUUID().slice(0, 8)}`;
  const s3 = testS3Config(overrides);
  await createBucket(s3.endpoint as string, bucket);
  const store = openStore(`s3://${bucket}/lake`, s3);
  return { store, dispose: () => store.close() };
}

/** A new bucket's URL, for tests that drive the CLI. */
export async function makeS3Bucket(): Promise<string> {
  const bucket = `ipreg-cli-${randomUUID().slice(0, 8)}`;
  await createBucket(testS3Config().endpoint as string, bucket);
  return `s3://${bucket}`;
}
