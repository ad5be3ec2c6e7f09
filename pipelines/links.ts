/**
 * The links pipeline: the snapshot's WHOIS ranges (inetnums, whois_orgs) and registered companies
 * (companies) into `company_links` — every range classified, linked to a company where the evidence
 * is unambiguous and the class allows, objections honoured — then published once written whole.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putParts } from '../src/lake/parquet.js';
import { fileDigest } from '../src/file-digest.js';
import { snapshotObjects } from '../src/lake/snapshot-files.js';
import { linkRanges, RULE_VERSION, type LinkStats } from '../src/links/link.js';
import { lakeFingerprint, objectFingerprint } from '../src/pipeline/fingerprints.js';
import type { GateCheck, Pipeline, RunContext, Staged, StepInput, StepOutcome } from '../src/pipeline/runner.js';
import { openBuildDuckDb } from '../src/lake/duckdb.js';
import { localFile } from '../src/store/local-file.js';
import { CORRECTIONS_KEY, OPERATORS_KEY, partitionFolder, SUPPRESSION_KEY } from '../src/lake/paths.js';
import { parseOperators, type Operator } from '../src/links/class-data.js';
import { IpregError } from '../src/errors.js';
import type { RoutingInputs } from '../src/links/stages/networks.js';
import { readFile } from 'node:fs/promises';

/**
 * DuckDB's memory for the linking step. Measured on the full world at 2.5 GB: peak RSS 3.3 GB in a
 * process of its own, 4.06 GB inside `ipreg run nightly` (the registers' DuckDB instances leave the
 * process's allocator fragmented); 2 GB keeps the nightly under its 4 GB.
 */
export const LINKS_MEMORY = '2GB';

/**
 * The least share of linkable ranges (not isp or mobile) that must end up linked: 43 % on the
 * generated worlds; a run far below it lost a table or a join, and publishes nothing.
 */
export const MIN_LINK_RATE = 0.05;


/** The folder of a snapshot's company_links. */
export function linksFolder(snapshot: string): string {
  return partitionFolder('company_links', [['snapshot', snapshot]]);
}

/** What the links pipeline needs besides the store and snapshot: nothing. */
export type LinksContext = RunContext;

/** The snapshot's company_links made in a temporary folder, written by the publish step. */
export interface StagedLinks extends Staged {
  file: string;
  stats: LinkStats;
}

/**
 * The snapshot's routing data and aut-nums as local files, their inputs recorded; undefined when the
 * lake has no routing data for the snapshot (a lake made before it, or a run of the WHOIS sources only).
 */
async function routingInputs(ctx: LinksContext, dir: string, inputs: StepInput[]): Promise<RoutingInputs | undefined> {
  const tables: Awaited<ReturnType<typeof snapshotObjects>>[] = [];
  for (const table of ['routed_prefixes', 'as_names', 'aut_nums']) {
    try {
      tables.push(await snapshotObjects(ctx.store, table, ctx.snapshot, dir, 'ip-allocations'));
    } catch (err) {
      if (err instanceof IpregError && err.code === 'USAGE') return undefined;
      throw err;
    }
  }
  // Inputs of the step only once all three are there (a partial set is not read).
  inputs.push(...(await Promise.all(tables.flat().map(async (o) => ({ key: o.key, sha256: (await fileDigest(o.path)).sha256, bytes: o.bytes })))));
  const [routedPrefixes, asNames, autNums] = tables.map((objects) => objects.map((o) => o.path)) as [string[], string[], string[]];
  return { routedPrefixes, asNames, autNums };
}

export const links: Pipeline<LinksContext, StagedLinks> = {
  name: 'links',
  description: 'WHOIS ranges classified and linked to registered companies, objections honoured',
  sources: [],
  schedule: { cron: '0 5 * * *', timeZone: 'Etc/UTC', why: 'after the day\'s allocations (03:00) and registers (03:30) are in the lake' },
  steps: [
    {
      name: 'company_links',
      description: 'classify every range and link it to a company where the evidence is unambiguous',
      inputs: ['tables/inetnums', 'tables/whois_orgs', 'tables/aut_nums', 'tables/routed_prefixes', 'tables/as_names', 'tables/companies', 'suppression/objections.csv', 'corrections/classes.csv', 'corrections/operators.csv'],
      outputs: ['tables/company_links (staged for publish)'],
      async fingerprint(ctx) {
        return {
          rules: RULE_VERSION,
          ...(await lakeFingerprint(ctx.store, 'inetnums', ctx.snapshot)),
          ...(await lakeFingerprint(ctx.store, 'whois_orgs', ctx.snapshot)),
          ...(await lakeFingerprint(ctx.store, 'companies', ctx.snapshot)),
          ...(await lakeFingerprint(ctx.store, 'aut_nums', ctx.snapshot)),
          ...(await lakeFingerprint(ctx.store, 'routed_prefixes', ctx.snapshot)),
          ...(await lakeFingerprint(ctx.store, 'as_names', ctx.snapshot)),
          ...(await objectFingerprint(ctx.store, SUPPRESSION_KEY)),
          ...(await objectFingerprint(ctx.store, CORRECTIONS_KEY)),
          ...(await objectFingerprint(ctx.store, OPERATORS_KEY)),
        };
      },
      async run(ctx, log) {
        const dir = await mkdtemp(join(tmpdir(), 'ipreg-links-'));
        try {
          const read = [
            await snapshotObjects(ctx.store, 'inetnums', ctx.snapshot, dir, 'ip-allocations'),
            await snapshotObjects(ctx.store, 'whois_orgs', ctx.snapshot, dir, 'ip-allocations'),
            await snapshotObjects(ctx.store, 'companies', ctx.snapshot, dir, 'registers'),
          ];
          const [inetnums, whoisOrgs, companies] = read.map((objects) => objects.map((o) => o.path)) as [string[], string[], string[]];
          const inputs: StepInput[] = await Promise.all(read.flat().map(async (o) => ({ key: o.key, sha256: (await fileDigest(o.path)).sha256, bytes: o.bytes })));
          let suppression: string | undefined;
          if ((await ctx.store.head(SUPPRESSION_KEY)) !== undefined) {
            suppression = await localFile(ctx.store, SUPPRESSION_KEY, join(dir, 'objections.csv'));
          } else {
            log.warn({ key: SUPPRESSION_KEY }, 'no objection list in the store: nothing is suppressed');
          }
          const routing = await routingInputs(ctx, dir, inputs);
          if (routing === undefined) log.warn({ snapshot: ctx.snapshot }, 'no routing data for the snapshot (routed_prefixes, as_names): ranges are classed without their networks');
          let operators: Operator[] | undefined;
          if ((await ctx.store.head(OPERATORS_KEY)) !== undefined) {
            const path = await localFile(ctx.store, OPERATORS_KEY, join(dir, 'operators.csv'));
            operators = parseOperators(await readFile(path, 'utf8'), OPERATORS_KEY);
            inputs.push({ key: OPERATORS_KEY, sha256: (await fileDigest(path)).sha256 });
          }
          let corrections: string | undefined;
          if ((await ctx.store.head(CORRECTIONS_KEY)) !== undefined) {
            corrections = await localFile(ctx.store, CORRECTIONS_KEY, join(dir, 'corrections.csv'));
            inputs.push({ key: CORRECTIONS_KEY, sha256: (await fileDigest(corrections)).sha256 });
          }
          // The linking joins are the largest of the pipelines: room for them in memory (the step stays under 4 GB).
          const duck = await openBuildDuckDb(join(dir, 'duck'), LINKS_MEMORY);
          const file = join(dir, 'company_links.parquet');
          let stats: LinkStats;
          try {
            stats = await linkRanges(duck, { inetnums, whoisOrgs, companies, suppression, corrections, routing, operators }, file);
          } finally {
            duck.closeSync();
          }
          log.info({ ranges: stats.ranges, linked: stats.linked, ambiguous: stats.ambiguous, suppressed: stats.suppressed, corrected: stats.corrected, announcedByOther: stats.announcedByOther, byClass: stats.byClass, byRule: stats.byRule }, 'ranges linked');
          // Objections are counted, never named.
          const skipped: Record<string, number> = {};
          if (stats.ambiguous > 0) skipped['ambiguous (several companies)'] = stats.ambiguous;
          // By why, never who: an objection, or the register's marketing opt-out.
          for (const [reason, n] of Object.entries(stats.suppressedBy)) if (n > 0) skipped[`suppressed (${reason})`] = n;
          const notLinkable = (stats.byClass['isp'] ?? 0) + (stats.byClass['mobile'] ?? 0);
          if (notLinkable > 0) skipped['not linkable (isp, mobile)'] = notLinkable;
          const linkable = stats.ranges - notLinkable;
          const rate = linkable === 0 ? 0 : stats.linked / linkable;
          const gates: GateCheck[] = [{ gate: 'link rate (linked ranges of those not isp or mobile)', value: Math.round(rate * 1e4) / 1e4, limit: `≥ ${MIN_LINK_RATE}`, passed: rate >= MIN_LINK_RATE }];
          const counts = { ranges: stats.ranges, linked: stats.linked };
          const staged: StagedLinks = { file, stats, discard: () => rm(dir, { recursive: true, force: true }) };
          const result: StepOutcome<StagedLinks> = { rowsIn: stats.ranges, rowsOut: stats.linked, skipped, outputs: [linksFolder(ctx.snapshot)], inputs, gates, counts, partitions: [{ folder: linksFolder(ctx.snapshot), rows: stats.ranges }], tallies: { 'ranges whose class a correction set': stats.corrected, 'ranges announced by another network than their holder (leased or customer space)': stats.announcedByOther }, staged: [staged] };
          return result;
        } catch (err) {
          await rm(dir, { recursive: true, force: true });
          throw err;
        }
      },
    },
    {
      name: 'publish',
      description: 'write company_links for the snapshot, once made whole',
      inputs: ['the company_links this run made'],
      outputs: ['tables/company_links/snapshot=<snapshot>/'],
      kind: 'write',
      async write(ctx, [built]) {
        if (built === undefined) throw new Error('links: nothing was built to publish');
        const parts = await putParts(ctx.store, linksFolder(ctx.snapshot), [{ path: built.file, rows: built.stats.ranges }]);
        return { rowsIn: built.stats.ranges, rowsOut: built.stats.ranges, skipped: {}, outputs: parts.map((p) => p.key) };
      },
    },
  ],
};
