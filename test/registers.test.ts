/** The registers pipeline end to end: from the generated world into a lake (folder and S3). */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companiesFolder, registers } from '../pipelines/registers.js';
import { REGISTERS } from '../src/sources/catalog.js';
import { sourceLocation } from '../src/fetch/source-location.js';
import { fileForSnapshot, sourceById } from '../src/sources/catalog.js';
import { startFileServer } from './support/file-server.js';
import { createLogger } from '../src/log.js';
import { runPipeline } from '../src/pipeline/runner.js';
import { listAll, type ObjectStore } from '../src/store/store.js';
import { openDuckDb, queryRows } from './support/duckdb.js';
import { captureLog } from './support/log-capture.js';
import { naturalPersonsTruth } from './support/register-build.js';
import { runCli } from './support/run-cli.js';
import { useTempDir } from './support/temp-dir.js';
import { makeLocalStore, makeS3Store, type TestStore } from './support/test-stores.js';

const SAMPLES = new URL('../data-samples/', import.meta.url);
const log = createLogger({ level: 'silent', stream: 'stderr' });
const fetch = { concurrency: 3, idleTimeoutMs: 5000, attempts: 2, retryBaseMs: 5 };
const tempDir = useTempDir('registers');

/** The rows of a partition, read back through DuckDB from local copies of its part files. */
async function partition(store: ObjectStore, folder: string): Promise<Record<string, unknown>[]> {
  const locals: string[] = [];
  for await (const part of listAll(store, `${folder}/`)) {
    const local = join(tempDir(), `${locals.length}-${part.key.replaceAll('/', '_')}`);
    await writeFile(local, await store.getBytes(part.key));
    locals.push(`'${local}'`);
  }
  expect(locals.length, folder).toBeGreaterThan(0);
  const duck = await openDuckDb();
  try {
    return await queryRows(duck, `SELECT register_id, name, other_names, name_key, status, lei FROM read_parquet([${locals.join(', ')}]) ORDER BY register_id`);
  } finally {
    duck.closeSync();
  }
}

describe.each([
  { name: 'local folder', make: makeLocalStore },
  { name: 's3', make: () => makeS3Store() },
])('registers from the small world into a $name lake', ({ make }) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await make();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('lands the files, builds each register and publishes its companies partition', async () => {
    const record = await runPipeline(registers, { store: t.store, snapshot: '2026-11-01', log, location: sourceLocation(new URL('.', SAMPLES).pathname), fetch });
    expect(record.outcome, record.error).toBe('succeeded');
    const step = record.steps.find((s) => s.name === 'gb-companies-house')!;
    expect(step.skipped).toEqual({ 'malformed line': 1 });
    const rows = await partition(t.store, companiesFolder('gb-companies-house', '2026-11-01'));
    expect(rows).toHaveLength(step.rowsOut!);
    expect(rows.length).toBe(step.rowsIn! - 1);
    expect(rows.every((r) => typeof r['name_key'] === 'string' && /^\d{8}$|^[A-Z]{2}\d{6}$/.test(r['register_id'] as string))).toBe(true);
    // GLEIF ran first: companies its records crosswalk to carry their LEI.
    expect(rows.filter((r) => typeof r['lei'] === 'string' && /^[0-9A-Z]{20}$/.test(r['lei'])).length).toBeGreaterThan(10);
    // … in every register GLEIF crosswalks to, each by its RA codes (source.json's gleifAuthorities).
    for (const register of REGISTERS.filter((r) => (r.register.gleifAuthorities ?? []).length > 0).map((r) => r.id)) {
      const leis = (await partition(t.store, companiesFolder(register, '2026-11-01'))).filter((r) => typeof r['lei'] === 'string' && /^[0-9A-Z]{20}$/.test(r['lei']));
      expect(leis.length, register).toBeGreaterThan(0);
    }
  });

  it('writes no natural person of the world into any companies file: no name, no register number', async () => {
    const persons = (await naturalPersonsTruth()).map((p) => [p.register, p.id, p.name]);
    expect(persons.length).toBeGreaterThan(1000);
    const names = new Set(persons.map((p) => p[2]!.toLowerCase()));
    const ids = new Set(persons.map((p) => `${p[0]}:${p[1]}`));
    let checked = 0;
    for (const register of REGISTERS.map((r) => r.id)) {
      for (const row of await partition(t.store, companiesFolder(register, '2026-11-01'))) {
        expect(ids.has(`${register}:${row['register_id'] as string}`)).toBe(false);
        expect(names.has((row['name'] as string).toLowerCase())).toBe(false);
        for (const other of row['other_names'] as string[]) expect(names.has(other.toLowerCase())).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('what a registers run tells its operators', () => {
  it('names no natural person in its logs or run record: no name, no register number, not even a broken one', async () => {
    const t = await makeLocalStore();
    try {
      const out = captureLog('debug');
      const record = await runPipeline(registers, { store: t.store, snapshot: '2026-11-01', log: out.log, location: sourceLocation(new URL('.', SAMPLES).pathname), fetch });
      expect(record.outcome, record.error).toBe('succeeded');
      const said = `${out.lines.join('\n')}\n${JSON.stringify(record)}`;
      // The run did report its malformed records (by file and field) …
      expect(said).toContain('malformed lines skipped');
      const persons = (await naturalPersonsTruth()).map((p) => [p.register, p.id, p.name]);
      // … and the broken numbers of the world's sole traders are among what it must not say.
      const broken = (await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8')).split('\n').map((l) => l.split(',')).filter((f) => f[0] === 'fr-sirene' && f[4] === 'siren not 9 digits').map((f) => f[3]!);
      expect(broken.length).toBeGreaterThan(0);
      const leaked = [...persons.flatMap((p) => [p[1]!, p[2]!]), ...broken].filter((v) => v.length >= 6 && said.includes(v));
      expect(leaked).toEqual([]);
    } finally {
      await t.dispose();
    }
  });
});

describe('registers from a mirror', () => {
  it('fetches each file and builds the register; its size far from the real register\'s fails the expected-range gate unless forced, and the override is recorded', async () => {
    const source = sourceById('ee-rik');
    const server = await startFileServer();
    const t = await makeLocalStore();
    try {
      for (const file of source.files) {
        const world = fileForSnapshot(file, '2026-11-01').world;
        server.routes.set(`/${source.id}/${file.name}`, { body: Buffer.concat(await Promise.all(world.map((w) => readFile(new URL(w, SAMPLES))))) });
      }
      const base = { store: t.store, snapshot: '2026-11-01', log: captureLog().log, location: sourceLocation(server.url), fetch, only: 'ee-rik' };
      const refused = await runPipeline(registers, base);
      expect(refused.outcome).toBe('failed');
      const step = refused.steps.find((s) => s.name === 'ee-rik');
      // Records read: the lines in, less the malformed ones.
      const read = (step?.rowsIn as number) - (step?.skipped?.['malformed line'] ?? 0);
      expect(refused.error).toBe(`ee-rik: quality gate failed: ee-rik: records read is ${read}, the limit ${source.expectedRecords.min.toLocaleString('en')} to ${source.expectedRecords.max.toLocaleString('en')} (its usual range); the steps after ee-rik did not run (to publish anyway, run again with --force)`);
      for await (const o of listAll(t.store, 'tables/')) expect(o.key).toBeUndefined();
      const record = await runPipeline(registers, { ...base, force: true });
      expect(record.outcome, record.error).toBe('succeeded');
      // Forced: the gate is recorded as failed and overridden, in the step and in the run.
      expect(record.steps.find((s) => s.name === 'ee-rik')?.gates?.find((g) => g.gate === 'ee-rik: records read')).toMatchObject({ passed: false, overridden: true });
      expect(record.forced?.gates).toEqual([expect.stringMatching(/^ee-rik: ee-rik: records read is \d+, the limit /)]);
      expect(record.steps.find((s) => s.name === 'ee-rik')?.rowsOut).toBeGreaterThan(500);
    } finally {
      await server.close();
      await t.dispose();
    }
  });
});

describe('ipreg run registers', () => {
  it('runs one register and refuses a source the pipeline does not read', async () => {
    const lake = join(tempDir(), 'cli-lake');
    const r = await runCli(['--store', lake, 'run', 'registers', '--only', 'gb-companies-house', '--sources', new URL('.', SAMPLES).pathname, '--snapshot', '2026-11-01']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/gb-companies-house\s+succeeded/);
    const wrong = await runCli(['run', 'registers', '--only', 'ripe-rpsl']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('registers does not read "ripe-rpsl" (it reads: gleif-lei, be-kbo');
  });
});
