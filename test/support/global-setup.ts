/** Starts one S3-protocol server for the whole test run and tells the tests where it is. */
import type { TestProject } from 'vitest/node';
import { startS3Server } from './s3-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    s3Endpoint: string;
    s3Kind: 'moto' | 's3rver';
    s3EnforcesConditionalWrites: boolean;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startS3Server();
  project.provide('s3Endpoint', server.endpoint);
  project.provide('s3Kind', server.kind);
  project.provide('s3EnforcesConditionalWrites', server.enforcesConditionalWrites);
  if (!server.enforcesConditionalWrites) {
    console.warn(
      `S3 tests run against ${server.kind}, which does not enforce conditional writes, list keys in S3's order or list multipart uploads: the put-if-absent and put-if-match cases are skipped on S3, and listings are compared as sets.`,
    );
  }
  return () => server.stop();
}
