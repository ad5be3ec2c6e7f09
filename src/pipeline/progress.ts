/**
 * Progress of a long step on one file: a line rewritten in place for a person at a terminal, a
 * structured `progress` log record every few seconds otherwise (what, bytes done, bytes in all).
 */
import { Transform } from 'node:stream';
import type { Logger } from '../log.js';

/** Reports progress through a stream of a known size. */
export class Progress {
  private done = 0;
  /** The first report comes an interval after the start: a file read sooner gets only the final one. */
  private lastReport = Date.now();

  constructor(
    private readonly log: Logger,
    private readonly label: { source: string; file: string; action: string },
    private readonly totalBytes: number | undefined,
    private readonly terminal: NodeJS.WriteStream | undefined = process.stderr.isTTY ? process.stderr : undefined,
    private readonly intervalMs = 5000,
  ) {}

  /** A pass-through stream that counts the bytes flowing through it. */
  meter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, next) => {
        this.advance(chunk.length);
        next(null, chunk);
      },
      flush: (next) => {
        this.finish();
        next();
      },
    });
  }

  /** Counts `bytes` more; reports when the interval has passed. */
  advance(bytes: number): void {
    this.done += bytes;
    const now = Date.now();
    if (now - this.lastReport < (this.terminal === undefined ? this.intervalMs : 250)) return;
    this.lastReport = now;
    this.report();
  }

  /** The last report, and a line break at a terminal. */
  finish(): void {
    this.report();
    this.terminal?.write('\n');
  }

  private report(): void {
    const percent = this.totalBytes !== undefined && this.totalBytes > 0 ? Math.min(100, Math.round((this.done / this.totalBytes) * 100)) : undefined;
    if (this.terminal !== undefined) {
      const size = this.totalBytes === undefined ? '' : ` of ${(this.totalBytes / 1e6).toFixed(1)} MB`;
      this.terminal.write(`\r  ${this.label.action} ${this.label.source} ${this.label.file}: ${(this.done / 1e6).toFixed(1)} MB${size}${percent === undefined ? '' : ` (${percent} %)`}   `);
      return;
    }
    this.log.info({ ...this.label, bytesDone: this.done, totalBytes: this.totalBytes, percent }, 'progress');
  }
}

/** Progress of a step measured in percent (a DuckDB query's own estimate), reported like Progress. */
export class PercentProgress {
  private lastReport = Date.now();
  private lastPhase: string | undefined;

  constructor(
    private readonly log: Logger,
    private readonly source: string,
    private readonly terminal: NodeJS.WriteStream | undefined = process.stderr.isTTY ? process.stderr : undefined,
    private readonly intervalMs = 5000,
  ) {}

  /** The phase (counting, writing …) is at `percent`; reports when the interval has passed or the phase changed. */
  update(phase: string, percent: number): void {
    const now = Date.now();
    const changed = phase !== this.lastPhase;
    if (!changed && now - this.lastReport < (this.terminal === undefined ? this.intervalMs : 250)) return;
    if (changed && this.lastPhase !== undefined) this.terminal?.write('\n');
    this.lastPhase = phase;
    this.lastReport = now;
    const rounded = Math.max(0, Math.min(100, Math.round(percent)));
    if (this.terminal !== undefined) this.terminal.write(`\r  ${phase} ${this.source}: ${rounded} %   `);
    else this.log.info({ source: this.source, action: phase, percent: rounded }, 'progress');
  }

  /** Ends the line at a terminal. */
  finish(): void {
    if (this.lastPhase !== undefined) this.terminal?.write('\n');
  }
}
