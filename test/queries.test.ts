/**
 * The sample queries of schemas/queries/ on DuckDB over the small world's lake (two snapshots, the
 * second with one more objection), each result checked against the same answer worked out here in
 * TypeScript from the tables' rows; and `ipreg query` from the command line.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TABLES } from '../schemas/athena.js';
import { nightly } from '../pipelines/nightly.js';
import { openLake, resultObjects } from '../src/lake/lake-duckdb.js';
import { runPipeline, type RunRecord } from '../src/pipeline/runner.js';
import { listAll } from '../src/store/store.js';
import { runCli } from './support/run-cli.js';
import { nextDayWorld, nightlyContext, SAMPLES, SNAPSHOT, WORLD } from './support/small-world-lake.js';
import { makeLocalStore, type TestStore } from './support/test-stores.js';
import { SUPPRESSION_KEY } from '../src/lake/paths.js';
import { REGISTERS } from '../src/sources/catalog.js';

const NEXT = '2026-11-02';
const QUERIES = new URL('../schemas/queries/', import.meta.url);

type Row = Record<string, unknown>;

const context = (t: TestStore, snapshot: string, world: string) => nightlyContext(t.store, snapshot, world, 0.5);

async function rowsOf(duck: DuckDBConnection, sql: string): Promise<Row[]> {
  return (await resultObjects(await duck.runAndReadAll(sql))).rows;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
const size = (r: Row) => Number(r['last_v4']) - Number(r['first_v4']) + 1;
const key = (r: Row) => `${String(r['register'])}:${String(r['register_id'])}`;

function groupBy<T>(items: readonly T[], by: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(by(item), [...(out.get(by(item)) ?? []), item]);
  return out;
}

describe('the sample queries', () => {
  let t: TestStore;
  let world: string;
  let duck: DuckDBConnection;
  let objected: { register: string; register_id: string; ranges: number };
  const rows: Record<string, Row[]> = {};
  const query = async (file: string): Promise<Row[]> => rowsOf(duck, await readFile(new URL(file, QUERIES), 'utf8'));

  beforeAll(async () => {
    t = await makeLocalStore();
    await t.store.put(SUPPRESSION_KEY, await readFile(new URL('truth/suppression.csv', SAMPLES)));
    expect((await runPipeline(nightly, context(t, SNAPSHOT, WORLD))).outcome).toBe('succeeded');
    // The next day: the same world (GLEIF's files carry their day in their names), and one more
    // objection, from the company holding the most linked ranges: its ranges leave the index.
    world = await nextDayWorld('ipreg-queries-world-');
    const first = await openLake(t.root as string);
    const top = (await (await first.duck.runAndReadAll(`SELECT register, register_id, company_name, count(*) AS n FROM ip_ranges WHERE register IS NOT NULL GROUP BY ALL ORDER BY n DESC, register, register_id LIMIT 1`)).getRowObjectsJson())[0] as Row;
    first.duck.closeSync();
    objected = { register: String(top['register']), register_id: String(top['register_id']), ranges: Number(top['n']) };
    const objections = `${(await readFile(new URL('truth/suppression.csv', SAMPLES), 'utf8')).trimEnd()}\n${objected.register},${objected.register_id},"${String(top['company_name']).replace(/"/g, '""')}"\n`;
    await t.store.put(SUPPRESSION_KEY, objections);
    expect((await runPipeline(nightly, context(t, NEXT, world))).outcome).toBe('succeeded');

    ({ duck } = await openLake(t.root as string));
    for (const table of ['ip_ranges', 'companies', 'company_links']) rows[table] = await rowsOf(duck, `SELECT * FROM ${table}`);
  }, 180_000);
  afterAll(async () => {
    duck?.closeSync();
    await t.dispose();
    await rm(world, { recursive: true, force: true });
  });

  const latest = (table: string) => {
    const all = rows[table] as Row[];
    const snapshot = all.map((r) => String(r['snapshot'])).sort().at(-1);
    return all.filter((r) => r['snapshot'] === snapshot);
  };

  it('has at least ten, each with a comment saying what it asks', async () => {
    const files = (await readdir(QUERIES)).filter((f) => f.endsWith('.sql'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) expect((await readFile(new URL(f, QUERIES), 'utf8')).startsWith('-- '), f).toBe(true);
  });

  it('every Parquet file the pipelines wrote has exactly its table\'s columns, in order, with their types', async () => {
    let files = 0;
    for (const table of TABLES) {
      for await (const o of listAll(t.store, `tables/${table.name}/`)) {
        const path = t.store.localPath?.(o.key) ?? '';
        const described = await rowsOf(duck, `DESCRIBE SELECT * FROM read_parquet('${path}', hive_partitioning = false)`);
        expect(described.map((c) => [c['column_name'], c['column_type']]), o.key).toEqual(table.columns.map((c) => [c.name, c.type]));
        // The partition columns are the path's, in the table's order.
        expect(o.key, o.key).toMatch(new RegExp(`^tables/${table.name}/${table.partitions.map((p) => `${p.name}=[^/]+`).join('/')}/part-\\d+\\.parquet$`));
        files++;
      }
    }
    expect(files).toBeGreaterThanOrEqual(TABLES.length * 2);
  });

  it("01: each country's IPv4 space by class", async () => {
    const v4 = latest('ip_ranges').filter((r) => r['family'] === 4 && r['country'] !== null);
    const want = [...groupBy(v4, (r) => String(r['country']))].map(([country, rs]) => {
      const total = rs.reduce((n, r) => n + size(r), 0);
      const share = (test: (c: string) => boolean) => round4(rs.filter((r) => test(String(r['range_class']))).reduce((n, r) => n + size(r), 0) / total);
      return { country, ipv4_addresses: total, business_share: share((c) => c === 'business'), access_share: share((c) => c === 'isp' || c === 'mobile'), other_share: share((c) => !['business', 'isp', 'mobile'].includes(c)) };
    });
    want.sort((a, b) => b.ipv4_addresses - a.ipv4_addresses || cmp(a.country, b.country));
    expect(want.length).toBeGreaterThan(5);
    expect(await query('01-ipv4-space-by-class.sql')).toEqual(want);
  });

  it('02: the largest holders of IPv4 space per country', async () => {
    const linked = latest('ip_ranges').filter((r) => r['family'] === 4 && r['register'] !== null);
    const holders = [...groupBy(linked, (r) => `${String(r['company_country'])}|${key(r)}|${String(r['company_name'])}`).values()].map((rs) => {
      const r = rs[0] as Row;
      return { country: r['company_country'], company_name: r['company_name'], register: r['register'], register_id: r['register_id'], ipv4_addresses: rs.reduce((n, x) => n + size(x), 0), ranges: rs.length };
    });
    const want = [...groupBy(holders, (h) => String(h.country))]
      .sort(([a], [b]) => cmp(a, b))
      .flatMap(([, hs]) =>
        hs
          .sort((a, b) => b.ipv4_addresses - a.ipv4_addresses || cmp(String(a.register), String(b.register)) || cmp(String(a.register_id), String(b.register_id)))
          .slice(0, 3)
          .map((h, i) => ({ country: h.country, rank: i + 1, company_name: h.company_name, register: h.register, register_id: h.register_id, ipv4_addresses: h.ipv4_addresses, ranges: h.ranges })),
      );
    expect(await query('02-largest-holders-per-country.sql')).toEqual(want);
  });

  it('03: companies with IP space per country and industry', async () => {
    const snapshot = String(latest('ip_ranges')[0]?.['snapshot']);
    const linked = new Set(latest('ip_ranges').filter((r) => r['register'] !== null).map(key));
    const companies = (rows['companies'] as Row[]).filter((c) => c['snapshot'] === snapshot && linked.has(key(c)));
    const byGroup = new Map<string, Set<string>>();
    for (const c of companies) for (const code of c['nace_codes'] as string[]) byGroup.set(`${String(c['country'])}|${code.slice(0, 2)}`, (byGroup.get(`${String(c['country'])}|${code.slice(0, 2)}`) ?? new Set()).add(key(c)));
    const want = [...byGroup].map(([g, set]) => ({ country: g.split('|')[0], nace_division: g.split('|')[1], companies: set.size }));
    want.sort((a, b) => cmp(String(a.country), String(b.country)) || b.companies - a.companies || cmp(String(a.nace_division), String(b.nace_division)));
    expect(want.length).toBeGreaterThan(10);
    expect(await query('03-companies-by-country-and-industry.sql')).toEqual(want);
  });

  it('04: companies whose ranges changed between the two latest builds, the objected one among them', async () => {
    const ranges = (snapshot: string) => new Set((rows['ip_ranges'] as Row[]).filter((r) => r['snapshot'] === snapshot && r['register'] !== null).map((r) => `${key(r)}|${String(r['first_address'])}|${String(r['last_address'])}`));
    const [before, after] = [ranges(SNAPSHOT), ranges(NEXT)];
    const changes = new Map<string, { gained: number; lost: number }>();
    for (const r of after) if (!before.has(r)) changes.set(r.split('|')[0] as string, { gained: (changes.get(r.split('|')[0] as string)?.gained ?? 0) + 1, lost: changes.get(r.split('|')[0] as string)?.lost ?? 0 });
    for (const r of before) if (!after.has(r)) changes.set(r.split('|')[0] as string, { gained: changes.get(r.split('|')[0] as string)?.gained ?? 0, lost: (changes.get(r.split('|')[0] as string)?.lost ?? 0) + 1 });
    const got = await query('04-ranges-changed-between-snapshots.sql');
    expect(got.map((r) => [key(r), { gained: r['ranges_gained'], lost: r['ranges_lost'] }])).toEqual([...changes].sort(([a], [b]) => cmp(a, b)));
    expect(got.find((r) => key(r) === `${objected.register}:${objected.register_id}`)).toMatchObject({ ranges_gained: 0, ranges_lost: objected.ranges });
  });

  it('05: prefixes enriched with the companies whose ranges overlap them', async () => {
    const prefixes = [
      ['1.0.7.0/24', 16779008, 16779263],
      ['1.0.66.0/24', 16794112, 16794367],
      ['2.0.2.0/24', 33554944, 33555199],
      ['203.0.113.0/24', 3405803776, 3405804031],
    ] as const;
    const v4 = latest('ip_ranges').filter((r) => r['family'] === 4);
    const want = prefixes.flatMap(([prefix, first, last]) => {
      const over = v4.filter((r) => Number(r['first_v4']) <= last && Number(r['last_v4']) >= first).sort((a, b) => cmp(String(a['first_address']), String(b['first_address'])));
      return over.length === 0 ? [{ prefix, company_name: null as unknown, share_of_prefix: null as number | null }] : over.map((r) => ({ prefix, company_name: r['company_name'], share_of_prefix: round4((Math.min(Number(r['last_v4']), last) - Math.max(Number(r['first_v4']), first) + 1) / (last - first + 1)) as number | null }));
    });
    want.sort((a, b) => cmp(a.prefix, b.prefix));
    const got = await query('05-enrich-prefixes.sql');
    expect(got.map((r) => ({ prefix: r['prefix'], company_name: r['company_name'], share_of_prefix: r['share_of_prefix'] }))).toEqual(want);
    expect(got.filter((r) => r['company_name'] !== null).length).toBeGreaterThan(0);
  });

  it('06: the run history, as the run records say', async () => {
    const records: RunRecord[] = [];
    for await (const o of listAll(t.store, 'runs/')) records.push(JSON.parse((await t.store.getBytes(o.key)).toString()) as RunRecord);
    const want = [...groupBy(records, (r) => r.pipeline)].sort(([a], [b]) => cmp(a, b)).map(([pipeline, rs]) => ({
      pipeline,
      runs: rs.length,
      succeeded: rs.filter((r) => r.outcome === 'succeeded').length,
      failed: rs.filter((r) => r.outcome === 'failed').length,
      died_or_stopped: rs.filter((r) => r.outcome === 'died' || r.outcome === 'stopped').length,
      last_started: rs.map((r) => r.startedAt).sort().at(-1),
      last_good_snapshot: rs.filter((r) => r.outcome === 'succeeded').map((r) => r.snapshot).sort().at(-1),
    }));
    expect(want).toEqual([{ pipeline: 'nightly', runs: 2, succeeded: 2, failed: 0, died_or_stopped: 0, last_started: expect.any(String), last_good_snapshot: NEXT }]);
    expect(await query('06-run-history.sql')).toEqual(want);
  });

  it('07: rows per table and snapshot, as the Parquet footers count them', async () => {
    const want: Row[] = [];
    for (const table of ['aut_nums', 'companies', 'company_links', 'inetnums', 'ip_delegations', 'ip_ranges', 'whois_orgs']) {
      const counts = new Map<string, number>();
      for await (const o of listAll(t.store, `tables/${table}/`)) {
        const snapshot = /snapshot=([^/]+)/.exec(o.key)?.[1] as string;
        const meta = await duck.runAndReadAll(`SELECT sum(num_rows) FROM parquet_file_metadata('${t.store.localPath?.(o.key) ?? ''}')`);
        counts.set(snapshot, (counts.get(snapshot) ?? 0) + Number(meta.getRows()[0]?.[0] ?? 0));
      }
      for (const [snapshot, n] of [...counts].sort(([a], [b]) => cmp(a, b))) want.push({ table_name: table, snapshot, row_count: n });
    }
    expect(want).toHaveLength(14);
    expect(await query('07-row-count-trends.sql')).toEqual(want);
  });

  it('08: links by rule', async () => {
    const linked = latest('company_links').filter((r) => r['outcome'] === 'linked');
    const want = [...groupBy(linked, (r) => String(r['link_rule']))].map(([rule, rs]) => ({
      link_rule: rule,
      ranges: rs.length,
      companies: new Set(rs.map(key)).size,
      mean_confidence: Math.round((rs.reduce((n, r) => n + Number(r['confidence']), 0) / rs.length) * 1000) / 1000,
    }));
    want.sort((a, b) => b.ranges - a.ranges || cmp(a.link_rule, b.link_rule));
    expect(await query('08-links-by-rule.sql')).toEqual(want);
  });

  it('09: each register\'s companies, with an LEI and with IP space', async () => {
    const linked = new Set(latest('ip_ranges').filter((r) => r['register'] !== null).map(key));
    const want = [...groupBy(latest('companies'), (r) => String(r['register']))].sort(([a], [b]) => cmp(a, b)).map(([register, rs]) => ({
      register,
      companies: rs.length,
      with_lei: rs.filter((r) => r['lei'] !== null).length,
      with_ip_space: rs.filter((r) => linked.has(key(r))).length,
    }));
    // Every register of the catalogue has its partition.
    expect(want.map((w) => w.register)).toEqual(REGISTERS.map((r) => r.id).sort());
    expect(await query('09-register-coverage.sql')).toEqual(want);
  });

  it('10: companies found by any of their names (the company_names view)', async () => {
    const counts = new Map([...groupBy(latest('ip_ranges').filter((r) => r['register'] !== null), key)].map(([k, rs]) => [k, rs.length]));
    const want = latest('companies')
      .filter((c) => [c['name'], ...(c['other_names'] as string[])].some((n) => String(n).toLowerCase().includes('consulting')))
      .map((c) => ({ register: c['register'], register_id: c['register_id'], name: c['name'], country: c['country'], ranges: counts.get(key(c)) ?? 0 }))
      .sort((a, b) => b.ranges - a.ranges || cmp(String(a.register), String(b.register)) || cmp(String(a.register_id), String(b.register_id)));
    expect(want.some((c) => !String(c.name).toLowerCase().includes('consulting'))).toBe(true); // found by another name
    expect(await query('10-find-companies-by-name.sql')).toEqual(want);
  });

  it('11: providers per country', async () => {
    const providers = latest('company_links').filter((r) => ['isp', 'mobile', 'hosting'].includes(String(r['range_class'])) && r['country'] !== null);
    const want = [...groupBy(providers, (r) => `${String(r['country'])}|${String(r['range_class'])}`)]
      .sort(([a], [b]) => cmp(a, b))
      .map(([g, rs]) => ({ country: g.split('|')[0], range_class: g.split('|')[1], ranges: rs.length, netnames: new Set(rs.map((r) => r['netname']).filter((n) => n !== null)).size }));
    expect(await query('11-providers-by-country.sql')).toEqual(want);
  });

  it('ipreg query prints a table, CSV or JSON lines, writes Parquet, and lists the tables', async () => {
    const env = { IPREG_STORE: t.root as string };
    const tables = await runCli(['query', '--tables'], { env });
    expect(tables.code, tables.stderr).toBe(0);
    for (const name of ['ip_delegations', 'inetnums', 'whois_orgs', 'aut_nums', 'companies', 'company_links', 'ip_ranges', 'runs', 'company_names']) expect(tables.stdout).toMatch(new RegExp(`^${name}\\s`, 'm'));
    const sql = 'SELECT register, count(*) AS n FROM companies WHERE snapshot = \'2026-11-01\' GROUP BY register ORDER BY register';
    const csv = await runCli(['query', sql, '--format', 'csv'], { env });
    const want = [...groupBy(latest('companies'), (r) => String(r['register']))].sort(([a], [b]) => cmp(a, b)).map(([r, rs]) => `${r},${rs.length}`);
    expect(csv.stdout).toBe(`register,n\n${want.join('\n')}\n`);
    const json = await runCli(['query', sql, '--format', 'json'], { env });
    expect(json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Row)[0]).toEqual({ register: 'be-kbo', n: Number(want[0]?.split(',')[1]) });
    const out = join(t.root as string, '..', 'out.parquet');
    expect((await runCli(['query', sql, '--out', out], { env })).code).toBe(0);
    const back = await duck.runAndReadAll(`SELECT count(*) FROM read_parquet('${out}')`);
    expect(Number(back.getRows()[0]?.[0])).toBe(REGISTERS.length);
    const bad = await runCli(['query', 'SELECT nope FROM companies'], { env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('the query failed: Binder Error');
    const missing = await runCli(['query', '--file', 'schemas/queries/no-such-query.sql'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the query file schemas/queries/no-such-query.sql: ENOENT');
  });
});

/**
 * The rules of the SQL both engines accept (docs/analysts.md), held against every sample query:
 * each pattern here is DuckDB-only, or means something else in Trino.
 */
export const NOT_IN_THE_SUBSET: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /::/, why: 'casts are written CAST(x AS type)' },
  { pattern: /\bGROUP BY ALL\b|\bORDER BY ALL\b/i, why: 'group and order by the columns, named' },
  { pattern: /\blambda\b|->/i, why: 'no lambdas: Trino writes them x -> …, DuckDB lambda x: …' },
  { pattern: /\b(list_\w+|struct_pack|array_length|len)\s*\(|(?<!CROSS JOIN\s+)\bUNNEST\s*\(/i, why: 'no DuckDB list functions; unnest only as CROSS JOIN UNNEST(column) AS t(x)' },
  { pattern: /"[^"]*"/, why: 'strings in single quotes; no quoted identifiers (all names are lower case)' },
  { pattern: /\bILIKE\b|\bQUALIFY\b|\bEXCLUDE\b|\bREPLACE\s*\(/i, why: 'DuckDB-only syntax' },
  { pattern: /\bSELECT\s+\*\s+FROM\s+\w+\s*$/im, why: 'name the columns' },
];

/** The dividend of every `/` outside string literals: the parenthesised expression (with its function name) or the word before it. */
function dividends(sql: string): string[] {
  const text = sql.replace(/'[^']*'/g, (m) => ' '.repeat(m.length));
  const out: string[] = [];
  for (let i = text.indexOf('/'); i >= 0; i = text.indexOf('/', i + 1)) {
    let end = i - 1;
    while (end >= 0 && /\s/.test(text[end] as string)) end--;
    let start = end;
    if (text[end] === ')') {
      for (let depth = 0; start >= 0; start--) {
        if (text[start] === ')') depth++;
        if (text[start] === '(' && --depth === 0) break;
      }
    }
    while (start > 0 && /\w/.test(text[start - 1] as string)) start--;
    out.push(text.slice(start, end + 1));
  }
  return out;
}

describe('the sample queries stay in the SQL Athena and DuckDB both accept', () => {
  it('no query uses what only one of them reads, and every division is of a DOUBLE', async () => {
    for (const file of (await readdir(QUERIES)).filter((f) => f.endsWith('.sql'))) {
      const sql = (await readFile(new URL(file, QUERIES), 'utf8')).replace(/--.*$/gm, '');
      for (const rule of NOT_IN_THE_SUBSET) expect(rule.pattern.test(sql), `${file}: ${rule.why}`).toBe(false);
      // Integer division truncates in Trino and not in DuckDB: the dividend is cast to DOUBLE.
      for (const dividend of dividends(sql)) expect(dividend, `${file}: a division whose dividend is not CAST(… AS DOUBLE)`).toMatch(/^CAST\(.*\bAS DOUBLE\)$/s);
    }
  });
});
