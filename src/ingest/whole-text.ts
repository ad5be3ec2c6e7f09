/**
 * Whether a text source file (the RIRs' delegated files and RPSL dumps, routing data) arrived whole,
 * checked as it is read: its last line ends with a line end, and a gzip file reads to its end (zlib
 * checks its length and CRC; a file cut short fails with "unexpected end of file"). Either failure is
 * FILE_TRUNCATED naming the file, the line and the byte, and the run publishes nothing. A file cut on
 * a line boundary passes this check; the delegated files then fail their version line's record count
 * (ingestDelegated), and the RPSL dumps, all gzip, fail zlib's.
 */
import { IpregError } from '../errors.js';

/** Counts the lines of a file again (only when one was found cut: the count is for the message). */
export type LineCounter = () => Promise<number>;

/** Passes `bytes` through, failing as FILE_TRUNCATED when they end inside a line or the gzip stream breaks. */
export async function* wholeText(bytes: AsyncIterable<Buffer>, file: string, countLines: LineCounter): AsyncGenerator<Buffer> {
  let last = -1;
  let total = 0;
  try {
    for await (const chunk of bytes) {
      if (chunk.length === 0) continue;
      last = chunk[chunk.length - 1] as number;
      total += chunk.length;
      yield chunk;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' || /unexpected end of file|incorrect data check|invalid/.test((err as Error).message)) {
      throw new IpregError('FILE_TRUNCATED', `${file}: the gzip stream breaks after ${total} bytes of text (${(err as Error).message}) — the file was cut short or is corrupt; nothing was published`, { file, value: String(total) }, { cause: err });
    }
    throw err;
  }
  if (total > 0 && last !== 0x0a) {
    const line = (await countLines()) + 1;
    throw new IpregError('FILE_TRUNCATED', `${file} line ${line}: the last line has no line end — the file was cut short at byte ${total} of its text; nothing was published`, { file, line, value: String(total) });
  }
}

/** The line ends in a stream of bytes. */
export async function countLineEnds(bytes: AsyncIterable<Buffer>): Promise<number> {
  let n = 0;
  for await (const chunk of bytes) for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}
