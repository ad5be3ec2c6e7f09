import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test/support/temp-dir.js';
import { OutputFile } from './output-file.js';


const tempDir = useTempDir('output');


describe('OutputFile', () => {
  it('keeps text and pre-encoded bytes in order, counting lines', async () => {
    const out = await OutputFile.open(join(tempDir(), 'mixed.txt'), { encoding: 'utf8' });
    out.writeLine('first\n');
    await out.writeEncoded(Buffer.from('second\nthird\n'), 2);
    await out.write('fourth\nfifth\n');
    const written = await out.close();
    expect(await readFile(join(tempDir(), 'mixed.txt'), 'utf8')).toBe('first\nsecond\nthird\nfourth\nfifth\n');
    expect(written.lines).toBe(5);
  });

  it.each([false, true])('closes while a write waits for the disk, and that wait ends too (gzip: %s)', async (gzip) => {
    const out = await OutputFile.open(join(tempDir(), `busy-${gzip}.txt`), { encoding: 'utf8', gzip });
    const big = Buffer.alloc(4 << 20, 'x');
    const waits = [out.writeEncoded(big, 0), out.writeEncoded(big, 0)];
    expect(waits.some((w) => w !== undefined)).toBe(true); // the stream is past its high-water mark
    await out.close(); // before the waits: a stream that is ending never emits 'drain'
    await Promise.all(waits);
    const bytes = await readFile(join(tempDir(), `busy-${gzip}.txt`));
    expect((gzip ? gunzipSync(bytes) : bytes).length).toBe(8 << 20);
  });
});
