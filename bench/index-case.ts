/**
 * One index build, measured in its own process (wall time and peak RSS are the build's alone):
 *   world <lake> <snapshot> <out.idx>   the index step of the pipeline on a lake (company_links, ip_delegations)
 *   real <asn-package-dir> <out.idx>    the @ip-location-db/asn ranges (CC BY 4.0), each AS as a record
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { IP_RANGES } from '../schemas/index-tables.js';
import { buildIndex } from '../src/index-build/build-index.js';
import { flattenRanges, V4_STEPS, V6_STEPS, type FlattenInput } from '../src/index-build/flatten.js';
import { IndexWriter, overlapsV4Aliases } from '../src/index-file/write.js';
import { verifyIndex } from '../src/index-file/verify.js';
import { parseIpv4, parseIpv6 } from '../src/ip/address.js';
import { ParquetTableWriter } from '../src/lake/parquet.js';
import { snapshotFiles } from '../src/lake/snapshot-files.js';
import { openBuildDuckDb } from '../src/lake/duckdb.js';
import { openLocalStore } from '../src/store/local-store.js';
import { INDEX_MEMORY } from '../pipelines/index-build.js';

import { reportCase } from './measure.js';
import { SUPPRESSION_KEY } from '../src/lake/paths.js';

/** The attribution the ASN dataset's licence (CC BY 4.0) asks for. */
export const ASN_SOURCE = {
  id: 'ip-location-db-asn',
  publisher: 'ip-location-db (RouteViews, DB-IP, NRO)',
  licence: 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)',
  attribution: 'ASN data from ip-location-db by sapics: RouteViews, DB-IP (db-ip.com) and NRO, CC BY 4.0.',
};

const [mode, ...args] = process.argv.slice(2);
const started = performance.now();

if (mode === 'world') {
  const [lake, snapshot, out] = args as [string, string, string];
  const store = openLocalStore(lake, lake);
  const dir = await mkdtemp(join(tmpdir(), 'ipreg-bench-index-'));
  const ranges = await ParquetTableWriter.open(IP_RANGES);
  const target = openLocalStore(join(dir, 'out'), join(dir, 'out'));
  try {
    const companyLinks = await snapshotFiles(store, 'company_links', snapshot, dir, 'links');
    const ipDelegations = await snapshotFiles(store, 'ip_delegations', snapshot, dir, 'ip-allocations');
    const companies = await snapshotFiles(store, 'companies', snapshot, dir, 'registers');
    const suppression = store.localPath?.(SUPPRESSION_KEY);
    const hasObjections = (await store.head(SUPPRESSION_KEY)) !== undefined;
    const duck = await openBuildDuckDb(join(dir, 'duck'), INDEX_MEMORY);
    const stats = await buildIndex(duck, { companyLinks, companies, ipDelegations, suppression: hasObjections ? suppression : undefined }, { buildId: `${snapshot}-bench`, snapshot }, out, ranges);
    duck.closeSync();
    await ranges.finish(target, 'ip_ranges');
    verifyIndex(await readFile(out));
    reportCase({ durationMs: performance.now() - started, bytes: stats.bytes, answeredRanges: stats.answeredRanges, records: stats.meta.counts.records, linkedCompanies: stats.linkedCompanies });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
} else if (mode === 'real') {
  const [dir, out] = args as [string, string];
  const writer = new IndexWriter({ buildId: 'asn-bench', snapshot: '2026-06-17', sources: [ASN_SOURCE] });
  const ids = new Map<string, number>();
  const recordOf = (asn: string, org: string) => {
    let id = ids.get(asn);
    if (id === undefined) {
      id = writer.recordId({ class: 'unknown', country: null, company: { name: org, register: 'asn', registerId: `AS${asn}`, country: null, lei: null }, linkRule: null, confidence: null, sources: [ASN_SOURCE.id] });
      ids.set(asn, id);
    }
    return id;
  };
  let rows = 0;
  for (const family of [4, 6] as const) {
    const inputs: FlattenInput<number | bigint>[] = [];
    const lines = createInterface({ input: createReadStream(join(dir, `asn-ipv${family}.csv`)), crlfDelay: Infinity });
    for await (const line of lines) {
      const [first, last, asn, ...rest] = line.split(',');
      const org = rest.join(',').replace(/^"|"$/g, '').replaceAll('""', '"');
      const a = family === 4 ? parseIpv4(first as string) : parseIpv6(first as string);
      const b = family === 4 ? parseIpv4(last as string) : parseIpv6(last as string);
      if (a === undefined || b === undefined) continue;
      inputs.push({ first: a, last: b, value: recordOf(asn as string, org), rank: 0 });
      rows++;
    }
    inputs.sort((x, y) => (x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
    if (family === 4) for (const r of flattenRanges(inputs as FlattenInput<number>[], V4_STEPS)) writer.addV4(r.first, r.last, r.value);
    // 6to4 and IPv4-mapped space is answered from IPv4 (FORMAT.md): left out of the IPv6 section.
    else for (const r of flattenRanges(inputs as FlattenInput<bigint>[], V6_STEPS)) if (!overlapsV4Aliases(r.first, r.last)) writer.addV6(r.first, r.last, r.value);
  }
  const { meta, bytes } = await writer.writeFile(out);
  reportCase({ durationMs: performance.now() - started, bytes, answeredRanges: rows, records: meta.counts.records, linkedCompanies: meta.counts.linkedRecords });
} else {
  throw new Error(`index-case: unknown mode ${mode ?? ''}`);
}
