import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/temp-dir.js';
import { IP_DELEGATIONS, INETNUMS, WHOIS_ORGS, AUT_NUMS } from '../../schemas/ip-allocation-tables.js';
import { openDuckDb, queryRows } from '../../test/support/duckdb.js';
import { testS3Config } from '../../test/support/test-stores.js';
import { chunksOf, chunksOfText, linesOf } from '../formats/lines.js';
import { ParquetTableWriter } from '../lake/parquet.js';
import { openStore } from '../store/open-store.js';
import { ingestDelegated, ingestRpsl } from './ip-allocation-rows.js';

const SAMPLES = new URL('../../data-samples/', import.meta.url);
const tempDir = useTempDir('ingest');

describe('a changed RPSL format', () => {
  it('fails the file when a required attribute is missing from every object, naming file, class and attribute', async () => {
    const text = Array.from({ length: 25 }, (_, i) => `inetnum:        10.0.${i}.0 - 10.0.${i}.255\nnet-name:       RENAMED-${i}\nstatus:         ASSIGNED PA\ncountry:        NL\n`).join('\n');
    const writers = { inetnums: await ParquetTableWriter.open(INETNUMS), orgs: await ParquetTableWriter.open(WHOIS_ORGS), autNums: await ParquetTableWriter.open(AUT_NUMS) };
    try {
      await expect(ingestRpsl(chunksOfText(text), writers, 'ripe.db.inetnum.gz', { inetnum: ['netname', 'status'] })).rejects.toThrow(
        'ripe.db.inetnum.gz: none of its 25 inetnum objects has "netname:" — the dump\'s format changed',
      );
    } finally {
      await Promise.all(Object.values(writers).map((w) => w.discard()));
    }
  });
});

describe('IP allocation rows from the generated world', () => {
  it('turns the RIPE dumps into inetnums, whois_orgs and aut_nums, skipping exactly the malformed objects', async () => {
    const store = openStore(join(tempDir(), 'lake'), testS3Config());
    // Small parts, so the file spans several and the rows are counted across them.
    // Small parts, so the file spans several and the rows are counted across them.
    const writers = { inetnums: await ParquetTableWriter.open(INETNUMS, { partRows: 1000 }), orgs: await ParquetTableWriter.open(WHOIS_ORGS), autNums: await ParquetTableWriter.open(AUT_NUMS) };
    let skipped = 0;
    for (const cls of ['inetnum', 'inet6num', 'organisation', 'aut-num']) {
      const counts = await ingestRpsl(chunksOf(new URL(`ripe-rpsl/ripe.db.${cls}.gz`, SAMPLES).pathname, 'latin1'), writers);
      skipped += Object.values(counts.skipped).reduce((a, b) => a + b, 0);
    }
    const malformed = (await readFile(new URL('truth/malformed.csv', SAMPLES), 'utf8')).split('\n').filter((l) => l.startsWith('ripe-rpsl,'));
    expect(skipped).toBe(malformed.length);
    const truth = gunzipSync(await readFile(new URL('truth/whois-objects.csv.gz', SAMPLES))).toString('utf8').split('\n').filter((l) => l.startsWith('ripe-rpsl,'));
    const count = (cls: string) => truth.filter((l) => l.split(',')[3] === cls).length;
    const key = 'tables/inetnums/source=ripe-rpsl/snapshot=2026-11-01';
    const written = await writers.inetnums.finish(store, key);
    expect(written.rows).toBe(count('inetnum') + count('inet6num'));
    expect(written.parts.length).toBe(Math.ceil(written.rows / 1000));
    expect((await writers.orgs.finish(store, 'orgs')).rows).toBe(count('organisation'));
    expect((await writers.autNums.finish(store, 'autnums')).rows).toBe(count('aut-num'));

    const duck = await openDuckDb();
    const path = join(tempDir(), 'lake', key, '*.parquet');
    // The inetnum and inet6num dumps both start at line 8: order by family too, or the first is either.
    const [first] = await queryRows(duck, `SELECT first_address, last_address, family, netname, status, registry_source, line FROM read_parquet('${path}') ORDER BY line, family LIMIT 1`);
    const firstTruth = truth.find((l) => l.split(',')[3] === 'inetnum')!.split(',');
    expect(`${first!['first_address']} - ${first!['last_address']}`).toBe(firstTruth[4]);
    expect(first).toMatchObject({ family: 4, registry_source: 'RIPE', line: Number(firstTruth[2]) });
    const [families] = await queryRows(duck, `SELECT count(*) FILTER (family = 6) AS v6, count(*) FILTER (first_v4 IS NULL) AS no_v4 FROM read_parquet('${path}')`);
    expect(families!['v6']).toBe(count('inet6num'));
    expect(families!['no_v4']).toBe(count('inet6num'));
    duck.closeSync();
  });

  it('turns a delegated file into ip_delegations with ranges, counts and dates', async () => {
    const store = openStore(join(tempDir(), 'lake2'), testS3Config());
    const writer = await ParquetTableWriter.open(IP_DELEGATIONS);
    const counts = await ingestDelegated(linesOf(new URL('arin-delegated/delegated-arin-extended-latest', SAMPLES).pathname), 'delegated-arin-extended-latest', writer);
    const written = await writer.finish(store, 'd');
    expect(written.rows).toBe(counts.records);
    const duck = await openDuckDb();
    const rows = await queryRows(duck, `SELECT type, count(*) AS n, sum(CASE WHEN type = 'ipv4' AND address_count <> last_v4 - first_v4 + 1 THEN 1 ELSE 0 END) AS wrong FROM read_parquet('${join(tempDir(), 'lake2', 'd', '*.parquet')}') GROUP BY type ORDER BY type`);
    expect(rows.map((r) => r['type'])).toEqual(['asn', 'ipv4', 'ipv6']);
    expect(rows.every((r) => r['wrong'] === 0)).toBe(true);
    duck.closeSync();
  });
});
