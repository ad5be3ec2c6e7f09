/** `ipreg index build|publish|rollback|verify|inspect|export`: index builds and the published pointer. */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import type { IndexContext } from '../../../pipelines/index-build.js';
import { IpregError } from '../../errors.js';
import { INDEX_FILE, readLatest, readManifest } from '../../index-file/pointer.js';
import { CLASSES, NONE, SECTIONS } from '../../index-file/layout.js';
import { IndexFileError, openIndex, type IndexReader } from '../../index-file/read.js';
import { readWhole } from '../../index-file/load.js';
import { verifyIndex } from '../../index-file/verify.js';
import { exportMmdb } from '../../mmdb/write.js';
import { runPipeline } from '../../pipeline/runner.js';
import type { ObjectStore } from '../../store/store.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';
import { parseSnapshot, runSettings, summary } from './run-command.js';
import { todayUtc } from '../../pipeline/snapshot.js';

/** Publishing, loaded when a command needs it: it brings the lake's Parquet code, which reading an index does without. */
function publishing(): Promise<typeof import('../../index-build/publish.js')> {
  return import('../../index-build/publish.js');
}

/** True when `ref` names a file here rather than a build id. */
function isLocalFile(ref: string | undefined): boolean {
  return ref !== undefined && (ref.includes('/') || ref.endsWith('.idx')) && existsSync(ref);
}

function report(label: string, bytes: number, sha256: string, checks: readonly string[]): string {
  return `${label}: sound (${bytes.toLocaleString('en')} bytes, sha256 ${sha256})\n${checks.map((c) => `  ✓ ${c}\n`).join('')}`;
}

/** An index named on the command line: a local file, a build id, or (none) the published build. */
async function indexBytes(store: () => ObjectStore, ref: string | undefined): Promise<{ bytes: Buffer; label: string }> {
  if (isLocalFile(ref)) return { bytes: await readWhole(ref as string), label: ref as string };
  let buildId = ref;
  if (buildId === undefined) {
    const latest = await readLatest(store());
    if (latest === undefined) throw new IpregError('USAGE', 'no index is published in the store (index/latest.json is absent): run `ipreg run index` first, or name a build or a file');
    buildId = latest.value.buildId;
  }
  const manifest = await readManifest(store(), buildId);
  return { bytes: await store().getBytes(manifest.index.key), label: `build ${buildId}` };
}

/** The rejection of a bad index as a usage-level error (exit code and one line), its code kept in the message. */
function asIpregError(err: unknown, label: string): unknown {
  if (err instanceof IndexFileError) return new IpregError('FORMAT_CHANGED', `${label}: ${err.message} [${err.code}]`, { file: label });
  return err;
}

/** Ranges and addresses per class, for inspect. */
function classTable(reader: IndexReader): string[][] {
  const rows = new Map<string, { ranges: number; v4: number; linked: number }>();
  for (const family of [4, 6] as const) {
    for (const r of reader.ranges(family)) {
      if (r.recordId === NONE) continue;
      const record = reader.record(r.recordId);
      const row = rows.get(record.class) ?? { ranges: 0, v4: 0, linked: 0 };
      row.ranges++;
      if (family === 4) row.v4 += (r.last as number) - (r.first as number) + 1;
      if (record.company !== null) row.linked++;
      rows.set(record.class, row);
    }
  }
  return CLASSES.filter((c) => rows.has(c)).map((c) => {
    const row = rows.get(c) as { ranges: number; v4: number; linked: number };
    return [c, row.ranges.toLocaleString('en'), row.linked.toLocaleString('en'), row.v4.toLocaleString('en')];
  });
}

/** The report of `ipreg index inspect`. */
export function inspectReport(reader: IndexReader, bytes: number): string {
  const meta = reader.meta();
  const s = reader.sections();
  const sizes: [string, number][] = [
    ['v4 starts + records + first level', s.v4Starts.byteLength + s.v4Records.byteLength + s.v4FirstLevel.byteLength],
    ['v6 starts + records + first level', s.v6Starts.byteLength + s.v6SecondWords.byteLength + s.v6LowWords.byteLength + s.v6Records.byteLength + s.v6FirstLevel.byteLength],
    ['records', s.recordClass.byteLength + s.recordConfidence.byteLength + s.recordAttribution.byteLength + s.recordStrings.reduce((n, a) => n + a.byteLength, 0)],
    ['strings', s.stringBytes.byteLength],
  ];
  const lines = [
    `build ${meta.buildId} · snapshot ${meta.snapshot} · ${bytes.toLocaleString('en')} bytes · ${Object.keys(SECTIONS).length} sections\n`,
    `${meta.counts.v4Ranges.toLocaleString('en')} IPv4 and ${meta.counts.v6Ranges.toLocaleString('en')} IPv6 ranges (gaps included), ${meta.counts.records.toLocaleString('en')} records (${meta.counts.linkedRecords.toLocaleString('en')} name a company), ${meta.counts.strings.toLocaleString('en')} strings\n`,
    `first level: IPv4 ${s.v4FirstLevel[2]} bits (shift ${s.v4FirstLevel[1]}), IPv6 ${s.v6FirstLevel[2]} bits over ${(s.v6FirstLevel[0] as number).toString(16)}… (shift ${s.v6FirstLevel[1]})\n\n`,
    formatTable(['part', 'bytes'], sizes.map(([name, n]) => [name, n.toLocaleString('en')])),
    `\n${formatTable(['class', 'ranges', 'linked', 'IPv4 addresses'], classTable(reader))}`,
    `\nsources: ${meta.sources.map((x) => x.id).join(', ')}\n`,
  ];
  return lines.join('');
}

/** Registers `ipreg index`. */
export function registerIndexCommand(program: Command, run: CommandRunner): void {
  const index = program.command('index').description('index builds: build, verify, inspect, publish, roll back, export');

  index
    .command('build')
    .description('build an index from company_links and the RIR allocations, verify it and upload it as index/builds/<build-id>/ (not published)')
    .option('--snapshot <date>', 'snapshot to build (default: today, UTC)', parseSnapshot)
    .action((options: { snapshot?: string }) =>
      run('index', 'data', async (ctx) => {
        const context: IndexContext = { store: ctx.store(), snapshot: options.snapshot ?? todayUtc(), log: ctx.log, index: ctx.config.index };
        const { indexBuildOnly } = await import('../../../pipelines/index-build.js');
        const record = await runPipeline(indexBuildOnly, context, runSettings(ctx));
        process.stderr.write(summary(record));
        if (record.outcome === 'failed') throw new IpregError('RUN_FAILED', `index build failed: ${record.error ?? 'see the run record'}`);
        process.stdout.write(`${record.steps.find((s) => s.name === 'upload')?.made?.['buildId'] ?? ''}\n`);
      }),
    );

  index
    .command('publish')
    .description('verify a build, check the data-quality gates against the published one, and point index/latest.json at it')
    .argument('<build-id>', 'the build to publish')
    .option('--force', 'publish even when the gates refuse (a count fell by more than index.maxDropShare)')
    .action((buildId: string, options: { force?: boolean }) =>
      run('index', 'data', async (ctx) => {
        const { publishBuild } = await publishing();
        const result = await publishBuild(ctx.store(), buildId, { maxDropShare: ctx.config.index.maxDropShare, force: options.force === true });
        ctx.log.info({ buildId, previous: result.pointer.previous, forced: options.force === true }, 'index published');
        process.stdout.write(`published ${buildId} (previous: ${result.pointer.previous ?? 'none'})\n`);
      }),
    );

  index
    .command('rollback')
    .description('point index/latest.json back at an earlier build (verified first; the gates do not apply)')
    .argument('<build-id>', 'the build to return to')
    .action((buildId: string) =>
      run('index', 'data', async (ctx) => {
        const { publishBuild } = await publishing();
        const result = await publishBuild(ctx.store(), buildId, { maxDropShare: ctx.config.index.maxDropShare, rollback: true });
        ctx.log.info({ buildId, previous: result.pointer.previous }, 'index rolled back');
        process.stdout.write(`rolled back to ${buildId} (was: ${result.pointer.previous ?? 'none'})\n`);
      }),
    );

  index
    .command('verify')
    .description('check an index file or build against every invariant of the format (and its manifest, for a build)')
    .argument('[file-or-build]', `an index file, or a build id (default: the published build)`)
    .action((ref: string | undefined) =>
      run('index', 'data', async (ctx) => {
        const local = isLocalFile(ref);
        const label = local ? (ref as string) : `build ${ref ?? 'published'}`;
        const { sha256Of, verifyStored } = await publishing();
        try {
          if (local) {
            const bytes = await readWhole(ref as string);
            const { checks } = verifyIndex(bytes);
            process.stdout.write(report(label, bytes.byteLength, sha256Of(bytes), checks));
          } else {
            const object = await manifestObject(ctx.store(), ref);
            const { checks } = await verifyStored(ctx.store(), object);
            process.stdout.write(report(label, object.bytes, object.sha256, [...checks, 'size and sha256 as the manifest says']));
          }
        } catch (err) {
          throw asIpregError(err, label);
        }
      }),
    );

  index
    .command('inspect')
    .description('print an index’s metadata, section sizes and ranges by class')
    .argument('[file-or-build]', 'an index file, or a build id (default: the published build)')
    .action((ref: string | undefined) =>
      run('index', 'data', async (ctx) => {
        const { bytes, label } = await indexBytes(() => ctx.store(), ref);
        let reader: IndexReader;
        try {
          reader = openIndex(bytes);
        } catch (err) {
          throw asIpregError(err, label);
        }
        process.stdout.write(inspectReport(reader, bytes.byteLength));
      }),
    );

  index
    .command('export')
    .description('write an index’s answers in another format: mmdb (MaxMind DB, for nginx, Envoy, Logstash, Vector …)')
    .requiredOption('--format <format>', 'mmdb', (v: string) => {
      if (v !== 'mmdb') throw new InvalidArgumentError('the one format is mmdb');
      return v;
    })
    .requiredOption('--out <file>', 'the file to write')
    .option('--index <file-or-build>', 'an index file, or a build id (default: the published build)')
    .action((options: { out: string; index?: string }) =>
      run('index', 'data', async (ctx) => {
        const { bytes, label } = await indexBytes(() => ctx.store(), options.index);
        let reader: IndexReader;
        try {
          reader = openIndex(bytes);
        } catch (err) {
          throw asIpregError(err, label);
        }
        const meta = reader.meta();
        const mmdb = exportMmdb(reader, {
          databaseType: 'ipreg-company',
          description: `ipreg ${meta.buildId}: the class of each range and the registered company behind it. ${meta.sources.map((x) => x.attribution).join(' ')}`,
          buildEpoch: Date.parse(`${meta.snapshot}T00:00:00Z`) / 1000,
        });
        await writeFile(options.out, mmdb.chunks);
        ctx.log.info({ out: options.out, bytes: mmdb.bytes, nodeCount: mmdb.nodeCount, recordSize: mmdb.recordSize, prefixes: mmdb.prefixes, skippedRanges: mmdb.skippedRanges }, 'mmdb written');
        process.stdout.write(`${options.out}: ${mmdb.bytes.toLocaleString('en')} bytes, ${mmdb.nodeCount.toLocaleString('en')} nodes of ${mmdb.recordSize}-bit records, ${mmdb.prefixes.toLocaleString('en')} prefixes\n`);
      }),
    );
}

/** The manifest's entry for the index of a build (default: the published one). */
async function manifestObject(store: ObjectStore, buildId: string | undefined): Promise<{ key: string; bytes: number; sha256: string }> {
  const id = buildId ?? (await readLatest(store))?.value.buildId;
  if (id === undefined) throw new IpregError('USAGE', 'no index is published in the store');
  const manifest = await readManifest(store, id);
  if (!manifest.index.key.endsWith(INDEX_FILE)) throw new IpregError('INTERNAL', `manifest of ${id} names ${manifest.index.key}, not an ${INDEX_FILE}`);
  return manifest.index;
}
