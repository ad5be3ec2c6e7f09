/** `ipreg store ls|cat|put|rm`: look into a lake by hand. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { IpregError } from '../../errors.js';
import { assertValidKey, assertValidPrefix, listAll, type ObjectInfo, type ObjectStore } from '../../store/store.js';
import { openStore } from '../../store/open-store.js';
import { syncStores } from '../../store/sync.js';
import type { CommandRunner } from '../command-runner.js';

/** Registers `ipreg store` and its subcommands. */
export function registerStoreCommand(program: Command, run: CommandRunner): void {
  const store = program
    .command('store')
    .description('list, print, upload and delete objects in the lake (--store decides which)');

  store
    .command('ls')
    .description('list objects below a prefix; one level at a time unless --recursive')
    .argument('[prefix]', 'key prefix, e.g. tables/ or raw/ripe-rpsl/', '')
    .option('-r, --recursive', 'list every object below the prefix')
    .option('--json', 'one JSON object per line')
    .action((prefix: string, options: { recursive?: boolean; json?: boolean }) =>
      run('store.ls', 'data', async (ctx) => {
        asUsage(() => assertValidPrefix(prefix));
        await listObjects(ctx.store(), prefix, options.recursive === true, options.json === true);
      }),
    );

  store
    .command('cat')
    .description('write an object to standard output')
    .argument('<key>', 'object key')
    .action((key: string) =>
      run('store.cat', 'data', async (ctx) => {
        asUsage(() => assertValidKey(key));
        await writeToStdout(await ctx.store().get(key));
      }),
    );

  store
    .command('put')
    .description('upload a file (or standard input) as an object, atomically')
    .argument('<key>', 'object key')
    .argument('[file]', 'local file; "-" or nothing for standard input', '-')
    .option('--if-absent', 'fail if the key already exists (put-if-absent)')
    .option('--content-type <type>', 'content type stored with the object (S3)')
    .action((key: string, file: string, options: { ifAbsent?: boolean; contentType?: string }) =>
      run('store.put', 'data', async (ctx) => {
        asUsage(() => assertValidKey(key));
        const body = await openInput(file);
        const s = ctx.store();
        const result =
          options.ifAbsent === true
            ? await s.putIfAbsent(key, await readAll(body))
            : await s.put(key, body, { contentType: options.contentType });
        const info = await s.head(key);
        process.stdout.write(`${key}\t${info?.sizeBytes ?? '?'} bytes\tetag ${result.etag}\n`);
      }),
    );

  store
    .command('sync')
    .description('copy a lake (or what is below --prefix) between stores, incrementally, verifying each object by sha256')
    .argument('<from>', 'the source store: a path, file:// or s3://bucket/prefix')
    .argument('<to>', 'the destination store')
    .option('--prefix <prefix>', 'only the objects below this prefix (e.g. tables/)', '')
    .action((from: string, to: string, options: { prefix: string }) =>
      run('store.sync', 'data', async (ctx) => {
        asUsage(() => assertValidPrefix(options.prefix));
        const [source, destination] = [openStore(from, ctx.config.s3), openStore(to, ctx.config.s3)];
        try {
          const r = await syncStores(source, destination, options.prefix, ctx.log);
          process.stdout.write(
            `${r.copied} objects copied (${r.copiedBytes.toLocaleString('en')} bytes, each verified by sha256), ${r.unchanged} unchanged since the last sync${r.extra > 0 ? `, ${r.extra} in ${to} that ${from} does not have (left alone)` : ''}\n`,
          );
        } finally {
          await Promise.all([source.close(), destination.close()]);
        }
      }),
    );

  store
    .command('rm')
    .description('delete objects; with --recursive, everything below each prefix')
    .argument('<keys...>', 'object keys (prefixes with --recursive)')
    .option('-r, --recursive', 'treat each argument as a prefix and delete every object below it')
    .action((keys: string[], options: { recursive?: boolean }) =>
      run('store.rm', 'data', async (ctx) => {
        const s = ctx.store();
        for (const key of keys) {
          if (options.recursive === true) {
            asUsage(() => assertValidPrefix(key));
            for await (const info of listAll(s, key)) await removeOne(s, info.key);
          } else {
            asUsage(() => assertValidKey(key));
            if ((await s.head(key)) === undefined) {
              throw new IpregError('STORE_NOT_FOUND', `store key ${key} does not exist in ${s.url}`, { key });
            }
            await removeOne(s, key);
          }
        }
      }),
    );
}

async function removeOne(store: ObjectStore, key: string): Promise<void> {
  await store.delete(key);
  process.stdout.write(`deleted ${key}\n`);
}

/** Re-throws a key error from a person's argument as a usage error (exit code 2). */
function asUsage(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (err instanceof IpregError) throw new IpregError('USAGE', err.message, err.context);
    throw err;
  }
}

async function listObjects(store: ObjectStore, prefix: string, recursive: boolean, json: boolean): Promise<void> {
  let continuationToken: string | undefined;
  do {
    const page = await store.listPage(prefix, { delimiter: recursive ? undefined : '/', continuationToken });
    const lines = [
      ...page.prefixes.map((p) => (json ? JSON.stringify({ prefix: p }) : `${'PRE'.padStart(31)} ${p}`)),
      ...page.objects.map((o) => (json ? JSON.stringify(o) : formatObjectLine(o))),
    ];
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
    continuationToken = page.nextContinuationToken;
  } while (continuationToken !== undefined);
}

/** `2026-11-27 07:30:00   12345678 tables/…`, the shape of `aws s3 ls`. */
function formatObjectLine(o: ObjectInfo): string {
  const when = o.lastModified.toISOString().replace('T', ' ').slice(0, 19);
  return `${when} ${String(o.sizeBytes).padStart(11)} ${o.key}`;
}

async function openInput(file: string): Promise<Readable> {
  if (file === '-') return process.stdin;
  const st = await stat(file).catch(() => undefined);
  if (st === undefined || !st.isFile()) {
    throw new IpregError('USAGE', `cannot upload ${JSON.stringify(file)}: no such file`, { file });
  }
  return createReadStream(file);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Streams to standard output; a reader that stops early (`| head`) is not an error. */
async function writeToStdout(stream: Readable): Promise<void> {
  try {
    await pipeline(stream, process.stdout, { end: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
    stream.destroy();
  }
}
