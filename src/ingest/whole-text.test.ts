import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesOfStream } from '../formats/lines.js';
import { countLineEnds, wholeText } from './whole-text.js';

const drain = async (bytes: AsyncIterable<Buffer>): Promise<Buffer> => {
  const out: Buffer[] = [];
  for await (const b of bytes) out.push(b);
  return Buffer.concat(out);
};
const pieces = (buffer: Buffer, size: number) => Readable.from(Array.from({ length: Math.ceil(buffer.length / size) }, (_, i) => buffer.subarray(i * size, (i + 1) * size)));

describe('wholeText', () => {
  it('passes text through unchanged when it ends with a line end, and fails naming line and byte when it does not (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '|', ' ', '\n') }), { maxLength: 30 }), fc.integer({ min: 1, max: 9 }), async (lines, size) => {
        const text = Buffer.from(lines.join(''));
        const count = () => countLineEnds(pieces(text, size));
        const read = drain(wholeText(pieces(text, size), 'f', count));
        if (text.length === 0 || text[text.length - 1] === 0x0a) {
          expect(await read).toEqual(text);
        } else {
          await expect(read).rejects.toThrow(`f line ${text.toString().split('\n').length}: the last line has no line end — the file was cut short at byte ${text.length} of its text`);
        }
      }),
    );
  });

  it('fails a gzip stream cut short as FILE_TRUNCATED, naming the file', async () => {
    const gz = gzipSync(Buffer.from('a|b|c\n'.repeat(5000)));
    const cut = gz.subarray(0, gz.length - 20);
    const read = drain(wholeText(bytesOfStream(pieces(cut, 512), true), 'ripe-rpsl ripe.db.inetnum.gz', async () => 0));
    await expect(read).rejects.toMatchObject({ code: 'FILE_TRUNCATED', message: expect.stringMatching(/^ripe-rpsl ripe\.db\.inetnum\.gz: the gzip stream breaks after \d+ bytes of text \(unexpected end of file\) — the file was cut short or is corrupt/) as unknown });
    expect(await drain(wholeText(bytesOfStream(pieces(gz, 512), true), 'whole.gz', async () => 0))).toEqual(Buffer.from('a|b|c\n'.repeat(5000)));
  });
});
