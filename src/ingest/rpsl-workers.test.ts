import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/temp-dir.js';
import { AUT_NUMS, INETNUMS, WHOIS_ORGS } from '../../schemas/ip-allocation-tables.js';
import { bytesOfStream, chunksOf } from '../formats/lines.js';
import { ParquetTableWriter } from '../lake/parquet.js';
import { openLocalStore } from '../store/local-store.js';
import { ingestRpsl, type RpslWriters } from './ip-allocation-rows.js';
import { ingestRpslInWorkers } from './rpsl-workers.js';

const SAMPLES = new URL('../../data-samples/', import.meta.url);
const tempDir = useTempDir('workers');

async function openWriters(): Promise<RpslWriters> {
  return { inetnums: await ParquetTableWriter.open(INETNUMS), orgs: await ParquetTableWriter.open(WHOIS_ORGS), autNums: await ParquetTableWriter.open(AUT_NUMS) };
}

/** The sha256 of every part file each table writes. */
async function digests(writers: RpslWriters, name: string): Promise<string[]> {
  const store = openLocalStore(join(tempDir(), name), join(tempDir(), name));
  const out: string[] = [];
  for (const [table, writer] of Object.entries(writers) as [string, ParquetTableWriter][]) out.push(...(await writer.finish(store, table)).parts.map((p) => `${table}:${p.rows}:${p.sha256}`));
  return out;
}

describe('RPSL on worker threads', () => {
  it.each(['ripe-rpsl/ripe.db.inetnum.gz', 'ripe-rpsl/ripe.db.organisation.gz', 'apnic-rpsl/apnic.db.inet6num.gz', 'afrinic-rpsl/afrinic.db.inetnum.gz'])(
    'writes %s byte for byte as one thread does, with the same counts, skips and line numbers',
    async (file) => {
      const path = new URL(file, SAMPLES).pathname;
      const one = await openWriters();
      const single = await ingestRpsl(chunksOf(path, 'latin1'), one);
      const many = await openWriters();
      // Small blocks: the file is cut into many, read by two workers, and put back in order.
      const parallel = await ingestRpslInWorkers(bytesOfStream(createReadStream(path), true), 'latin1', many, file, {}, { threads: 2, blockBytes: 16 << 10 });
      expect(parallel).toEqual(single);
      expect(single.records).toBeGreaterThan(100);
      expect(await digests(many, `${file}-many`)).toEqual(await digests(one, `${file}-one`));
    },
  );

  it('fails a file whose format changed, as one thread does', async () => {
    const text = Array.from({ length: 25 }, (_, i) => `inetnum:        10.0.${i}.0 - 10.0.${i}.255\nnet-name:       RENAMED-${i}\nstatus:         ASSIGNED PA\n`).join('\n');
    const writers = await openWriters();
    try {
      await expect(ingestRpslInWorkers(Readable.from([Buffer.from(text, 'latin1')]), 'latin1', writers, 'ripe.db.inetnum.gz', { inetnum: ['netname'] }, { threads: 2, blockBytes: 256 })).rejects.toThrow(
        'ripe.db.inetnum.gz: none of its 25 inetnum objects has "netname:" — the dump\'s format changed',
      );
    } finally {
      await Promise.all(Object.values(writers).map((w) => w.discard()));
    }
  });

  it('reads CRLF text and a last object with no blank line after it', async () => {
    const text = 'inetnum: 10.0.0.0 - 10.0.0.255\r\nnetname: A\r\n\r\ninetnum: 10.0.1.0 - 10.0.1.255\r\nnetname: B\r\n\r\ninetnum: 10.0.2.0 - 10.0.2.255\r\nnetname: C';
    const one = await openWriters();
    const single = await ingestRpsl(chunksOf(await writeText(text), 'latin1'), one);
    const many = await openWriters();
    const parallel = await ingestRpslInWorkers(Readable.from([Buffer.from(text, 'latin1')]), 'latin1', many, 'crlf', {}, { threads: 2, blockBytes: 8 });
    expect(single.records).toBe(3);
    expect(parallel).toEqual(single);
    expect(await digests(many, 'crlf-many')).toEqual(await digests(one, 'crlf-one'));
  });
});

async function writeText(text: string): Promise<string> {
  const path = join(tempDir(), 'crlf.txt');
  await writeFile(path, text, 'latin1');
  return path;
}
