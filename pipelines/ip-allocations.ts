/**
 * The ip-allocations pipeline: the RIRs' delegated statistics and RPSL dumps, and routing data, landed
 * in raw/ and parsed into ip_delegations, inetnums, whois_orgs, aut_nums, routed_prefixes and as_names. A source whose skipped records pass
 * the budget it declares fails the step before any table of that step is written.
 */
import { availableParallelism } from 'node:os';
import { AS_NAMES, AUT_NUMS, INETNUMS, IP_DELEGATIONS, ROUTED_PREFIXES, WHOIS_ORGS } from '../schemas/ip-allocation-tables.js';
import type { FetchConfig, ParseConfig } from '../src/config.js';
import { IpregError } from '../src/errors.js';
import { landSources, openRaw, type SourceLocation } from '../src/fetch/source-location.js';
import { readMeta, type RawMeta } from '../src/fetch/raw-files.js';
import { bytesOfStream, chunksOfBytes, linesOfChunks, type TextChunks } from '../src/formats/lines.js';
import { countLineEnds, wholeText } from '../src/ingest/whole-text.js';
import { ingestDelegated, ingestRpsl, type IngestCounts, type RpslWriters } from '../src/ingest/ip-allocation-rows.js';
import { ingestRpslInWorkers } from '../src/ingest/rpsl-workers.js';
import { ingestRouting, Networks } from '../src/ingest/routing-rows.js';
import { ParquetTableWriter } from '../src/lake/parquet.js';
import type { TableSchema } from '../src/lake/table-schema.js';
import type { Logger } from '../src/log.js';
import { Progress } from '../src/pipeline/progress.js';
import { rawFingerprint } from '../src/pipeline/fingerprints.js';
import type { Fingerprint } from '../src/pipeline/memo.js';
import { expectedRangeGate } from '../src/pipeline/gates.js';
import type { Pipeline, RunContext, Staged, StepInput, StepOutcome, StepResult } from '../src/pipeline/runner.js';
import { SOURCES, type SourceMeta } from '../src/sources/catalog.js';
import { partitionFolder } from '../src/lake/paths.js';

/** What the ip-allocations pipeline needs besides the store and snapshot. */
export interface IpAllocationsContext extends RunContext {
  location: SourceLocation;
  fetch: FetchConfig;
  /** Worker threads for large dumps (main thread only when undefined). */
  parse?: ParseConfig | undefined;
  /** Only this source (all IP sources when undefined). */
  only?: string | undefined;
}

/** A table file a parse step made for one source, written to the lake by the publish step. */
export interface StagedTable extends Staged {
  writer: ParquetTableWriter;
  folder: string;
}

function stagedTable(writer: ParquetTableWriter, folder: string): StagedTable {
  return { writer, folder, discard: () => writer.discard() };
}

/** The sources this pipeline reads: the RIRs' files and routing data. */
const NETWORK_SOURCES = SOURCES.filter((s) => s.kind === 'ip-allocation' || s.kind === 'routing');

function sourcesOf(ctx: IpAllocationsContext, format?: string): SourceMeta[] {
  return NETWORK_SOURCES.filter((s) => (format === undefined || s.format === format) && (ctx.only === undefined || s.id === ctx.only));
}

/** The folder of a table's part files for one source and snapshot (a Hive partition). */
export function tableFolder(table: string, source: string, snapshot: string): string {
  return partitionFolder(table, [['source', source], ['snapshot', snapshot]]);
}

function emptyResult(): StepOutcome<StagedTable> {
  return { rowsIn: 0, rowsOut: 0, skipped: {}, outputs: [], inputs: [] };
}

/** A raw file as a step input: the object read (or, for the raw step, the URL fetched), with its digest. */
function inputOf(meta: RawMeta, as: 'object' | 'url'): StepInput {
  return { key: as === 'url' ? meta.url : meta.objectKey, sha256: meta.sha256, bytes: meta.bytes };
}

function addCounts(result: StepResult, counts: IngestCounts): void {
  result.rowsIn += counts.records + Object.values(counts.skipped).reduce((a, b) => a + b, 0);
  for (const [reason, n] of Object.entries(counts.skipped)) result.skipped[reason] = (result.skipped[reason] ?? 0) + n;
}

/** Adds one file's counts to a source's, its examples naming the file. */
function mergeCounts(total: IngestCounts, counts: IngestCounts, file: string): void {
  total.records += counts.records;
  for (const [reason, n] of Object.entries(counts.skipped)) total.skipped[reason] = (total.skipped[reason] ?? 0) + n;
  total.examples.push(...counts.examples.map((e) => ({ ...e, reason: `${file} line ${e.line}: ${e.reason}` })));
}

/** Fails when a source skipped more than its budget allows, naming the source, the share and the budget. */
function checkBudget(source: SourceMeta, counts: IngestCounts, log: Logger): void {
  const skipped = Object.values(counts.skipped).reduce((a, b) => a + b, 0);
  if (skipped > 0) log.warn({ source: source.id, skipped: counts.skipped, examples: counts.examples.slice(0, 5) }, 'records skipped');
  const total = skipped + counts.records;
  const allowed = Math.max(source.skipBudgetMinimum, Math.floor(source.skipBudget * total));
  if (skipped > allowed) {
    throw new IpregError(
      'BUDGET_EXCEEDED',
      `${source.id}: ${skipped} of ${total} records malformed, more than the budget allows (${(source.skipBudget * 100).toFixed(2)} % or ${source.skipBudgetMinimum} records: ${allowed}); nothing was published`,
      { source: source.id },
    );
  }
}

async function rawMetas(ctx: IpAllocationsContext, source: SourceMeta): Promise<RawMeta[]> {
  const metas: RawMeta[] = [];
  for (const file of source.files) {
    const meta = await readMeta(ctx.store, source.id, ctx.snapshot, file.name);
    if (meta === undefined) throw new IpregError('FETCH_FAILED', `${source.id}: ${file.name} of ${ctx.snapshot} is not in raw/ (run the raw step)`, { source: source.id });
    metas.push(meta);
  }
  return metas;
}

/**
 * The bytes of a raw file (gunzipped), streamed from the store, with progress; checked to be whole as
 * they are read (the last line ends, a gzip stream reads to its end), else FILE_TRUNCATED naming it.
 */
async function bytesOfRaw(ctx: IpAllocationsContext, source: SourceMeta, meta: RawMeta, log: Logger): Promise<AsyncIterable<Buffer>> {
  const gzip = source.files.find((f) => f.name === meta.file)?.gzip === true;
  const progress = new Progress(log, { source: source.id, file: meta.file, action: 'parsing' }, meta.bytes);
  const raw = await openRaw(ctx.store, meta);
  const metered = progress.meter();
  raw.on('error', (err) => metered.destroy(err));
  const recount = async () => countLineEnds(bytesOfStream(await openRaw(ctx.store, meta), gzip));
  return wholeText(bytesOfStream(raw.pipe(metered), gzip), `${source.id} ${meta.file}`, recount);
}

function encodingOf(source: SourceMeta): 'utf8' | 'latin1' {
  return source.encoding === 'latin1' ? 'latin1' : 'utf8';
}

/** The text of a raw file, streamed from the store, with progress. */
async function textOfRaw(ctx: IpAllocationsContext, source: SourceMeta, meta: RawMeta, log: Logger): Promise<TextChunks> {
  return chunksOfBytes(await bytesOfRaw(ctx, source, meta, log), encodingOf(source));
}

/** Reads one RPSL file into the tables: on worker threads when it is large and the settings allow, else here. */
async function ingestRpslRaw(ctx: IpAllocationsContext, source: SourceMeta, meta: RawMeta, writers: RpslWriters, log: Logger): Promise<IngestCounts> {
  const file = `${source.id} ${meta.file}`;
  const threads = ctx.parse?.threads === 0 ? Math.min(4, availableParallelism()) : (ctx.parse?.threads ?? 1);
  if (threads > 1 && meta.bytes >= (ctx.parse?.workersFromBytes ?? 0)) {
    log.debug({ source: source.id, file: meta.file, threads }, 'parsing on worker threads');
    return ingestRpslInWorkers(await bytesOfRaw(ctx, source, meta, log), encodingOf(source), writers, file, source.requiredAttributes, { threads });
  }
  return ingestRpsl(await textOfRaw(ctx, source, meta, log), writers, file, source.requiredAttributes);
}

/** The raw files a parse step reads, with the sources it reads them for (none: the step does nothing, nothing to memo). */
async function parseFingerprint(ctx: IpAllocationsContext, format: string): Promise<Fingerprint | undefined> {
  const sources = sourcesOf(ctx, format);
  if (sources.length === 0) return undefined;
  const raw = await rawFingerprint(ctx.store, sources, ctx.snapshot);
  return raw === undefined ? undefined : { sources: sources.map((s) => s.id).join(','), ...raw };
}

/** Opens a table file for a source, staged until the publish step. */
type Stage = (table: TableSchema, source: SourceMeta) => Promise<ParquetTableWriter>;

/**
 * Runs `build`, which fills table files for several sources, and returns them staged for the publish
 * step; if `build` fails (a source past its budget, a broken file, a changed format), the files it
 * opened are dropped here, and the runner drops what earlier steps staged: the run publishes nothing.
 */
async function stageTables(ctx: IpAllocationsContext, result: StepOutcome<StagedTable>, build: (stage: Stage) => Promise<void>): Promise<void> {
  const mine: StagedTable[] = [];
  const labels = new Map<ParquetTableWriter, string>();
  const stage: Stage = async (table, source) => {
    const writer = await ParquetTableWriter.open(table);
    const folder = tableFolder(table.name, source.id, ctx.snapshot);
    mine.push(stagedTable(writer, folder));
    labels.set(writer, `${table.name}/${source.id}`);
    result.outputs.push(folder);
    return writer;
  };
  try {
    await build(stage);
  } catch (err) {
    await Promise.all(mine.map((s) => s.discard()));
    throw err;
  }
  result.staged = mine;
  result.rowsOut += mine.reduce((n, s) => n + s.writer.count, 0);
  // Rows by table and source, each held against the partition published for an earlier snapshot.
  result.counts = Object.fromEntries(mine.map((s) => [labels.get(s.writer) as string, s.writer.count]));
  result.partitions = mine.map((s) => ({ folder: s.folder, rows: s.writer.count }));
}

export const ipAllocations: Pipeline<IpAllocationsContext, StagedTable> = {
  name: 'ip-allocations',
  description: "the RIRs' delegated statistics and RPSL dumps, and routing data, as Parquet tables",
  sources: NETWORK_SOURCES.map((s) => s.id),
  schedule: { cron: '0 3 * * *', timeZone: 'Etc/UTC', why: 'the five RIRs publish their delegated statistics and RPSL dumps once a day, by about 01:00 UTC' },
  steps: [
    {
      name: 'raw',
      description: 'land every source file in raw/<source>/<snapshot>/ with its meta',
      inputs: ["the RIRs' delegated statistics and RPSL dumps, and routing data, from their publishers (or --sources)"],
      outputs: ['raw/<source>/<snapshot>/'],
      async run(ctx, log) {
        const result = emptyResult();
        for (const meta of await landSources(ctx, sourcesOf(ctx), log)) {
          result.rowsOut++;
          result.outputs.push(meta.objectKey);
          result.inputs?.push(inputOf(meta, 'url'));
        }
        return result;
      },
    },
    {
      name: 'ip_delegations',
      description: 'delegated statistics into tables/ip_delegations',
      inputs: ['raw/<rir>-delegated/<snapshot>/'],
      outputs: ['tables/ip_delegations (staged for publish)'],
      fingerprint: async (ctx) => parseFingerprint(ctx, 'delegated'),
      async run(ctx, log) {
        const result = emptyResult();
        await stageTables(ctx, result, async (stage) => {
          for (const source of sourcesOf(ctx, 'delegated')) {
            const writer = await stage(IP_DELEGATIONS, source);
            for (const meta of await rawMetas(ctx, source)) {
              result.inputs?.push(inputOf(meta, 'object'));
              const counts = await ingestDelegated(linesOfChunks(await textOfRaw(ctx, source, meta, log)), meta.file, writer);
              checkBudget(source, counts, log);
              addCounts(result, counts);
              (result.gates ??= []).push(...(await expectedRangeGate(source, counts.records, ctx.location, ctx.snapshot)));
            }
            writer.seal(); // its last part converts while the next source is read
          }
        });
        return result;
      },
    },
    {
      name: 'inetnums',
      description: 'RPSL dumps into tables/inetnums, tables/whois_orgs and tables/aut_nums',
      inputs: ['raw/<rir>-rpsl/<snapshot>/'],
      outputs: ['tables/inetnums, tables/whois_orgs, tables/aut_nums (staged for publish)'],
      fingerprint: async (ctx) => parseFingerprint(ctx, 'rpsl'),
      async run(ctx, log) {
        const result = emptyResult();
        await stageTables(ctx, result, async (stage) => {
          for (const source of sourcesOf(ctx, 'rpsl')) {
            const writers = { inetnums: await stage(INETNUMS, source), orgs: await stage(WHOIS_ORGS, source), autNums: await stage(AUT_NUMS, source) };
            const total: IngestCounts = { records: 0, skipped: {}, examples: [] };
            for (const meta of await rawMetas(ctx, source)) {
              result.inputs?.push(inputOf(meta, 'object'));
              mergeCounts(total, await ingestRpslRaw(ctx, source, meta, writers, log), meta.file);
            }
            checkBudget(source, total, log);
            addCounts(result, total);
            (result.gates ??= []).push(...(await expectedRangeGate(source, total.records, ctx.location, ctx.snapshot)));
            for (const writer of Object.values(writers)) writer.seal();
          }
        });
        return result;
      },
    },
    {
      name: 'routing',
      description: 'routing data into tables/routed_prefixes and tables/as_names',
      inputs: ['raw/ip-location-db-asn/<snapshot>/'],
      outputs: ['tables/routed_prefixes, tables/as_names (staged for publish)'],
      fingerprint: async (ctx) => parseFingerprint(ctx, 'ip-location-db-asn'),
      async run(ctx, log) {
        const result = emptyResult();
        await stageTables(ctx, result, async (stage) => {
          for (const source of sourcesOf(ctx, 'ip-location-db-asn')) {
            const prefixes = await stage(ROUTED_PREFIXES, source);
            const names = await stage(AS_NAMES, source);
            const networks = new Networks();
            const total: IngestCounts = { records: 0, skipped: {}, examples: [] };
            for (const meta of await rawMetas(ctx, source)) {
              result.inputs?.push(inputOf(meta, 'object'));
              mergeCounts(total, await ingestRouting(linesOfChunks(await textOfRaw(ctx, source, meta, log)), meta.file, prefixes, networks), meta.file);
            }
            checkBudget(source, total, log);
            addCounts(result, total);
            (result.gates ??= []).push(...(await expectedRangeGate(source, total.records, ctx.location, ctx.snapshot)));
            for (const row of networks.rows()) {
              const wait = names.add(row);
              if (wait !== undefined) await wait;
            }
            prefixes.seal();
            names.seal();
          }
        });
        return result;
      },
    },
    {
      name: 'publish',
      description: 'write every staged table file to the lake, once all of them were made',
      inputs: ['the tables this run staged'],
      outputs: ['tables/{ip_delegations,inetnums,whois_orgs,aut_nums,routed_prefixes,as_names}/source=<source>/snapshot=<snapshot>/'],
      kind: 'write',
      async write(ctx, staged) {
        const result = emptyResult();
        for (const { writer, folder } of staged) {
          const written = await writer.finish(ctx.store, folder);
          result.rowsIn += written.rows;
          result.rowsOut += written.rows;
          result.outputs.push(...written.parts.map((p) => p.key));
        }
        return result;
      },
    },
  ],
};
