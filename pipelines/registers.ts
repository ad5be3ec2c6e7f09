/**
 * The registers pipeline: register files landed in raw/, then one step per register building its
 * partition of `companies` in DuckDB (natural persons and units not for publication dropped and
 * counted, never written), then a publish step that writes every built partition once all of them
 * were made. A register past its malformed-line budget fails its step; nothing of the run is published.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FetchConfig } from '../src/config.js';
import { IpregError } from '../src/errors.js';
import { readMeta } from '../src/fetch/raw-files.js';
import { landSources, type SourceLocation } from '../src/fetch/source-location.js';
import { putParts } from '../src/lake/parquet.js';
import type { Logger } from '../src/log.js';
import { PercentProgress, Progress } from '../src/pipeline/progress.js';
import { lakeFingerprint, rawFingerprint } from '../src/pipeline/fingerprints.js';
import { fileDigest } from '../src/file-digest.js';
import { snapshotObjects } from '../src/lake/snapshot-files.js';
import { expectedRangeGate, nullShareGates, type NullLimit } from '../src/pipeline/gates.js';
import type { Pipeline, RunContext, Staged, Step, StepInput, StepOutcome } from '../src/pipeline/runner.js';
import { buildCompanies, type RegisterBuild } from '../src/registers/build.js';
import { openBuildDuckDb } from '../src/lake/duckdb.js';
import type { LocalFile } from '../src/registers/register.js';
import { REGISTERS, registerAdapter, sourceById, type SourceMeta } from '../src/sources/catalog.js';
import { localFile } from '../src/store/local-file.js';
import { partitionFolder } from '../src/lake/paths.js';

/**
 * The register whose records crosswalk to the others (GLEIF: an LEI record names its company in a
 * national register). The catalog puts it first, so that each national register's companies take the
 * LEIs of the records that name them.
 */
const CROSSWALK = REGISTERS.find((r) => r.register.provides?.includes('lei-crosswalk'))?.id;

/** What the registers pipeline needs besides the store and snapshot. */
export interface RegistersContext extends RunContext {
  location: SourceLocation;
  fetch: FetchConfig;
  /** Only this register (all when undefined). */
  only?: string | undefined;
}

/** A register's partition of `companies` built in a temporary folder, written by the publish step. */
export interface StagedPartition extends Staged {
  register: string;
  folder: string;
  build: RegisterBuild;
}

/** The folder of a register's partition of `companies`. */
export function companiesFolder(register: string, snapshot: string): string {
  return partitionFolder('companies', [['register', register], ['snapshot', snapshot]]);
}

function selected(ctx: RegistersContext): SourceMeta[] {
  return REGISTERS.filter((r) => ctx.only === undefined || r.id === ctx.only);
}

function emptyResult(): StepOutcome<StagedPartition> {
  return { rowsIn: 0, rowsOut: 0, skipped: {}, outputs: [], inputs: [] };
}

/**
 * A register's raw files where DuckDB can read them: in place on a local store, else copied out of
 * the store into `dir`.
 */
async function stageFiles(ctx: RegistersContext, source: SourceMeta, dir: string, log: Logger, inputs: StepInput[]): Promise<Map<string, LocalFile>> {
  const files = new Map<string, LocalFile>();
  for (const file of source.files) {
    const meta = await readMeta(ctx.store, source.id, ctx.snapshot, file.name);
    if (meta === undefined) throw new IpregError('FETCH_FAILED', `${source.id}: ${file.name} of ${ctx.snapshot} is not in raw/ (run the raw step)`, { source: source.id });
    inputs.push({ key: meta.objectKey, sha256: meta.sha256, bytes: meta.bytes });
    const progress = new Progress(log, { source: source.id, file: file.name, action: 'staging' }, meta.bytes);
    const path = await localFile(ctx.store, meta.objectKey, join(dir, file.name.replaceAll('/', '__')), progress.meter());
    files.set(file.name, { name: file.name, path });
  }
  return files;
}

/** One malformed record for a message: file, line (when known), field, value (a register number only). */
function describeMalformed(e: RegisterBuild['malformed']['examples'][number]): string {
  const where = e.line === null ? e.file : `${e.file} line ${e.line}`;
  const field = e.column === null ? '' : ` ${e.column}`;
  return `${where}${field}${e.value === undefined ? '' : ` "${e.value}"`}: ${e.error}`;
}

/** Fails when more lines were malformed than the register's budget allows (nothing is published then). */
function checkBudget(source: SourceMeta, build: RegisterBuild): void {
  const total = build.rowsIn + build.malformed.count;
  const allowed = Math.max(source.skipBudgetMinimum, Math.floor(source.skipBudget * total));
  if (build.malformed.count > allowed) {
    const first = build.malformed.examples.slice(0, 3).map(describeMalformed);
    throw new IpregError(
      'BUDGET_EXCEEDED',
      `${source.id}: ${build.malformed.count} of ${total} lines malformed, more than the budget allows (${allowed}); first: ${first.join('; ')}; nothing was published`,
      { source: source.id },
    );
  }
}

/**
 * Key columns of companies: a name, a number and a country always (the adapters drop rows without);
 * a city nearly always (measured on the generated full world: at most 1 % missing, in KBO). More
 * missing points at a renamed or emptied column.
 */
const COMPANY_NULL_LIMITS: readonly NullLimit[] = [
  { column: 'name', max: 0.001 },
  { column: 'register_id', max: 0.001 },
  { column: 'country', max: 0.001 },
  { column: 'city', max: 0.1 },
];

/** Whether this run builds the crosswalk register's partition (and so makes the crosswalk in memory). */
function crosswalkInRun(ctx: RegistersContext): boolean {
  return CROSSWALK !== undefined && (ctx.only === undefined || ctx.only === CROSSWALK);
}

/**
 * The crosswalk when this run did not build GLEIF (`--only`, or the gleif step skipped: unchanged):
 * GLEIF's partition published for the snapshot, or none (LEIs are then not attached, and a warning says so).
 */
async function publishedCrosswalk(ctx: RegistersContext, dir: string, log: Logger, inputs: StepInput[]): Promise<string[] | undefined> {
  const objects = (await snapshotObjects(ctx.store, 'companies', ctx.snapshot, join(dir, 'crosswalk'), 'registers').catch(() => [])).filter((o) => o.key.includes(`/register=${CROSSWALK}/`));
  if (objects.length === 0) {
    log.warn({ snapshot: ctx.snapshot }, 'no GLEIF partition for the snapshot: LEIs are not attached (run the registers pipeline with gleif first)');
    return undefined;
  }
  for (const o of objects) inputs.push({ key: o.key, sha256: (await fileDigest(o.path)).sha256, bytes: o.bytes });
  return objects.map((o) => o.path);
}

function registerStep(register: SourceMeta): Step<RegistersContext, StagedPartition> {
  const id = register.id;
  return {
    name: id,
    description: `${id} into tables/companies`,
    inputs: [`raw/${id}/<snapshot>/`, ...(id === CROSSWALK || CROSSWALK === undefined ? [] : [`the LEI crosswalk: the ${CROSSWALK} step's partition of this run, else the one published for the snapshot`])],
    outputs: [`tables/companies/register=${id}/snapshot=<snapshot>/ (staged for publish)`],
    async fingerprint(ctx) {
      if (ctx.only !== undefined && ctx.only !== id) return undefined;
      const raw = await rawFingerprint(ctx.store, [register], ctx.snapshot);
      if (raw === undefined || CROSSWALK === undefined || id === CROSSWALK) return raw;
      // The crosswalk is made from GLEIF's raw file when this run builds GLEIF, else read from the lake.
      const crosswalk = crosswalkInRun(ctx) ? await rawFingerprint(ctx.store, [sourceById(CROSSWALK)], ctx.snapshot) : await lakeFingerprint(ctx.store, 'companies', ctx.snapshot, `register=${CROSSWALK}/`);
      return { ...raw, ...Object.fromEntries(Object.entries(crosswalk ?? { 'gleif raw': 'absent' }).map(([k, v]) => [`crosswalk ${k}`, v])) };
    },
    async run(ctx, log, earlier) {
      const result = emptyResult();
      if (ctx.only !== undefined && ctx.only !== id) return result;
      const adapter = await registerAdapter(id);
      const dir = await mkdtemp(join(tmpdir(), `ipreg-${id}-`));
      try {
        const files = await stageFiles(ctx, register, dir, log, result.inputs ?? []);
        // GLEIF's partition when this run built it, else the one published for the snapshot.
        const built = earlier.find((p) => p.register === CROSSWALK)?.build.parts.map((p) => p.path);
        const crosswalk = id === CROSSWALK || CROSSWALK === undefined ? undefined : (built ?? (await publishedCrosswalk(ctx, dir, log, result.inputs ?? [])));
        const duck = await openBuildDuckDb(join(dir, 'build'));
        let build: RegisterBuild;
        const progress = new PercentProgress(log, adapter.id);
        try {
          build = await buildCompanies(adapter, files, join(dir, 'build'), duck, {
            ...(crosswalk === undefined ? {} : { crosswalk }),
            progress: (phase, percent) => progress.update(phase, percent),
          });
          result.gates = await nullShareGates(duck, `companies of ${adapter.id}`, build.parts.map((p) => p.path), COMPANY_NULL_LIMITS);
        } finally {
          progress.finish();
          duck.closeSync();
        }
        for (const [file, columns] of Object.entries(build.added)) if (columns.length > 0) log.warn({ source: adapter.id, file, columns }, 'the register added columns this version does not read');
        if (build.malformed.count > 0) log.warn({ source: adapter.id, malformed: build.malformed.count, examples: build.malformed.examples }, 'malformed lines skipped');
        checkBudget(register, build);
        // A real register far from its usual size points at a cut-short file or a changed format (a generated world is small by design).
        result.gates.push(...(await expectedRangeGate(register, build.rowsIn, ctx.location, ctx.snapshot)));
        result.counts = { [`companies/${adapter.id}`]: build.rowsOut };
        result.partitions = [{ folder: companiesFolder(adapter.id, ctx.snapshot), rows: build.rowsOut }];
        result.rowsIn = build.rowsIn + build.malformed.count;
        result.rowsOut = build.rowsOut;
        result.skipped = { ...build.dropped, ...(build.malformed.count > 0 ? { 'malformed line': build.malformed.count } : {}) };
        const folder = companiesFolder(adapter.id, ctx.snapshot);
        result.staged = [{ register: id, folder, build, discard: () => rm(dir, { recursive: true, force: true }) }];
        result.outputs.push(folder);
        return result;
      } catch (err) {
        // The run publishes nothing: this build goes here, the runner drops the ones made before it.
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    },
  };
}

export const registers: Pipeline<RegistersContext, StagedPartition> = {
  name: 'registers',
  description: 'company registers into the companies table (legal persons only)',
  sources: REGISTERS.map((r) => r.id),
  schedule: {
    cron: '30 3 * * *',
    timeZone: 'Etc/UTC',
    why: 'GLEIF, Brønnøysund and the Estonian, Latvian and Lithuanian registers change daily; the Czech RES twice a month; Sweden\'s two files weekly; the Irish CRO and the Finnish YTJ daily; Companies House, SIRENE and KBO monthly (a file the publisher did not change is not downloaded again)',
  },
  steps: [
    {
      name: 'raw',
      description: 'land every register file in raw/<source>/<snapshot>/ with its meta',
      inputs: ['the company registers, from their publishers (or --sources)'],
      outputs: ['raw/<register>/<snapshot>/'],
      async run(ctx, log) {
        const result = emptyResult();
        for (const meta of await landSources(ctx, selected(ctx), log)) {
          result.rowsOut++;
          result.outputs.push(meta.objectKey);
          result.inputs?.push({ key: meta.url, sha256: meta.sha256, bytes: meta.bytes });
        }
        return result;
      },
    },
    ...REGISTERS.map(registerStep),
    {
      name: 'publish',
      description: 'write every built partition to the lake, once all of them were made',
      inputs: ['the partitions this run built'],
      outputs: ['tables/companies/register=<register>/snapshot=<snapshot>/'],
      kind: 'write',
      // The runner drops every build's temporary folder once this step is done, published or not.
      async write(ctx, staged) {
        const result = emptyResult();
        for (const { folder, build } of staged) {
          const parts = await putParts(ctx.store, folder, build.parts);
          result.rowsIn += build.rowsOut;
          result.rowsOut += build.rowsOut;
          result.outputs.push(...parts.map((p) => p.key));
        }
        return result;
      },
    },
  ],
};
