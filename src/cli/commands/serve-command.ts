/** `ipreg serve` (the resolver service) and `ipreg resolve` (the same answers at a terminal). */
import { readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError, type Command } from 'commander';
import { IpregError } from '../../errors.js';
import { readLatest } from '../../index-file/pointer.js';
import { loadIndex } from '../../index-file/load.js';
import { InvalidAddressError, openIndex, type IndexReader } from '../../index-file/read.js';
import { AnswerBuild } from '../../serve/answer.js';
import { BuildHolder, type BuildOrigin } from '../../serve/build-holder.js';
import { createResolverServer } from '../../serve/server.js';
import { openStore } from '../../store/open-store.js';
import type { ObjectStore } from '../../store/store.js';
import type { CommandRunner } from '../command-runner.js';
import type { CommandContext } from '../context.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
}

/** Where answers come from: `--index`, else serve.index, else the lake; an existing file is an index file, anything else a store. */
async function originOf(ctx: CommandContext, index: string | undefined): Promise<BuildOrigin> {
  const location = index ?? ctx.config.serve.index;
  if (location === undefined) return { kind: 'store', store: ctx.store() };
  const isFile = await stat(location).then((s) => s.isFile(), () => false);
  if (isFile) return { kind: 'file', path: location };
  const store = openStore(location, ctx.config.s3);
  opened.push(store);
  return { kind: 'store', store };
}

/** Stores opened here rather than through the context; closed when the command ends. */
const opened: ObjectStore[] = [];

async function closeOpened(): Promise<void> {
  for (const store of opened.splice(0)) await store.close();
}

export function registerServeCommand(program: Command, run: CommandRunner): void {
  program
    .command('serve')
    .description('the resolver service: lookups over HTTP from the published index, new builds swapped in as they are published')
    .option('--port <port>', 'port to listen on (0: any free one)', port)
    .option('--host <address>', 'address to listen on')
    .option('--index <path|store>', 'an index file, or a store whose index/latest.json to follow (default: serve.index, else the lake)')
    .action((options: { port?: number; host?: string; index?: string }) =>
      run('serve', 'logs', async (ctx) => {
        const serve = ctx.config.serve;
        // Configuration first: a bad TLS setting fails before any build is downloaded.
        if ((serve.tlsCert === undefined) !== (serve.tlsKey === undefined)) throw new IpregError('CONFIG_INVALID', 'serve.tlsCert and serve.tlsKey go together: set both for HTTPS, or neither');
        const tls = serve.tlsCert === undefined || serve.tlsKey === undefined ? undefined : { cert: await readFile(serve.tlsCert), key: await readFile(serve.tlsKey) };
        const holder = new BuildHolder(await originOf(ctx, options.index), ctx.log);
        try {
          await holder.poll();
          if (holder.current === undefined) ctx.log.warn({ lastError: holder.status.lastError ?? null }, 'no build loaded yet: /readyz says 503 until one is');
          holder.start(serve.pollSeconds * 1000);
          const { server } = createResolverServer(holder, { ...serve, tls }, ctx.log);
          await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(options.port ?? serve.port, options.host ?? serve.host, () => resolve());
          });
          const address = server.address() as AddressInfo;
          const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          const scheme = tls === undefined ? 'http' : 'https';
          ctx.log.info({ url: `${scheme}://${host}:${address.port}`, buildId: holder.current?.buildId ?? null, pollSeconds: serve.pollSeconds, apiKeys: serve.apiKeys.length, rateLimit: serve.rateLimit }, 'listening');
          await new Promise<void>((resolve) => {
            const look = () => void holder.poll();
            const shutdown = (signal: string) => {
              ctx.log.info({ signal }, 'shutting down: finishing the requests in flight');
              process.off('SIGHUP', look);
              server.close(() => resolve());
              server.closeIdleConnections();
            };
            // SIGHUP: look for a new build now (after `ipreg index publish` or `rollback`).
            process.on('SIGHUP', look);
            process.once('SIGTERM', () => shutdown('SIGTERM'));
            process.once('SIGINT', () => shutdown('SIGINT'));
          });
        } finally {
          await holder.stop();
          await closeOpened();
        }
      }),
    );

  program
    .command('resolve')
    .description('answer addresses from the published index (or --index), one JSON line each, in order — as the service answers')
    .argument('<ip...>', 'IPv4 or IPv6 addresses')
    .option('--index <path|store>', 'an index file, or a store whose published build to use (default: serve.index, else the lake)')
    .action((ips: string[], options: { index?: string }) =>
      run('resolve', 'data', async (ctx) => {
        const origin = await originOf(ctx, options.index);
        const answers = new AnswerBuild(await readerOf(origin).finally(closeOpened));
        let invalid = 0;
        for (const ip of ips) {
          try {
            process.stdout.write(`${answers.json(answers.reader.lookupId(ip))}\n`);
          } catch (err) {
            if (!(err instanceof InvalidAddressError)) throw err;
            invalid++;
            process.stdout.write(`{"found":false,"error":"invalid_address"}\n`);
          }
        }
        if (invalid > 0) throw new IpregError('USAGE', `${invalid} of the ${ips.length} arguments ${invalid === 1 ? 'is not an address' : 'are not addresses'} (their lines say invalid_address)`);
      }),
    );
}

async function readerOf(origin: BuildOrigin): Promise<IndexReader> {
  if (origin.kind === 'file') return loadIndex(origin.path);
  const latest = await readLatest(origin.store);
  if (latest === undefined) throw new IpregError('USAGE', `no index is published in ${origin.store.url} (index/latest.json is absent): run \`ipreg run index\` first, or pass --index FILE`);
  return openIndex(await origin.store.getBytes(latest.value.index.key));
}
