/** The links pipeline end to end on the small world: quality against its truth, and the GDPR rules. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { links, linksFolder } from '../pipelines/links.js';
import { LINK_TARGETS } from '../src/cli/commands/eval-command.js';
import { evaluateLinks } from '../src/links/evaluate.js';
import { openDuckDb, queryRows } from './support/duckdb.js';
import { runCli } from './support/run-cli.js';
import { loadSmallWorld, SAMPLES, SNAPSHOT, silentLog, WORLD } from './support/small-world-lake.js';

import { runPipeline } from '../src/pipeline/runner.js';
import { useTempDir } from './support/temp-dir.js';
import { localCopies, makeLocalStore, makeS3Store, type TestStore } from './support/test-stores.js';
import { listAll } from '../src/store/store.js';

const tempDir = useTempDir('links');

/** The store's company_links parts, copied to local files. */
async function linkFiles(t: TestStore): Promise<string[]> {
  return localCopies(t.store, `${linksFolder(SNAPSHOT)}/`, tempDir());
}

describe.each([
  { name: 'local folder', make: () => makeLocalStore() },
  { name: 's3', make: () => makeS3Store() },
])('links on the small world in a $name lake', ({ make }) => {
  let t: TestStore;
  let files: string[];
  let suppressedRun: number;
  beforeAll(async () => {
    t = await make();
    const record = await loadSmallWorld(t.store);
    suppressedRun = record.steps.find((s) => s.name === 'company_links')?.skipped?.['suppressed (objection)'] ?? 0;
    files = await linkFiles(t);
  }, 120_000);
  afterAll(async () => {
    await t.dispose();
  });

  it('meets the quality targets against the world’s truth (precision, recall, access ranges linked)', async () => {
    const duck = await openDuckDb();
    try {
      const e = await evaluateLinks(duck, files, WORLD);
      expect(e.overall.precision).toBeGreaterThanOrEqual(LINK_TARGETS.precision);
      expect(e.overall.recall).toBeGreaterThanOrEqual(LINK_TARGETS.recall);
      expect(e.accessLinkedShare).toBeLessThanOrEqual(LINK_TARGETS.accessLinkedShare);
      expect(e.overall.truthLinks).toBeGreaterThan(1000);
    } finally {
      duck.closeSync();
    }
  });

  it('never gives a company to a range classed isp or mobile, and classes every range', async () => {
    const duck = await openDuckDb();
    try {
      const [r] = await queryRows(
        duck,
        `SELECT count(*) AS n, count(*) FILTER (range_class IN ('isp', 'mobile') AND (register IS NOT NULL OR company_name IS NOT NULL OR lei IS NOT NULL)) AS leaked,
           count(*) FILTER (range_class IS NULL) AS unclassed, count(*) FILTER (range_class IN ('isp', 'mobile')) AS access
         FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`,
      );
      expect(r).toMatchObject({ leaked: 0, unclassed: 0 });
      expect(r!['access']).toBeGreaterThan(100);
    } finally {
      duck.closeSync();
    }
  });

  it('honours the objection list: no objected company in any row, and the run counts them without naming them', async () => {
    const objections = (await readFile(new URL('truth/suppression.csv', SAMPLES), 'utf8')).split('\n').slice(1).filter((l) => l !== '').map((l) => l.split(','));
    expect(objections.length).toBeGreaterThan(3);
    const duck = await openDuckDb();
    try {
      const rows = await queryRows(duck, `SELECT register, register_id, company_name, outcome FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`);
      const named = rows.filter((r) => objections.some(([register, id, name]) => (r['register'] === register && r['register_id'] === id) || r['company_name'] === name));
      expect(named).toEqual([]);
      const suppressed = rows.filter((r) => r['outcome'] === 'suppressed').length;
      expect(suppressed).toBeGreaterThan(0);
      expect(suppressedRun).toBe(suppressed);
    } finally {
      duck.closeSync();
    }
  });
});

describe('ipreg run links and ipreg eval links', () => {
  it('links a lake built by the CLI and prints the evaluation', async () => {
    const lake = join(tempDir(), 'cli-lake');
    for (const pipeline of ['ip-allocations', 'registers']) {
      expect((await runCli(['--store', lake, 'run', pipeline, '--sources', WORLD, '--snapshot', SNAPSHOT])).code).toBe(0);
    }
    const missing = await runCli(['--store', join(tempDir(), 'empty-lake'), 'run', 'links', '--snapshot', SNAPSHOT]);
    expect(missing.stderr).toContain('no inetnums for snapshot 2026-11-01 in the store: run `ipreg run ip-allocations --snapshot 2026-11-01` first');
    const r = await runCli(['--store', lake, 'run', 'links', '--snapshot', SNAPSHOT]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/company_links\s+succeeded/);
    const e = await runCli(['--store', lake, 'eval', 'links', '--world', WORLD]);
    expect(e.code, e.stderr).toBe(0);
    // No objection list in this lake: the objected companies are linked, and count as wrong links.
    expect(e.stdout).toMatch(/^all\s+\d+\s+\d+\s+\d+\s+0\.99\d/m);
    expect(e.stdout).toContain('access-provider ranges (isp, mobile) linked to a company: 0 of');
  }, 120_000);
});

describe("a register's marketing opt-out", () => {
  it('is honoured as an objection: the company is linked to no range, and the run counts the ranges by reason without naming it', async () => {
    const t = await makeLocalStore();
    const duck = await openDuckDb();
    try {
      await loadSmallWorld(t.store);
      const before = await queryRows(duck, `SELECT register, register_id, company_name, count(*) AS n FROM read_parquet([${(await linkFiles(t)).map((f) => `'${f}'`).join(', ')}]) WHERE outcome = 'linked' AND register <> 'gleif-lei' GROUP BY ALL ORDER BY n DESC, register, register_id LIMIT 1`);
      const { register, register_id: id, company_name: name, n } = before[0] as { register: string; register_id: string; company_name: string; n: number };
      expect(n).toBeGreaterThan(1);
      // The register now says this company wants no marketing (as SCB's Reklamsparrtyp would).
      for await (const o of listAll(t.store, `tables/companies/register=${register}/snapshot=${SNAPSHOT}/`)) {
        const part = join(tempDir(), `opt-out-${o.key.split('/').at(-1) as string}`);
        await writeFile(part, await t.store.getBytes(o.key));
        await duck.run(`COPY (SELECT * REPLACE (coalesce(marketing_opt_out, false) OR register_id = '${id}' AS marketing_opt_out) FROM read_parquet('${part}')) TO '${part}.flagged' (FORMAT parquet)`);
        await t.store.put(o.key, await readFile(`${part}.flagged`));
      }
      const record = await runPipeline(links, { store: t.store, snapshot: SNAPSHOT, log: silentLog });
      expect(record.outcome, record.error).toBe('succeeded');
      const step = record.steps.find((s) => s.name === 'company_links');
      expect(step?.skipped?.['suppressed (marketing opt-out)']).toBe(n);
      const after = await queryRows(duck, `SELECT count(*) FILTER (register = '${register}' AND register_id = '${id}') AS named, count(*) FILTER (company_name = '${name.replace(/'/g, "''")}') AS by_name FROM read_parquet([${(await linkFiles(t)).map((f) => `'${f}'`).join(', ')}])`);
      expect(after[0]).toEqual({ named: 0, by_name: 0 });
      // Counted, never named: neither the number nor the name is in the run record.
      expect(JSON.stringify(record)).not.toContain(id);
      expect(JSON.stringify(record)).not.toContain(name);
    } finally {
      duck.closeSync();
      await t.dispose();
    }
  }, 120_000);
});
