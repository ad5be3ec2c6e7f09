/**
 * A lake of the bundled small world (data-samples/) up to company_links: ip-allocations, registers,
 * the world's objection list in the store, links. The links and index tests start from it.
 */
import { cp, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ipAllocations } from '../../pipelines/ip-allocations.js';
import { links } from '../../pipelines/links.js';
import type { NightlyContext } from '../../pipelines/nightly.js';
import { registers } from '../../pipelines/registers.js';
import { sourceLocation } from '../../src/fetch/source-location.js';
import { createLogger } from '../../src/log.js';
import { runPipeline, type RunRecord } from '../../src/pipeline/runner.js';
import { listAll, type ObjectStore } from '../../src/store/store.js';
import { readLatest } from '../../src/index-file/pointer.js';
import { createHash } from 'node:crypto';
import { SUPPRESSION_KEY } from '../../src/lake/paths.js';

export const SAMPLES = new URL('../../data-samples/', import.meta.url);
export const WORLD = new URL('.', SAMPLES).pathname;
export const SNAPSHOT = '2026-11-01';
export const silentLog = createLogger({ level: 'silent', stream: 'stderr' });

/** Every table object of a lake and its published build, by key, with the object's sha256: two lakes with equal outputs give equal maps. */
export async function lakeOutputs(store: ObjectStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const o of listAll(store, 'tables/')) out.set(o.key, createHash('sha256').update(await store.getBytes(o.key)).digest('hex'));
  out.set('index/latest.json → build', (await readLatest(store))?.value.buildId ?? 'none');
  return out;
}

/** Runs the pipelines into `store`; returns the links run's record. Throws naming the pipeline that failed. */
export async function loadSmallWorld(store: ObjectStore): Promise<RunRecord> {
  const fetch = { concurrency: 3, idleTimeoutMs: 5000, attempts: 2, retryBaseMs: 5 };
  const parse = { threads: 2, workersFromBytes: 16 << 20 };
  const base = { store, snapshot: SNAPSHOT, log: silentLog, location: sourceLocation(WORLD), fetch, parse };
  for (const pipeline of [ipAllocations, registers] as const) {
    const record = await runPipeline(pipeline as typeof ipAllocations, base);
    if (record.outcome !== 'succeeded') throw new Error(`${pipeline.name} failed: ${record.error ?? ''}`);
  }
  await store.put(SUPPRESSION_KEY, await readFile(new URL('truth/suppression.csv', SAMPLES)));
  const record = await runPipeline(links, { store, snapshot: SNAPSHOT, log: silentLog });
  if (record.outcome !== 'succeeded') throw new Error(`links failed: ${record.error ?? ''}`);
  return record;
}

/** The context of a nightly run of a world folder (the bundled small world unless told) into `store`. */
export function nightlyContext(store: ObjectStore, snapshot = SNAPSHOT, world = WORLD, indexMaxDropShare = 0.1): NightlyContext {
  return {
    store,
    snapshot,
    log: silentLog,
    location: sourceLocation(world),
    fetch: { concurrency: 3, idleTimeoutMs: 5000, attempts: 2, retryBaseMs: 5 },
    parse: { threads: 2, workersFromBytes: 16 << 20 },
    index: { maxDropShare: indexMaxDropShare },
  } as NightlyContext;
}

/**
 * The bundled world copied to a temporary folder as the next day's (GLEIF's files carry their day in
 * their names), with world.json saying so; `change` may then alter files, each of which is declared
 * again afterwards (as a publisher would publish a smaller file: the drop gate's case, not truncation).
 */
export async function nextDayWorld(prefix: string, change?: (world: string) => Promise<string[]>): Promise<string> {
  const world = await mkdtemp(join(tmpdir(), prefix));
  await cp(WORLD, world, { recursive: true });
  const manifestPath = join(world, 'world.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { files: { path: string; bytes: number; lines: number; sha256: string }[] };
  for (const file of ['lei2', 'rr']) {
    const [from, to] = ['20261101', '20261102'].map((day) => `gleif-lei/${day}-0800-gleif-goldencopy-${file}-golden-copy.csv`) as [string, string];
    await rename(join(world, from), join(world, to));
    const entry = manifest.files.find((f) => f.path === from);
    if (entry === undefined) throw new Error(`world.json does not declare ${from}`);
    entry.path = to;
  }
  for (const path of (await change?.(world)) ?? []) {
    const entry = manifest.files.find((f) => f.path === path);
    if (entry === undefined) throw new Error(`world.json does not declare ${path}`);
    const bytes = await readFile(join(world, path));
    Object.assign(entry, { bytes: bytes.length, lines: bytes.toString('latin1').split('\n').length - 1, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return world;
}
