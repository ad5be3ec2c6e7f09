/**
 * The worker thread of rpsl-workers.ts: reads blocks of RPSL text (whole objects, with the number of
 * their first line) into the CSV lines of inetnums, whois_orgs and aut_nums, and sends them back as
 * UTF-8 bytes with the block's counts. It holds no state between blocks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AUT_NUMS, INETNUMS, WHOIS_ORGS } from '../../schemas/ip-allocation-tables.js';
import { RpslScanner } from '../formats/rpsl.js';
import { CsvRowEncoder, type Row } from '../lake/parquet.js';
import { RPSL_SELECTION, RpslRowMaker, type RowSink } from './ip-allocation-rows.js';
import type { BlockJob, BlockResult, EncodedRows } from './rpsl-workers.js';

const { encoding } = workerData as { encoding: 'utf8' | 'latin1' };

/** Rows of one table for one block, as CSV lines. */
class CsvLines implements RowSink {
  private lines: string[] = [];

  constructor(private readonly encoder: CsvRowEncoder) {}

  add(row: Row): undefined {
    this.lines.push(this.encoder.encode(row));
    return undefined;
  }

  /** The lines as UTF-8 in a buffer of their own (transferable: never Node's shared pool). */
  take(): EncodedRows {
    const text = this.lines.join('');
    const rows = this.lines.length;
    this.lines = [];
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
    bytes.write(text, 'utf8');
    return { bytes, rows };
  }
}

const sinks = { inetnums: new CsvLines(new CsvRowEncoder(INETNUMS)), orgs: new CsvLines(new CsvRowEncoder(WHOIS_ORGS)), autNums: new CsvLines(new CsvRowEncoder(AUT_NUMS)) };

parentPort?.on('message', (job: BlockJob) => {
  let result: BlockResult;
  try {
    const text = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength).toString(encoding);
    const maker = new RpslRowMaker(sinks);
    const scanner = new RpslScanner(RPSL_SELECTION, job.firstLine);
    scanner.push(text, maker.take);
    scanner.end(maker.take);
    result = {
      seq: job.seq,
      counts: maker.counts,
      seen: [...maker.seen].map(([objectClass, t]) => ({ objectClass, objects: t.objects, attributes: [...t.attributes] })),
      tables: { inetnums: sinks.inetnums.take(), orgs: sinks.orgs.take(), autNums: sinks.autNums.take() },
    };
  } catch (err) {
    for (const sink of Object.values(sinks)) sink.take();
    parentPort?.postMessage({ seq: job.seq, error: err instanceof Error ? err.message : String(err) } satisfies BlockResult);
    return;
  }
  const t = result.tables as Record<string, EncodedRows>;
  parentPort?.postMessage(result, Object.values(t).map((e) => e.bytes.buffer as ArrayBuffer));
});
