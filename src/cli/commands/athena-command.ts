/** `ipreg athena ddl`: the lake's tables for Athena (CREATE EXTERNAL TABLE with partition projection, and the views). */
import type { Command } from 'commander';
import { lakeDdl } from '../../../schemas/athena.js';
import { IpregError } from '../../errors.js';
import type { CommandRunner } from '../command-runner.js';

/** The lake location DDL points at: --lake, else the store when it is an S3 bucket. */
function lakeLocation(given: string | undefined, storeUrl: string): string {
  const lake = given ?? storeUrl;
  if (!/^s3:\/\/[^/]+/.test(lake)) {
    throw new IpregError('USAGE', `Athena reads a lake in S3: give its location with --lake s3://bucket/prefix (the store is ${storeUrl})`);
  }
  return lake.replace(/\/$/, '');
}

/** Registers `ipreg athena`. */
export function registerAthenaCommand(program: Command, run: CommandRunner): void {
  const athena = program.command('athena').description("the lake's tables in Amazon Athena");
  athena
    .command('ddl')
    .description('print the DDL of every table (partition projection: no crawler, no MSCK REPAIR) and view, one statement each')
    .option('--lake <s3-url>', 'the lake location (default: the store, when it is s3://)')
    .action((options: { lake?: string }) =>
      run('athena.ddl', 'data', async (ctx) => {
        const lake = lakeLocation(options.lake, ctx.config.store);
        for (const { sql } of lakeDdl(lake)) process.stdout.write(`${sql.trimEnd().replace(/;?$/, ';')}\n\n`);
      }),
    );
}
