/** A logger whose JSON lines are kept in memory, for tests that read what was logged. */
import { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import { createLogger, type Logger } from '../../src/log.js';

/** A logger at `level` and the lines it wrote. */
export function captureLog(level: 'info' | 'debug' = 'info'): { lines: string[]; log: Logger } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, log: createLogger({ level, stream: 'stdout', pretty: false, destination: destination as unknown as DestinationStream }) };
}
