/**
 * `nightly`: every pipeline in order — allocations, registers, links, index — as one run with one
 * record, its steps named `<pipeline>/<step>`. A step that fails stops the run: nothing after it is
 * published, and the index pointer stays on the last good build.
 */
import type { Pipeline, Step } from '../src/pipeline/runner.js';
import { indexPipeline, type IndexContext, type StagedIndex } from './index-build.js';
import { ipAllocations, type IpAllocationsContext, type StagedTable } from './ip-allocations.js';
import { links, type LinksContext, type StagedLinks } from './links.js';
import { registers, type RegistersContext, type StagedPartition } from './registers.js';

/** What the nightly run carries: every pipeline's context in one. */
export type NightlyContext = IpAllocationsContext & RegistersContext & LinksContext & IndexContext;

/**
 * What its steps stage. A write step takes everything staged before it, so each part's write steps
 * see only what that part's own make steps staged: the runner never hands a register build to the
 * links publish.
 */
export type NightlyStaged = StagedTable | StagedPartition | StagedLinks | StagedIndex;

const PARTS: readonly Pipeline<NightlyContext, NightlyStaged>[] = [ipAllocations, registers, links, indexPipeline];

export const nightly: Pipeline<NightlyContext, NightlyStaged> = {
  name: 'nightly',
  description: 'every pipeline in order: ip-allocations, registers, links, index',
  sources: PARTS.flatMap((p) => p.sources),
  schedule: { cron: '0 3 * * *', timeZone: 'Etc/UTC', why: "once a day, after the RIRs' daily files (about 01:00 UTC); monthly registers are fetched again only when their publisher changed them" },
  // Each step keeps its pipeline's memo: a nightly run skips what `ipreg run <pipeline>` made, and the other way round.
  steps: PARTS.flatMap((p) => p.steps.map((s): Step<NightlyContext, NightlyStaged> => ({ ...s, name: `${p.name}/${s.name}`, unit: s.unit ?? `${p.name}/${s.name}` }))),
};
