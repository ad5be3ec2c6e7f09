/**
 * `ipreg athena ddl|register|query`: the lake's tables in Amazon Athena — the DDL printed, the tables
 * and views made in a database (partition projection: no crawler, no MSCK REPAIR), and queries run
 * there with their rows printed.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { lakeDdl } from '../../../schemas/athena.js';
import { lakePartitionValues } from '../../../pipelines/partition-values.js';
import { athenaClient, runAthenaQuery, type QueryPlace } from '../../athena/athena.js';
import type { AthenaConfig } from '../../config.js';
import { IpregError } from '../../errors.js';
import type { CommandRunner } from '../command-runner.js';
import type { CommandContext } from '../context.js';
import { csvField, formatOf, parseFormat, printRows, readQueryFile, type Format } from './query-command.js';

/** The lake location DDL points at: --lake, else the store when it is an S3 bucket. */
function lakeLocation(given: string | undefined, storeUrl: string): string {
  const lake = given ?? storeUrl;
  if (!/^s3:\/\/[^/]+/.test(lake)) {
    throw new IpregError('USAGE', `Athena reads a lake in S3: give its location with --lake s3://bucket/prefix (the store is ${storeUrl})`);
  }
  return lake.replace(/\/$/, '');
}

interface PlaceFlags {
  database?: string;
  workgroup?: string;
  output?: string;
}

/** The Athena settings with the command's flags over them. */
function settings(ctx: CommandContext, flags: PlaceFlags): AthenaConfig {
  return { ...ctx.config.athena, ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) };
}

function place(athena: AthenaConfig, database: string | undefined): QueryPlace {
  return { database, workgroup: athena.workgroup, output: athena.output, timeoutMs: athena.timeoutSeconds * 1000 };
}

function withPlaceOptions(command: Command): Command {
  return command
    .option('--database <name>', 'the database (default: athena.database)')
    .option('--workgroup <name>', 'the workgroup (default: athena.workgroup)')
    .option('--output <s3-url>', "where Athena writes results (default: athena.output, else the workgroup's)");
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
        for (const { sql } of lakeDdl(lake, lakePartitionValues())) process.stdout.write(`${sql.trimEnd().replace(/;?$/, ';')}\n\n`);
      }),
    );

  withPlaceOptions(
    athena
      .command('register')
      .description('create or update the database, every table (dropped and made again: the data in S3 stays) and every view')
      .option('--lake <s3-url>', 'the lake location (default: the store, when it is s3://)')
      .option('--views-only', 'only the views (the tables are made by the infra/ deployment, in Glue)'),
  ).action((options: PlaceFlags & { lake?: string; viewsOnly?: boolean }) =>
    run('athena.register', 'data', async (ctx) => {
      const lake = lakeLocation(options.lake, ctx.config.store);
      const athenaSettings = settings(ctx, options);
      const client = await athenaClient(athenaSettings, ctx.config.s3);
      try {
        const database = athenaSettings.database;
        await runAthenaQuery(client, `CREATE DATABASE IF NOT EXISTS \`${database}\``, place(athenaSettings, undefined), ctx.log);
        process.stdout.write(`database ${database}: ready\n`);
        for (const { name, sql } of lakeDdl(lake, lakePartitionValues())) {
          const isView = sql.startsWith('CREATE OR REPLACE VIEW');
          if (options.viewsOnly === true && !isView) continue;
          // A table's definition is replaced by dropping it first: an external table's data is not touched.
          if (!isView) await runAthenaQuery(client, `DROP TABLE IF EXISTS \`${name}\``, place(athenaSettings, database), ctx.log);
          await runAthenaQuery(client, sql.trimEnd().replace(/;$/, ''), place(athenaSettings, database), ctx.log);
          process.stdout.write(`${isView ? 'view' : 'table'} ${database}.${name}: ${isView ? 'created or replaced' : 'made'}\n`);
        }
      } finally {
        client.destroy();
      }
    }),
  );

  withPlaceOptions(
    athena
      .command('query')
      .description('run a query in Athena and print its rows (or write them as CSV or JSON lines)')
      .argument('[sql]', 'the query')
      .option('--file <path>', 'read the query from a file (e.g. schemas/queries/*.sql)')
      .option('--format <format>', 'table, csv or json (default: table, or as --out\'s extension says)', parseFormat)
      .option('--out <file>', 'write the rows to a file (CSV or JSON lines)'),
  ).action((sql: string | undefined, options: PlaceFlags & { file?: string; format?: Format; out?: string }) =>
    run('athena.query', 'data', async (ctx) => {
      const query = options.file !== undefined ? await readQueryFile(options.file) : sql;
      if (query === undefined) throw new IpregError('USAGE', 'give a query or --file <path>');
      const format = formatOf(options.out, options.format);
      if (format === 'parquet') throw new IpregError('USAGE', 'Athena results are CSV or JSON lines here (Parquet: ipreg query on a synced lake, or UNLOAD in Athena)');
      if (format === 'table' && options.out !== undefined) throw new IpregError('USAGE', 'a table is for the terminal: write csv or json to a file');
      const athenaSettings = settings(ctx, options);
      const client = await athenaClient(athenaSettings, ctx.config.s3);
      try {
        const result = await runAthenaQuery(client, query.trim().replace(/;\s*$/, ''), place(athenaSettings, athenaSettings.database), ctx.log);
        const rows = result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i] ?? null])));
        if (options.out !== undefined) {
          const lines = format === 'json' ? rows.map((r) => JSON.stringify(r)) : [result.columns.map(csvField).join(','), ...result.rows.map((r) => r.map(csvField).join(','))];
          await writeFile(options.out, `${lines.join('\n')}\n`);
        } else {
          printRows(result.columns, rows, format);
        }
        ctx.log.info({ queryExecutionId: result.queryExecutionId, rows: result.rows.length, scannedBytes: result.scannedBytes }, 'athena query finished');
      } finally {
        client.destroy();
      }
    }),
  );
}
