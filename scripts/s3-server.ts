/**
 * `npm run s3:server`: a local S3-protocol server on 127.0.0.1 with a bucket named `ipreg`, for
 * trying the S3 store by hand. Prints the settings to export; stops on Ctrl-C.
 */
import { createBucket, startS3Server, TEST_CREDENTIALS } from '../test/support/s3-server.js';

const server = await startS3Server();
await createBucket(server.endpoint, 'ipreg');
process.stdout.write(
  [
    `${server.kind} is serving S3 at ${server.endpoint} with the bucket "ipreg". In another shell:`,
    '',
    `  export IPREG_STORE=s3://ipreg/lake IPREG_S3_ENDPOINT=${server.endpoint} IPREG_S3_FORCE_PATH_STYLE=true`,
    `  export AWS_ACCESS_KEY_ID=${TEST_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${TEST_CREDENTIALS.secretAccessKey}`,
    '  npx ipreg store ls',
    '',
    'Ctrl-C stops the server (its data is not kept).',
    '',
  ].join('\n'),
);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
