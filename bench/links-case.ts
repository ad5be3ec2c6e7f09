/**
 * The measured case of the links benchmark, in its own process: the whole linking step (classes,
 * evidence, decisions, objections, the company_links file) on a lake's snapshot, routing data included.
 *
 * Arguments: the lake folder, the snapshot.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotFiles } from '../src/lake/snapshot-files.js';
import { linkRanges } from '../src/links/link.js';
import { openBuildDuckDb } from '../src/lake/duckdb.js';
import { LINKS_MEMORY } from '../pipelines/links.js';
import { openLocalStore } from '../src/store/local-store.js';
import { reportCase } from './measure.js';

const [lake, snapshot] = process.argv.slice(2) as [string, string];
const store = openLocalStore(lake, lake);
const dir = await mkdtemp(join(tmpdir(), 'ipreg-bench-links-'));
try {
  const started = performance.now();
  const inputs = {
    inetnums: await snapshotFiles(store, 'inetnums', snapshot, dir, 'ip-allocations'),
    whoisOrgs: await snapshotFiles(store, 'whois_orgs', snapshot, dir, 'ip-allocations'),
    companies: await snapshotFiles(store, 'companies', snapshot, dir, 'registers'),
    routing: {
      routedPrefixes: await snapshotFiles(store, 'routed_prefixes', snapshot, dir, 'ip-allocations'),
      asNames: await snapshotFiles(store, 'as_names', snapshot, dir, 'ip-allocations'),
      autNums: await snapshotFiles(store, 'aut_nums', snapshot, dir, 'ip-allocations'),
    },
  };
  const duck = await openBuildDuckDb(join(dir, 'duck'), LINKS_MEMORY);
  const stats = await linkRanges(duck, inputs, join(dir, 'company_links.parquet'));
  duck.closeSync();
  reportCase({ durationMs: performance.now() - started, ranges: stats.ranges, linked: stats.linked, ambiguous: stats.ambiguous });
} finally {
  await rm(dir, { recursive: true, force: true });
  await store.close();
}
