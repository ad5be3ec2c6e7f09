/**
 * The index pipeline: a snapshot's company_links and RIR allocations into an index build — the
 * index file and its ip_ranges, verified — uploaded as an immutable build, then published: the
 * data-quality gates against the published build, the ip_ranges into the lake, the pointer swapped.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IP_RANGES } from '../schemas/index-tables.js';
import { fileDigest } from '../src/file-digest.js';
import type { IndexConfig } from '../src/config.js';
import { buildIndex, type BuildStats } from '../src/index-build/build-index.js';
import { publishBuild, uploadBuild, type BuildManifest, type ManifestObject } from '../src/index-build/publish.js';
import { FORMAT_MAJOR, FORMAT_MINOR } from '../src/index-file/layout.js';
import { verifyIndex } from '../src/index-file/verify.js';
import { ParquetTableWriter } from '../src/lake/parquet.js';
import { snapshotObjects, type SnapshotObject } from '../src/lake/snapshot-files.js';
import { lakeFingerprint, objectFingerprint } from '../src/pipeline/fingerprints.js';
import type { MakeStep, Pipeline, RunContext, Staged, WriteStep } from '../src/pipeline/runner.js';
import { openBuildDuckDb } from '../src/lake/duckdb.js';
import { localFile } from '../src/store/local-file.js';
import { IpregError } from '../src/errors.js';
import { CORRECTIONS_KEY, LATEST_KEY, SUPPRESSION_KEY } from '../src/lake/paths.js';

/** DuckDB's memory for the index build: the rest of the 2 GB the step may take is the writer's (measured on the full world). */
export const INDEX_MEMORY = '512MB';

/** Bump when the build changes what a build contains for the same inputs (a new build id follows). */
export const BUILDER_VERSION = 'index-3';

/** What the index pipeline needs besides the store and snapshot. */
export interface IndexContext extends RunContext {
  index: IndexConfig;
}

/**
 * What the index steps hand on: the build made in a temporary folder (the index file, its ip_ranges
 * writer, the manifest to be), for upload; then the manifest of the uploaded build, for publish.
 */
export type StagedIndex =
  | ({ kind: 'built'; dir: string; path: string; ranges: ParquetTableWriter; manifest: Omit<BuildManifest, 'index' | 'ipRanges'>; stats: BuildStats } & Staged)
  | ({ kind: 'uploaded'; manifest: BuildManifest } & Staged);

type IndexStep = MakeStep<IndexContext, StagedIndex>;
type IndexWriteStep = WriteStep<IndexContext, StagedIndex>;

/** The build id: the snapshot and a digest of everything the build reads, so equal inputs give the same id. */
export function buildIdOf(snapshot: string, inputs: readonly ManifestObject[]): string {
  const digest = createHash('sha256').update(JSON.stringify({ format: `${FORMAT_MAJOR}.${FORMAT_MINOR}`, builder: BUILDER_VERSION, inputs: inputs.map((i) => i.sha256) })).digest('hex');
  return `${snapshot}-${digest.slice(0, 10)}`;
}

async function manifestInputs(objects: readonly SnapshotObject[]): Promise<ManifestObject[]> {
  return Promise.all(objects.map(async (o) => ({ key: o.key, bytes: o.bytes, sha256: (await fileDigest(o.path)).sha256 })));
}

/** The snapshot's routing tables as local files; undefined when it has none (a lake made before routing data, or no routing source). */
async function routingObjects(ctx: IndexContext, dir: string): Promise<{ routedPrefixes: SnapshotObject[]; asNames: SnapshotObject[] } | undefined> {
  try {
    const routedPrefixes = await snapshotObjects(ctx.store, 'routed_prefixes', ctx.snapshot, dir, 'ip-allocations');
    const asNames = await snapshotObjects(ctx.store, 'as_names', ctx.snapshot, dir, 'ip-allocations');
    return { routedPrefixes, asNames };
  } catch (err) {
    if (err instanceof IpregError && err.code === 'USAGE') return undefined;
    throw err;
  }
}

const build: IndexStep = {
  name: 'index',
  description: 'flatten company_links over the RIR allocations into an index file and its ip_ranges, each range with its announcing network, and verify the file',
  inputs: ['tables/company_links', 'tables/ip_delegations', 'tables/companies', 'tables/routed_prefixes', 'tables/as_names', 'suppression/objections.csv', 'corrections/classes.csv'],
  outputs: ['an index file and its ip_ranges (local, verified)'],
  async fingerprint(ctx) {
    return {
      builder: `${BUILDER_VERSION} format ${FORMAT_MAJOR}.${FORMAT_MINOR}`,
      ...(await lakeFingerprint(ctx.store, 'company_links', ctx.snapshot)),
      ...(await lakeFingerprint(ctx.store, 'ip_delegations', ctx.snapshot)),
      ...(await lakeFingerprint(ctx.store, 'companies', ctx.snapshot)),
      ...(await lakeFingerprint(ctx.store, 'routed_prefixes', ctx.snapshot)),
      ...(await lakeFingerprint(ctx.store, 'as_names', ctx.snapshot)),
      ...(await objectFingerprint(ctx.store, SUPPRESSION_KEY)),
      ...(await objectFingerprint(ctx.store, CORRECTIONS_KEY)),
    };
  },
  async run(ctx, log) {
    const dir = await mkdtemp(join(tmpdir(), 'ipreg-index-'));
    const ranges = await ParquetTableWriter.open(IP_RANGES);
    try {
      const links = await snapshotObjects(ctx.store, 'company_links', ctx.snapshot, dir, 'links');
      const delegations = await snapshotObjects(ctx.store, 'ip_delegations', ctx.snapshot, dir, 'ip-allocations');
      const companies = await snapshotObjects(ctx.store, 'companies', ctx.snapshot, dir, 'registers');
      const routing = await routingObjects(ctx, dir);
      if (routing === undefined) log.warn({ snapshot: ctx.snapshot }, 'no routing data for the snapshot (routed_prefixes, as_names): answers carry no AS number');
      const inputs = await manifestInputs([...links, ...delegations, ...companies, ...(routing?.routedPrefixes ?? []), ...(routing?.asNames ?? [])]);
      let suppression: string | undefined;
      if ((await ctx.store.head(SUPPRESSION_KEY)) !== undefined) {
        suppression = await localFile(ctx.store, SUPPRESSION_KEY, join(dir, 'objections.csv'));
        inputs.push({ key: SUPPRESSION_KEY, ...(await fileDigest(suppression)) });
      } else {
        log.warn({ key: SUPPRESSION_KEY }, 'no objection list in the store: nothing is suppressed');
      }
      let corrections: string | undefined;
      if ((await ctx.store.head(CORRECTIONS_KEY)) !== undefined) {
        corrections = await localFile(ctx.store, CORRECTIONS_KEY, join(dir, 'corrections.csv'));
        inputs.push({ key: CORRECTIONS_KEY, ...(await fileDigest(corrections)) });
      }
      const buildId = buildIdOf(ctx.snapshot, inputs);
      const path = join(dir, 'ipreg.idx');
      const duck = await openBuildDuckDb(join(dir, 'duck'), INDEX_MEMORY);
      let stats: BuildStats;
      try {
        stats = await buildIndex(duck, { companyLinks: links.map((o) => o.path), companies: companies.map((o) => o.path), ipDelegations: delegations.map((o) => o.path), suppression, corrections, ...(routing === undefined ? {} : { routedPrefixes: routing.routedPrefixes.map((o) => o.path), asNames: routing.asNames.map((o) => o.path) }) }, { buildId, snapshot: ctx.snapshot }, path, ranges);
      } finally {
        duck.closeSync();
      }
      const { checks } = verifyIndex(await readFile(path));
      const { v4Ranges, v6Ranges, records } = stats.meta.counts;
      const counts = { v4Ranges, v6Ranges, records, answeredRanges: stats.answeredRanges, routedRanges: stats.routedRanges, linkedRanges: stats.linkedRanges, linkedCompanies: stats.linkedCompanies, suppressedRanges: stats.suppressedRanges, byClass: stats.byClass };
      const manifest = { buildId, snapshot: ctx.snapshot, format: `${FORMAT_MAJOR}.${FORMAT_MINOR}`, builtAt: new Date().toISOString(), inputs, counts, checks };
      const staged: StagedIndex = { kind: 'built', dir, path, ranges, manifest, stats, discard: async () => {
        await ranges.discard();
        await rm(dir, { recursive: true, force: true });
      } };
      log.info({ buildId, bytes: stats.bytes, ...counts }, 'index built');
      const skipped: Record<string, number> = {};
      if (stats.suppressedRanges > 0) skipped['company suppressed (objection since linking)'] = stats.suppressedRanges;
      if (stats.aliasRanges > 0) skipped['IPv6 range in ::ffff:0:0/96 or 2002::/16 (answered from IPv4)'] = stats.aliasRanges;
      return { rowsIn: inputs.length, rowsOut: stats.answeredRanges, skipped, outputs: [path], inputs, counts: { 'answered ranges': stats.answeredRanges, 'ranges with their network': stats.routedRanges, 'linked ranges': stats.linkedRanges, 'linked companies': stats.linkedCompanies }, made: { buildId }, staged: [staged] };
    } catch (err) {
      await ranges.discard();
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  },
};

const upload: IndexWriteStep = {
  name: 'upload',
  description: 'put the build in the store (index/builds/<build-id>/) and verify it as stored',
  inputs: ['the build this run made'],
  outputs: ['index/builds/<build-id>/'],
  kind: 'write',
  // The runner drops the build's temporary folder and ranges writer once this step is done.
  async write(ctx, staged) {
    const built = staged.find((s) => s.kind === 'built');
    if (built === undefined) throw new Error('index: nothing was built to upload');
    const manifest = await uploadBuild(ctx.store, await readFile(built.path), async (folder) => (await built.ranges.finish(ctx.store, folder)).parts, built.manifest);
    const uploaded: StagedIndex = { kind: 'uploaded', manifest, discard: async () => undefined };
    return { rowsIn: 1, rowsOut: 1, skipped: {}, outputs: [manifest.index.key, ...manifest.ipRanges.map((p) => p.key)], made: { buildId: manifest.buildId }, staged: [uploaded] };
  },
};

const publish: IndexWriteStep = {
  name: 'publish',
  description: 'pass the gates, put ip_ranges in the lake and point index/latest.json at the build',
  inputs: ['the build this run uploaded', 'the published build (for the gates)'],
  outputs: ['tables/ip_ranges/snapshot=<snapshot>/', 'index/latest.json'],
  kind: 'write',
  async write(ctx, staged, log) {
    const manifest = staged.find((s) => s.kind === 'uploaded')?.manifest;
    if (manifest === undefined) throw new Error('index: nothing was uploaded to publish');
    const result = await publishBuild(ctx.store, manifest.buildId, { maxDropShare: ctx.index.maxDropShare, force: ctx.force === true, verifiedJustNow: true });
    log.info({ buildId: manifest.buildId, previous: result.pointer.previous }, 'index published');
    // Published past its gate (--force): the runner records the gate as overridden.
    const gates = result.overridden === undefined ? [] : [{ gate: 'index against the published build', value: manifest.counts.answeredRanges, limit: result.overridden, passed: false }];
    return { rowsIn: manifest.counts.answeredRanges, rowsOut: manifest.counts.answeredRanges, skipped: {}, outputs: [LATEST_KEY, ...result.ipRanges], gates };
  },
};

/** `ipreg run index`: build, upload, publish. */
export const indexPipeline: Pipeline<IndexContext, StagedIndex> = {
  name: 'index',
  description: 'the index build: flattened ranges into an index file and ip_ranges, verified, published',
  sources: [],
  schedule: { cron: '30 5 * * *', timeZone: 'Etc/UTC', why: 'after the day\'s links (05:00): resolvers pick the build up in the morning, European time' },
  steps: [build, upload, publish],
};

/** `ipreg index build`: build and upload, not published. */
export const indexBuildOnly: Pipeline<IndexContext, StagedIndex> = { ...indexPipeline, name: 'index-build', lock: 'index', steps: [build, upload] };
