/** One case of the store benchmark, in its own process: `fs <dir> <bytes>` or `store <location> <bytes>`. */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig, processEnvironment } from '../src/config.js';
import { openStore } from '../src/store/open-store.js';
import { reportCase } from './measure.js';

const [kind, location, size] = process.argv.slice(2) as [string, string, string];
const sizeBytes = Number(size);
const CHUNK = 1 << 20;

/** `sizeBytes` of pseudo-random data: one random MiB, stamped with its chunk number each time. */
function generated(): { stream: Readable; digest: () => string } {
  const block = Buffer.alloc(CHUNK);
  for (let i = 0; i < CHUNK; i += 4) block.writeUInt32LE((Math.random() * 2 ** 32) >>> 0, i);
  const hash = createHash('sha256');
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= sizeBytes) return void this.push(null);
      const chunk = Buffer.from(block.subarray(0, Math.min(CHUNK, sizeBytes - sent)));
      chunk.writeUInt32LE(sent / CHUNK, 0);
      sent += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

async function hashOf(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const source = generated();
const start = performance.now();
let readBack: string;
let writeMs: number;
if (kind === 'fs') {
  await mkdir(location, { recursive: true });
  await pipeline(source.stream, createWriteStream(join(location, 'object.bin')));
  writeMs = performance.now() - start;
  readBack = await hashOf(createReadStream(join(location, 'object.bin')));
} else {
  const { config } = loadConfig({ env: processEnvironment(), flags: { store: location } });
  const store = openStore(config.store, config.s3);
  await store.put('bench/object.bin', source.stream);
  writeMs = performance.now() - start;
  readBack = await hashOf(await store.get('bench/object.bin'));
  await store.delete('bench/object.bin');
  await store.close();
}
const durationMs = performance.now() - start;
if (readBack !== source.digest()) throw new Error('the object read back differs from the one written');
reportCase({ durationMs, writeMs, readMs: durationMs - writeMs });
