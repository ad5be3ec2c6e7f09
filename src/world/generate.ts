/**
 * `ipreg generate`: renders one seeded world into every source format, with its truth, a manifest
 * (`world.json`: files, sizes, sha256, record counts) and a README. The world is written to a
 * temporary folder beside the target and moved into place at the end, so a failed run leaves the
 * previous world whole. The same seed, scale and snapshot give byte-identical files.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Logger } from '../log.js';
import { startWorker } from '../worker-thread.js';
import type { RegisterPlan } from './companies.js';
import { arinRecords, writeDelegatedFile } from './delegated-file.js';
import { LEGAL_FORMS, type RegisterId } from './legal-forms.js';
import type { WrittenFile } from '../output-file.js';
import type { GleifPlan } from './parties.js';
import { meanLirObjects } from './holders.js';
import { writeRpslDumps, type Route } from './rpsl-dumps.js';
import { writeRoutingFiles } from './routing-files.js';
import { countsOf, REAL_COUNTS, type Scale, type WorldCounts } from './scale.js';
import { mergeTruth, Truth } from './truth.js';
import { REGISTERS, sourceModule } from '../sources/catalog.js';
import { IpregError } from '../errors.js';
import type { WorldContext, WorldModule } from './register-writer.js';
import { worldReadme } from './world-readme.js';

/** Version of the generator; a change that alters any output byte bumps it. */
export const GENERATOR_VERSION = 1;

export { DEFAULT_SNAPSHOT } from './scale.js';

/** What to generate. */
export interface GenerateOptions {
  seed: number;
  scale: Scale;
  outDir: string;
  snapshot: string;
  log: Logger;
}

/** The manifest written as world.json. */
export interface WorldManifest {
  generator: { name: 'ipreg generate'; version: number };
  seed: number;
  scale: Scale;
  snapshot: string;
  counts: WorldCounts;
  realCounts: typeof REAL_COUNTS;
  files: { path: string; bytes: number; lines: number; sha256: string }[];
}

/**
 * The registers the world generates, in the order they are written (the truth files keep it): the
 * national registers the world has plans for (legal-forms.ts), then the registers of no one country
 * (GLEIF), which crosswalk to them. Each one's writer is its folder's world.ts.
 */
async function worldModules(): Promise<{ id: string; module: WorldModule }[]> {
  const national = Object.keys(LEGAL_FORMS);
  const ids = [...national, ...REGISTERS.filter((r) => r.register.country === null).map((r) => r.id)];
  return Promise.all(ids.map(async (id) => {
    const module = (await sourceModule(id, 'world'))?.['world'] as WorldModule | undefined;
    if (module === undefined) throw new IpregError('CONFIG_INVALID', `src/sources/${id}: the world has a plan for it but the folder has no world.ts exporting world`);
    return { id, module };
  }));
}

const RPSL_RIRS = ['ripencc', 'apnic', 'afrinic', 'lacnic'] as const;

/** Generates the world; returns its manifest. */
export async function generateWorld(options: GenerateOptions): Promise<WorldManifest> {
  const target = resolve(options.outDir);
  const work = join(dirname(target), `.${basename(target)}.generating-${process.pid}`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    const manifest = await generateInto(work, options);
    await rm(target, { recursive: true, force: true });
    await rename(work, target);
    return manifest;
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }
}

/** The plans of a world: register sizes, GLEIF's size and crosswalk share. */
function plansOf(seed: number, counts: WorldCounts): { registers: Record<RegisterId, RegisterPlan>; gleif: GleifPlan } {
  const registers = Object.fromEntries(
    Object.entries(counts.registers).map(([register, size]) => [register, { register, size, seed } as RegisterPlan]),
  ) as Record<RegisterId, RegisterPlan>;
  return { registers, gleif: { seed, size: counts.gleifEntities, crosswalked: Math.round(counts.gleifEntities * 0.4), registers } };
}

/** What each half of the generator needs (plain data: it crosses into a worker thread). */
export interface HalfOptions {
  dir: string;
  seed: number;
  scale: Scale;
  snapshot: string;
  /** Only these registers (benchmarks that need one big file); every register and GLEIF when undefined. */
  only?: readonly string[];
}

type Step = (name: string, run: () => Promise<WrittenFile[]>) => Promise<void>;

function stepper(log: Logger, files: WrittenFile[]): Step {
  return async (name, run) => {
    const started = Date.now();
    const written = await run();
    files.push(...written);
    log.info({ step: name, files: written.length, bytes: written.reduce((n, f) => n + f.bytes, 0), durationMs: Date.now() - started }, 'generated source');
  };
}

const MALFORMED_RATE = 1e-5;

/** The register half: the national registers and GLEIF, with their truth. */
export async function generateRegisters(options: HalfOptions, log: Logger): Promise<WrittenFile[]> {
  const { dir, seed, snapshot } = options;
  const { registers, gleif } = plansOf(seed, countsOf(options.scale));
  const truth = await Truth.open(dir, 'registers');
  const files: WrittenFile[] = [];
  const step = stepper(log, files);
  const wanted = (id: string) => options.only === undefined || options.only.includes(id);
  const modules = await worldModules();
  const byRegister = new Map(modules.map((m) => [m.id, m.module]));
  const firstAuthority = new Map(REGISTERS.map((r) => [r.id, r.register.gleifAuthorities?.[0]]));
  const ctx: WorldContext = {
    plans: { registers, gleif },
    outDir: dir,
    truth,
    snapshot,
    malformedRate: MALFORMED_RATE,
    gleifAuthority: (register, registerId) => {
      const ra = byRegister.get(register)?.gleifAuthority?.(registerId) ?? firstAuthority.get(register);
      if (ra === undefined) throw new IpregError('CONFIG_INVALID', `src/sources/${register}/source.json: GLEIF crosswalks to it, but it names no gleifAuthorities`);
      return ra;
    },
  };
  for (const { id, module } of modules) if (wanted(id)) await step(id, () => module.write(ctx));
  return [...files, ...(await truth.close())];
}

/** The network half: RPSL dumps and delegated files of the five RIRs, with their truth. */
export async function generateNetworks(options: HalfOptions, log: Logger): Promise<WrittenFile[]> {
  const { dir, seed, snapshot } = options;
  const counts = countsOf(options.scale);
  const { registers, gleif } = plansOf(seed, counts);
  const truth = await Truth.open(dir, 'networks');
  const files: WrittenFile[] = [];
  const step = stepper(log, files);
  const objects = RPSL_RIRS.reduce((n, rir) => n + counts.rpsl[rir].inetnum + counts.rpsl[rir].inet6num, 0);
  const routes: Route[] = [];
  for (const rir of RPSL_RIRS) {
    await step(`${rir}-rpsl`, async () => {
      const targets = counts.rpsl[rir];
      const childMedian = Math.min(100, Math.max(12, Math.round(targets.inetnum / 200)));
      // Holders per organisation object is one; LIRs hold meanLirObjects inetnums, the others one or two.
      const lirShare = Math.min(0.9, Math.max(0.02, (targets.inetnum / targets.organisation - 1.5) / (meanLirObjects(childMedian) - 1.5)));
      const { files: dumps, delegated, routes: announced } = await writeRpslDumps({
        seed,
        rir,
        registers,
        gleif,
        childMedian,
        lirShare,
        outDir: dir,
        truth,
        targets,
        malformedRate: Math.max(2e-5, 4 / targets.inetnum),
        sampleRate: Math.min(0.15, 6000 / objects),
      });
      const delegatedFile = await writeDelegatedFile({ seed, outDir: dir, snapshot, truth, malformedRate: Math.max(2e-5, 2 / Math.max(100, targets.inetnum / 10)) }, delegated);
      for (const route of announced) routes.push(route); // one at a time: a full world has more than a spread can pass
      return [...dumps, ...delegatedFile];
    });
  }
  await step('ip-location-db-asn', () => writeRoutingFiles(dir, routes));
  await step('arin-delegated', () =>
    writeDelegatedFile({ seed, outDir: dir, snapshot, truth, malformedRate: Math.max(2e-5, 2 / counts.arinDelegatedRecords) }, arinRecords(seed, counts.arinDelegatedRecords)),
  );
  return [...files, ...(await truth.close())];
}

/** Runs the register half in a worker thread (the other core), the network half here. */
async function generateInto(dir: string, options: GenerateOptions): Promise<WorldManifest> {
  const { seed, scale, snapshot, log } = options;
  const half: HalfOptions = { dir, seed, scale, snapshot };
  const workers: Worker[] = [];
  const halves = await Promise.allSettled([runRegistersInWorker(half, log, workers), generateNetworks(half, log)]);
  const failed = halves.find((h): h is PromiseRejectedResult => h.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw failed.reason;
  }
  const [registerFiles, networkFiles] = halves.map((h) => (h as PromiseFulfilledResult<WrittenFile[]>).value) as [WrittenFile[], WrittenFile[]];
  const files = [...registerFiles, ...networkFiles, await mergeTruth(dir)];
  const manifest: WorldManifest = {
    generator: { name: 'ipreg generate', version: GENERATOR_VERSION },
    seed,
    scale,
    snapshot,
    counts: countsOf(scale),
    realCounts: REAL_COUNTS,
    files: files
      .map((f) => ({ path: relative(dir, f.path), bytes: f.bytes, lines: f.lines, sha256: f.sha256 }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
  await writeFile(join(dir, 'world.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'README.md'), worldReadme(manifest));
  return manifest;
}

/** Starts generate-worker (compiled, or through tsx when running from source) and waits for its files. */
function runRegistersInWorker(half: HalfOptions, log: Logger, workers: Worker[]): Promise<WrittenFile[]> {
  const worker = startWorker(import.meta.url, 'generate-worker', { workerData: { half, logLevel: log.level } });
  workers.push(worker);
  return new Promise((resolve, reject) => {
    worker.once('message', (files: WrittenFile[]) => resolve(files));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the register generator stopped with exit code ${code}`));
    });
  });
}

