/**
 * `npm run bench -- index [--lake DIR] [--asn DIR] [--lookups N]`: the index file against MaxMind's
 * MMDB and its Node reader (`maxmind`), on two datasets in one run — the index of a generated world's
 * lake (full scale: build it with the pipelines first and pass --lake) and a real one, the
 * @ip-location-db/asn ranges (CC BY 4.0, ~0.5 M ranges; fetched with `npm pack` once into the cache).
 *
 * Per dataset: build time and peak RSS (own process), file sizes (ours, and the MMDB export of the
 * same answers), load time against a bare readFile of the same file, and lookups per second for
 * random IPv4 strings (uniform, and inside answered ranges) and IPv6 strings (inside answered ranges) through our reader and through `maxmind` with and without its cache.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import maxmind, { Reader } from 'maxmind';
import { formatTable } from '../src/cli/format-table.js';
import { formatIpv4, formatIpv6 } from '../src/ip/address.js';
import { NONE } from '../src/index-file/layout.js';
import { loadIndex } from '../src/index-file/load.js';
import { openIndex, type IndexReader } from '../src/index-file/read.js';
import { exportMmdb } from '../src/mmdb/write.js';
import type { Benchmark } from './benchmarks.js';
import { mb, measureInChild, type CaseResult } from './measure.js';

const SNAPSHOT = '2026-11-01';
/** The real dataset, pinned: the version is part of the measurement. */
export const ASN_PACKAGE = '@ip-location-db/asn@2.3.2026061719';
const option = (args: string[], name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

/** The unpacked ASN package, fetched from the npm registry on first use. */
export async function asnPackage(): Promise<string> {
  const cache = join(homedir(), '.cache', 'ipreg-bench', ASN_PACKAGE.replace(/[@/]/g, '_'));
  if (existsSync(join(cache, 'package', 'asn-ipv4.csv'))) return join(cache, 'package');
  await mkdir(cache, { recursive: true });
  process.stdout.write(`fetching ${ASN_PACKAGE} from the npm registry into ${cache}…\n`);
  const tarball = execFileSync('npm', ['pack', ASN_PACKAGE, '--silent'], { cwd: cache, encoding: 'utf8' }).trim();
  execFileSync('tar', ['xzf', tarball], { cwd: cache });
  return join(cache, 'package');
}

/** A fixed-seed generator (mulberry32): the same addresses on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The text as a service holds it: a flat string decoded from the request's bytes. Formatting builds
 * V8 cons strings, which every reader reads more slowly than what a socket delivers.
 */
const asReceived = (text: string) => Buffer.from(text, 'latin1').toString('latin1');

/** Random IPv4 strings, uniform over the space. */
function v4Addresses(n: number): string[] {
  const next = random(1);
  return Array.from({ length: n }, () => asReceived(formatIpv4(Math.floor(next() * 2 ** 32))));
}

/**
 * Random addresses inside the index's answered ranges, each range equally likely: IPv6 so (uniform
 * IPv6 would be nearly all empty space), IPv4 so too for a like-for-like IPv6/IPv4 comparison.
 */
function answeredAddresses(reader: IndexReader, family: 4 | 6, n: number): string[] {
  const ranges = [...reader.ranges(family)].filter((r) => r.recordId !== NONE);
  const next = random(family);
  return Array.from({ length: n }, () => {
    const r = ranges[Math.floor(next() * ranges.length)] as { first: number | bigint; last: number | bigint };
    const [first, span] = [BigInt(r.first), BigInt(r.last) - BigInt(r.first)];
    const offset = (BigInt(Math.floor(next() * 2 ** 32)) * BigInt(Math.floor(next() * 2 ** 32)) * BigInt(Math.floor(next() * 2 ** 32))) % (span + 1n);
    return asReceived(family === 4 ? formatIpv4(Number(first + offset)) : formatIpv6(first + offset));
  });
}

/** Lookups per second of `lookup` over `addresses`: the best of three passes after a warm-up pass. */
function lookupsPerSecond(addresses: readonly string[], lookup: (ip: string) => unknown): number {
  let sink = 0;
  let best = Infinity;
  for (let pass = 0; pass < 4; pass++) {
    const t = performance.now();
    for (const ip of addresses) if (lookup(ip) != null) sink++;
    const ms = performance.now() - t;
    if (pass > 0) best = Math.min(best, ms);
  }
  if (sink < 0) throw new Error('unreachable');
  return addresses.length / (best / 1000);
}

/** The median of `runs` timings of `work` after two untimed ones (compiled code, settled heap), in milliseconds. */
async function medianMs(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 2; i++) await work();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

/** Lookups per second: uniform IPv4, and IPv4 and IPv6 inside answered ranges. */
interface Rates {
  v4: number;
  v4Answered: number;
  v6: number;
}

interface DatasetResult {
  name: string;
  build: CaseResult;
  indexBytes: number;
  mmdbBytes: number;
  loadMs: number;
  readFileMs: number;
  ours: Rates;
  maxmindCached: Rates;
  maxmindUncached: Rates;
}

async function measureDataset(name: string, build: CaseResult, indexPath: string, lookups: number): Promise<DatasetResult> {
  const bytes = await readFile(indexPath);
  const reader = openIndex(bytes);
  const mmdbPath = `${indexPath}.mmdb`;
  const mmdb = exportMmdb(reader, { databaseType: 'ipreg-company', description: name, buildEpoch: Date.parse(`${reader.meta().snapshot}T00:00:00Z`) / 1000 });
  await writeFile(mmdbPath, mmdb.chunks);
  const readFileMs = await medianMs(7, () => readFile(indexPath));
  const loadMs = await medianMs(7, () => loadIndex(indexPath));
  const v4 = v4Addresses(lookups);
  const v4Answered = answeredAddresses(reader, 4, lookups);
  const v6 = answeredAddresses(reader, 6, lookups);
  const fresh = openIndex(await readFile(indexPath));
  const cached = await maxmind.open(mmdbPath);
  const uncached = new Reader(await readFile(mmdbPath));
  // Same answers on a sample, or the comparison means nothing.
  for (const ip of [...v4.slice(0, 2000), ...v4Answered.slice(0, 2000), ...v6.slice(0, 2000)]) {
    const [a, b] = [fresh.lookup(ip), cached.get(ip) as { company?: { register_id?: string }; class?: string } | null];
    if ((a?.class ?? null) !== (b?.class ?? null) || (a?.company?.registerId ?? null) !== (b?.company?.register_id ?? null)) throw new Error(`${name}: the MMDB export answers differently from the index`);
  }
  const rates = (lookup: (ip: string) => unknown): Rates => ({
    v4: lookupsPerSecond(v4, lookup),
    v4Answered: lookupsPerSecond(v4Answered, lookup),
    v6: lookupsPerSecond(v6, lookup),
  });
  return {
    name,
    build,
    indexBytes: bytes.byteLength,
    mmdbBytes: mmdb.bytes,
    loadMs,
    readFileMs,
    ours: rates((ip) => fresh.lookup(ip)),
    maxmindCached: rates((ip) => cached.get(ip)),
    maxmindUncached: rates((ip) => uncached.get(ip)),
  };
}

const k = (n: number) => `${(n / 1000).toFixed(0)} k/s`;
const x = (n: number) => `${n.toFixed(2)}×`;

function report(results: DatasetResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    rows.push([r.name, 'build', `${(r.build.durationMs / 1000).toFixed(1)} s, ${mb(r.build.maxRssBytes)} MB peak`, '', '', r.name.startsWith('world') ? 'under 120 s and 2000 MB' : '']);
    rows.push([r.name, 'file size', `${mb(r.indexBytes)} MB`, `MMDB ${mb(r.mmdbBytes)} MB`, x(r.indexBytes / r.mmdbBytes), '≤ 0.80×']);
    rows.push([r.name, 'load (loadIndex: read, checks)', `${r.loadMs.toFixed(1)} ms`, `readFile ${r.readFileMs.toFixed(1)} ms`, x(r.loadMs / r.readFileMs), '≤ 1.50×']);
    const lookupRows: [string, keyof Rates][] = [['IPv4 lookups, uniform', 'v4'], ['IPv4 lookups, answered ranges', 'v4Answered'], ['IPv6 lookups, answered ranges', 'v6']];
    for (const [figure, key] of lookupRows) {
      rows.push([r.name, figure, k(r.ours[key]), `maxmind cached ${k(r.maxmindCached[key])}`, x(r.ours[key] / r.maxmindCached[key]), '≥ 8×']);
      rows.push([r.name, figure, k(r.ours[key]), `maxmind uncached ${k(r.maxmindUncached[key])}`, x(r.ours[key] / r.maxmindUncached[key]), '≥ 8×']);
    }
    const ns = (rate: number) => `${(1e9 / rate).toFixed(0)} ns`;
    rows.push([r.name, 'IPv6 time / IPv4 time, answered ranges', `${ns(r.ours.v6)} vs ${ns(r.ours.v4Answered)}`, '', x(r.ours.v4Answered / r.ours.v6), '≤ 2.00×']);
    rows.push([r.name, 'IPv6 answered / IPv4 uniform (for reference)', `${ns(r.ours.v6)} vs ${ns(r.ours.v4)}`, '', x(r.ours.v4 / r.ours.v6), '']);
  }
  return formatTable(['dataset', 'figure', 'ipreg', 'baseline', 'ratio', 'target'], rows);
}

export const indexBenchmark: Benchmark = {
  name: 'index',
  description: 'the index file against MMDB and the maxmind reader: lookups/s, size, load time, build time and RSS (world lake + real ASN data)',
  async run(args) {
    const lookups = Number(option(args, '--lookups') ?? 1_000_000);
    const lake = option(args, '--lake');
    const temp = await mkdtemp(join(tmpdir(), 'ipreg-bench-index-'));
    try {
      const results: DatasetResult[] = [];
      if (lake !== undefined) {
        const out = join(temp, 'world.idx');
        process.stdout.write(`building the index of ${lake} (snapshot ${SNAPSHOT})…\n`);
        const build = await measureInChild('./index-case.ts', ['world', lake, SNAPSHOT, out]);
        results.push(await measureDataset(`world (${(build['answeredRanges'] as number).toLocaleString('en')} ranges)`, build, out, lookups));
      } else {
        process.stdout.write('no --lake: the world dataset is skipped (run ip-allocations, registers and links on a full world into a lake, then pass --lake)\n');
      }
      if (!args.includes('--no-real')) {
        const dir = option(args, '--asn') ?? (await asnPackage());
        const out = join(temp, 'asn.idx');
        process.stdout.write(`building the index of ${ASN_PACKAGE}…\n`);
        const build = await measureInChild('./index-case.ts', ['real', dir, out]);
        results.push(await measureDataset(`asn (${(build['answeredRanges'] as number).toLocaleString('en')} ranges)`, build, out, lookups));
      }
      process.stdout.write(report(results));
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  },
};
