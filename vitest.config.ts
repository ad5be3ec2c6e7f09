import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'schemas/**/*.test.ts', 'infra/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time on the two cores CI has (Vitest's default leaves one core idle there): the
    // heavy files wait on child processes, S3 and disk as much as they compute. 598 s one at a time, 402 s two.
    maxWorkers: 2,
    // The pinned AWS SDK supports Node 20; its notice about later releases is for people, not test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
