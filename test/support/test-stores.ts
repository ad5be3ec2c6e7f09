/** Stores for tests: a fresh temporary folder, or a fresh bucket on the run's S3 test server. */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { S3Config } from '../../src/config.js';
import { openStore } from '../../src/store/open-store.js';
import { listAll, type ObjectStore } from '../../src/store/store.js';
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

/** The environment the CLI needs to reach the run's S3 test server (empty for a local store). */
export function cliEnvironment(store: ObjectStore): Record<string, string> {
  return store.url.startsWith('s3://') ? s3Environment() : {};
}

/** The environment the CLI needs to reach the run's S3 test server. */
export function s3Environment(): Record<string, string> {
  const s3 = testS3Config();
  return {
    IPREG_S3_ENDPOINT: s3.endpoint as string,
    IPREG_S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: s3.accessKeyId as string,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey as string,
    AWS_REGION: s3.region,
  };
}

/** Copies the objects below `prefix` to local files in `dir` (for DuckDB); returns their paths. */
export async function localCopies(store: ObjectStore, prefix: string, dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const o of listAll(store, prefix)) {
    const local = join(dir, `${files.length}-${o.key.replaceAll('/', '_')}`);
    await writeFile(local, await store.getBytes(o.key));
    files.push(local);
  }
  return files;
}
