import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { captureLog } from '../../test/support/log-capture.js';
import { PercentProgress, Progress } from './progress.js';

describe('progress', () => {
  it('logs structured progress records and a final one, away from a terminal', async () => {
    const out = captureLog();
    const progress = new Progress(out.log, { source: 'ripe-rpsl', file: 'ripe.db.inetnum.gz', action: 'parsing' }, 4000, undefined, 0);
    const sink = new Writable({ write: (_c, _e, done) => done() });
    await pipeline(Readable.from([Buffer.alloc(1000), Buffer.alloc(3000)]), progress.meter(), sink);
    const records = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.at(-1)).toMatchObject({ msg: 'progress', source: 'ripe-rpsl', file: 'ripe.db.inetnum.gz', bytesDone: 4000, totalBytes: 4000, percent: 100 });
    expect(records.some((r) => r['bytesDone'] === 1000 && r['percent'] === 25)).toBe(true);
  });

  it('reports a file read within the interval once, when it ends', async () => {
    const out = captureLog();
    const progress = new Progress(out.log, { source: 'ripe-rpsl', file: 'ripe.db.aut-num.gz', action: 'parsing' }, 4000, undefined, 60_000);
    const sink = new Writable({ write: (_c, _e, done) => done() });
    await pipeline(Readable.from([Buffer.alloc(1000), Buffer.alloc(3000)]), progress.meter(), sink);
    expect(out.lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([expect.objectContaining({ bytesDone: 4000, percent: 100 })]);
  });

  it('rewrites one line at a terminal', async () => {
    const out = captureLog();
    let text = '';
    const terminal = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
    const progress = new Progress(out.log, { source: 'arin-delegated', file: 'delegated-arin-extended-latest', action: 'parsing' }, 2_000_000, terminal);
    progress.advance(1_000_000);
    progress.finish();
    expect(text).toContain('\r  parsing arin-delegated delegated-arin-extended-latest: 1.0 MB of 2.0 MB (50 %)');
    expect(text.endsWith('\n')).toBe(true);
    expect(out.lines).toEqual([]);
  });

  it('reports a query in percent: every phase change at once, then at the interval', () => {
    const out = captureLog();
    const progress = new PercentProgress(out.log, 'fr-sirene', undefined, 60_000);
    progress.update('counting', 0);
    progress.update('counting', 40);
    progress.update('writing', 12.6);
    progress.update('writing', 100);
    const records = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => [r['action'], r['percent']])).toEqual([
      ['counting', 0],
      ['writing', 13],
    ]);
    expect(records[0]).toMatchObject({ msg: 'progress', source: 'fr-sirene' });
  });
});
