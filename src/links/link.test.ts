import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../test/support/duckdb.js';
import { useTempDir } from '../../test/support/temp-dir.js';
import { nameKey } from '../names/name-key.js';
import { parseOperators } from './class-data.js';
import { CLASS_MEASURED, smoothed } from './confidence.js';
import { CLASS_CONFIDENCE } from './networks.js';
import { linkRanges, type LinkStats } from './link.js';

const tempDir = useTempDir('link');
let duck: DuckDBConnection;
beforeAll(async () => {
  duck = await openDuckDb();
});
afterAll(() => duck.closeSync());

/** One IPv4 inetnum: a.b.c.d - e.f.g.h as integers, with its words. */
function inetnum(line: number, first: number, last: number, netname: string | null, descr: string[], org: string | null, status: string): string {
  const key = (n: number) => `unhex('00000000000000000000ffff' || lpad(printf('%x', ${n}::BIGINT), 8, '0'))`;
  const list = `[${descr.map((d) => `'${d.replaceAll("'", "''")}'`).join(', ')}]::VARCHAR[]`;
  return `SELECT 4::TINYINT AS family, '${first}' AS first_address, '${last}' AS last_address, ${key(first)} AS first_key, ${key(last)} AS last_key, ${first}::BIGINT AS first_v4, ${last}::BIGINT AS last_v4,
    ${Math.floor(first / 65536)}::BIGINT AS bucket_first, ${Math.floor(last / 65536)}::BIGINT AS bucket_last, ${netname === null ? 'NULL' : `'${netname}'`} AS netname, ${list} AS descr,
    'NL' AS country, ${org === null ? 'NULL' : `'${org}'`} AS org_id, '${status}' AS status, ${line} AS line`;
}

function company(id: string, name: string, extra: { domain?: string; other?: string[]; nace?: string[] } = {}): string {
  const k = nameKey(name, 'NL');
  return `SELECT 'nl-test' AS register_id_dummy, '${id}' AS register_id, '${name}' AS name, 'NL' AS country, '${k.key}' AS name_key, ${k.legalForm === null ? 'NULL' : `'${k.legalForm}'`} AS name_legal_form,
    [${(extra.other ?? []).map((o) => `'${o}'`).join(', ')}]::VARCHAR[] AS other_names, ${extra.domain === undefined ? 'NULL' : `'${extra.domain}'`} AS domain, NULL::VARCHAR AS lei, NULL::VARCHAR AS same_as_register, NULL::VARCHAR AS same_as_id,
    [${(extra.nace ?? []).map((c) => `'${c}'`).join(', ')}]::VARCHAR[] AS nace_codes`;
}

/** Links a provider, its pools and customers, and three companies; returns the company_links file. */
async function linkFixture(corrections?: string): Promise<string> {
  const dir = tempDir();
  const inet = join(dir, 'inetnums', 'source=ripe-rpsl', 'snapshot=2026-11-01');
  const orgs = join(dir, 'whois_orgs', 'source=ripe-rpsl', 'snapshot=2026-11-01');
  const cos = join(dir, 'companies', 'register=nl-test', 'snapshot=2026-11-01');
  for (const d of [inet, orgs, cos]) await mkdir(d, { recursive: true });
  const base = 167772160; // 10.0.0.0
  const ranges = [
    inetnum(1, base, base + 4095, 'NL-ROPA-BROADBAND-20100101', ['Ropa Broadband BV'], 'ORG-RB1-RIPE', 'ALLOCATED PA'),
    inetnum(2, base, base + 255, 'ROPA-BROADBAND-DSL-POOL-7', ['Dynamic IP pool for residential customers'], null, 'ASSIGNED PA'),
    inetnum(3, base + 256, base + 263, 'ACME-BROADBAND', ['Acme Broadband B.V.'], null, 'ASSIGNED PA'),
    inetnum(4, base + 264, base + 271, 'ROPA-BROADBAND-CUST-12345', ['Ropa Broadband customer'], null, 'ASSIGNED PA'),
    inetnum(5, base + 272, base + 279, 'CUST-X', ['Customer network', 'KBO 0403.449.823'], null, 'ASSIGNED PA'),
    inetnum(6, base + 280, base + 287, 'CUST-Y', ['Some trading name', 'www.core-systems.nl'], null, 'ASSIGNED PA'),
    inetnum(7, base + 8192, base + 8195, 'CORE-SYSTEMS-PI', ['Core Systems B.V.'], null, 'ASSIGNED PI'),
  ];
  await duck.run(`COPY (${ranges.join(' UNION ALL ')}) TO '${inet}/part-00000.parquet' (FORMAT parquet)`);
  await duck.run(`COPY (SELECT 'ORG-RB1-RIPE' AS org_id, 'Ropa Broadband BV' AS org_name, 'LIR' AS org_type) TO '${orgs}/part-00000.parquet' (FORMAT parquet)`);
  const companies = [company('1', 'Ropa Broadband B.V.'), company('2', 'Acme Broadband BV'), company('3', 'Core Systems BV', { domain: 'core-systems.nl' })];
  await duck.run(`COPY (SELECT * EXCLUDE (register_id_dummy) FROM (${companies.join(' UNION ALL ')})) TO '${cos}/part-00000.parquet' (FORMAT parquet)`);
  const out = join(dir, 'links.parquet');
  await linkRanges(duck, { inetnums: [`${inet}/part-00000.parquet`], whoisOrgs: [`${orgs}/part-00000.parquet`], companies: [`${cos}/part-00000.parquet`], corrections }, out);
  return out;
}

/**
 * Three holders with routing data: Vexul (a brand-like name, no class word, no children) announced
 * by its own network, which announces 9 M addresses in 40 blocks; Quiet Office, which has a network
 * of its own but is announced by another (leased space); Plain Trading, with no network, announced
 * by its upstream. Each name is a register company's.
 */
async function linkRouted(withRouting: boolean, operators = '', nace: Record<string, string[]> = {}): Promise<{ file: string; stats: LinkStats }> {
  const dir = tempDir();
  const folder = (table: string) => join(dir, table, 'source=ripe-rpsl', 'snapshot=2026-11-01');
  const folders = { inet: folder('inetnums'), orgs: folder('whois_orgs'), aut: folder('aut_nums'), prefixes: join(dir, 'routed_prefixes', 'source=ip-location-db-asn'), names: join(dir, 'as_names', 'source=ip-location-db-asn'), cos: join(dir, 'companies', 'register=nl-test') };
  for (const d of Object.values(folders)) await mkdir(d, { recursive: true });
  const b = (second: number) => 167772160 + second * 65536; // 10.<second>.0.0
  await duck.run(`COPY (${[
    inetnum(1, b(1), b(1) + 65535, 'NL-VEXUL-20100101', ['Vexul B.V.'], 'ORG-VX1-RIPE', 'ALLOCATED PA'),
    inetnum(2, b(2), b(2) + 255, 'QUIET-OFFICE', ['Quiet Office B.V.'], 'ORG-QO1-RIPE', 'ASSIGNED PI'),
    inetnum(3, b(3), b(3) + 255, 'PLAIN-NET', ['Plain Trading B.V.'], 'ORG-PT1-RIPE', 'ASSIGNED PI'),
  ].join(' UNION ALL ')}) TO '${folders.inet}/part-00000.parquet' (FORMAT parquet)`);
  await duck.run(`COPY (SELECT * FROM (VALUES ('ORG-VX1-RIPE', 'Vexul B.V.', 'LIR'), ('ORG-QO1-RIPE', 'Quiet Office B.V.', 'OTHER'), ('ORG-PT1-RIPE', 'Plain Trading B.V.', 'OTHER')) t(org_id, org_name, org_type)) TO '${folders.orgs}/part-00000.parquet' (FORMAT parquet)`);
  await duck.run(`COPY (SELECT * FROM (VALUES (64500::BIGINT, 'VEXUL', 'ORG-VX1-RIPE'), (64501, 'QUIET', 'ORG-QO1-RIPE')) t(asn, as_name, org_id)) TO '${folders.aut}/part-00000.parquet' (FORMAT parquet)`);
  const prefix = (second: number, size: number, asn: number) => {
    const key = (n: number) => `unhex('00000000000000000000ffff' || lpad(printf('%x', ${n}::BIGINT), 8, '0'))`;
    return `SELECT 4::TINYINT AS family, ${key(b(second))} AS first_key, ${key(b(second) + size - 1)} AS last_key, ${asn}::BIGINT AS asn`;
  };
  await duck.run(`COPY (${[prefix(1, 65536, 64500), prefix(2, 256, 64502), prefix(3, 256, 64500)].join(' UNION ALL ')}) TO '${folders.prefixes}/part-00000.parquet' (FORMAT parquet)`);
  await duck.run(`COPY (SELECT * FROM (VALUES (64500::BIGINT, 'Vexul B.V.', 9000000::BIGINT, 40::BIGINT, 3::BIGINT), (64502, 'Rackhost Hosting', 2048, 8, 0)) t(asn, as_name, v4_addresses, v4_ranges, v6_ranges)) TO '${folders.names}/part-00000.parquet' (FORMAT parquet)`);
  const companies = [company('1', 'Vexul B.V.', { nace: nace['1'] ?? [] }), company('2', 'Quiet Office B.V.', { nace: nace['2'] ?? [] }), company('3', 'Plain Trading B.V.', { nace: nace['3'] ?? [] })];
  await duck.run(`COPY (SELECT * EXCLUDE (register_id_dummy) FROM (${companies.join(' UNION ALL ')})) TO '${folders.cos}/part-00000.parquet' (FORMAT parquet)`);
  const file = join(dir, 'links.parquet');
  const part = (d: string) => [`${d}/part-00000.parquet`];
  const routing = withRouting ? { routedPrefixes: part(folders.prefixes), asNames: part(folders.names), autNums: part(folders.aut) } : undefined;
  const extra = operators === '' ? undefined : parseOperators(`by,value,class,established\n${operators}\n`, 'operators.csv');
  const stats = await linkRanges(duck, { inetnums: part(folders.inet), whoisOrgs: part(folders.orgs), companies: part(folders.cos), routing, operators: extra }, file);
  return { file, stats };
}

describe('linking ranges with routing data', () => {
  const read = async (file: string) =>
    (await queryRows(duck, `SELECT object_line, range_class, class_rule, class_evidence, outcome, asn, announced_by_holder FROM read_parquet('${file}') ORDER BY object_line`)).map((r) => [
      r['object_line'], r['range_class'], r['class_rule'], r['class_evidence'], r['outcome'], r['asn'] === null ? null : Number(r['asn']), r['announced_by_holder'],
    ]);

  it("classes a holder by its own network when nothing else says what it is, and never links an access provider's space", async () => {
    const without = await linkRouted(false);
    expect(await read(without.file)).toEqual([
      [1, 'business', 'default', null, 'linked', null, null],
      [2, 'business', 'default', null, 'linked', null, null],
      [3, 'business', 'default', null, 'linked', null, null],
    ]);
    const routed = await linkRouted(true);
    expect(await read(routed.file)).toEqual([
      // Vexul's own network announces a provider's space: isp, not linked to the company of its name.
      [1, 'isp', 'network-space-announced', 'AS64500', 'not-linkable', 64500, true],
      // Quiet Office has a network of its own, but another announces its range: leased; its network says nothing of it.
      [2, 'business', 'default', null, 'linked', 64502, false],
      // Plain Trading has no network: announced by its upstream, which is no evidence either way.
      [3, 'business', 'default', null, 'linked', 64500, null],
    ]);
    expect(routed.stats.announcedByOther).toBe(1);
    // The class confidence of a class from the holder's network is that network's; of the default, its measured precision.
    const confidence = await queryRows(duck, `SELECT class_confidence FROM read_parquet('${routed.file}') ORDER BY object_line`);
    expect(confidence.map((r) => r['class_confidence'])).toEqual([CLASS_CONFIDENCE['space-announced'] as number, smoothed(CLASS_MEASURED['default']!), smoothed(CLASS_MEASURED['default']!)].map((c) => Number(c.toFixed(4))));
    expect(without.stats.announcedByOther).toBe(0);
  });

  it("classes a linked company's ranges by its industry code where nothing stronger did: telecommunications unlinks it, hosting does not", async () => {
    // Without routing data: Vexul is a register company coded 61.10 (wired telecommunications), Quiet Office 63.11 (hosting).
    const { file } = await linkRouted(false, '', { '1': ['61.10', '62.01'], '2': ['63.11'], '3': ['46.90'] });
    expect(await read(file)).toEqual([
      [1, 'isp', 'industry', 'NACE 61.10', 'not-linkable', null, null],
      [2, 'hosting', 'industry', 'NACE 63.11', 'linked', null, null],
      [3, 'business', 'default', null, 'linked', null, null],
    ]);
  });

  it("takes the user's own operators by organisation handle before the network", async () => {
    const { file } = await linkRouted(true, 'org,org-vx1-ripe,hosting,"Vexul rents servers, by its site"');
    expect((await read(file))[0]).toEqual([1, 'hosting', 'operator-org', 'ORG-VX1-RIPE', 'linked', 64500, true]);
  });
});

describe('linking ranges', () => {
  it('classes a provider by its pools, links named customers (not the provider), and reads numbers and websites', async () => {
    const out = await linkFixture();
    const rows = await queryRows(duck, `SELECT object_line, range_class, class_rule, outcome, register_id, link_rule FROM read_parquet('${out}') ORDER BY object_line`);
    expect(rows.map((r) => [r['object_line'], r['range_class'], r['outcome'], r['register_id'], r['link_rule']])).toEqual([
      // The provider's allocation: isp (its children are pools), never linked although its name is a company's.
      [1, 'isp', 'not-linkable', null, null],
      [2, 'isp', 'not-linkable', null, null],
      // "Broadband" in a customer's name does not make it a pool.
      [3, 'business', 'linked', '2', 'exact-name'],
      [4, 'business', 'unmatched', null, null],
      [5, 'business', 'unmatched', null, null],
      [6, 'business', 'linked', '3', 'domain'],
      // A company called "Core …" is not infrastructure.
      [7, 'business', 'linked', '3', 'exact-name'],
    ]);
    expect(rows[0]!['class_rule']).toBe('children-access');
  });

  it('honours class corrections: by range before organisation before company; corrected to isp, never linked', async () => {
    const csv = join(tempDir(), 'classes.csv');
    await writeFile(csv, [
      'by,value,class,reason',
      'range,10.0.1.0/29,isp,"Acme resells Ropa\'s access lines, ""as ISP"""',
      'org,org-rb1-ripe,business,the provider\'s own office block',
      'register,nl-test:3,hosting,Core Systems runs a data centre',
      'range,10.0.32.0 - 10.0.32.3,education,a campus network',
      '',
    ].join('\n'));
    const read = async (file: string) => (await queryRows(duck, `SELECT object_line, range_class, class_rule, outcome, register_id FROM read_parquet('${file}') ORDER BY object_line`)).map((r) => [r['object_line'], r['range_class'], r['class_rule'], r['outcome'], r['register_id']]);
    const before = await read(await linkFixture());
    const after = await read(await linkFixture(csv));
    // Before: the allocation isp, Acme linked by name, Core Systems' two ranges business.
    expect([before[0], before[2], before[5], before[6]].map((r) => [r?.[1], r?.[3], r?.[4]])).toEqual([
      ['isp', 'not-linkable', null],
      ['business', 'linked', '2'],
      ['business', 'linked', '3'],
      ['business', 'linked', '3'],
    ]);
    expect(after).toEqual([
      // The organisation's correction makes its allocation a business: linked to its company by name.
      [1, 'business', 'correction-org', 'linked', '1'],
      before[1],
      // Corrected to isp: its exact-name company is not named.
      [3, 'isp', 'correction-range', 'not-linkable', null],
      before[3],
      before[4],
      // The company's correction: every range linked to it, unless a range correction says otherwise.
      [6, 'hosting', 'correction-register', 'linked', '3'],
      [7, 'education', 'correction-range', 'linked', '3'],
    ]);
  });

  it('refuses a corrections file with a bad line, naming the line and the value', async () => {
    const csv = join(tempDir(), 'classes.csv');
    await writeFile(csv, 'by,value,class,reason\nrange,10.0.0.0/33,isp,too long\n');
    await expect(linkFixture(csv)).rejects.toThrow('corrections/classes.csv line 2: value "10.0.0.0/33" is not an address range (prefix longer than 32)');
  });
});
