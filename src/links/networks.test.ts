/**
 * The class of a network from the known-operator list, its name's words and the space it announces,
 * on real routing rows (fixtures/routing, from @ip-location-db/asn) and on a small labelled set: the
 * expected classes follow from the rules in networks.ts, worked out by hand below.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linesOf } from '../formats/lines.js';
import { ingestRouting, Networks, networksRelationSql } from '../ingest/routing-rows.js';
import type { Row } from '../lake/parquet.js';
import { openDuckDb } from '../lake/duckdb.js';
import { builtinClassWords, parseOperators } from './class-data.js';
import { evaluateClasses } from './evaluate-classes.js';
import { classifyNetworks } from './networks.js';

const fixture = (name: string) => new URL(`fixtures/routing/${name}`, import.meta.url).pathname;
const ROUTING = [fixture('asn-ipv4.sample.csv'), fixture('asn-ipv6.sample.csv')];
/** The fixture's networks, read as the pipeline reads routing files. */
async function fixtureNetworks(): Promise<Row[]> {
  const networks = new Networks();
  for (const file of ROUTING) await ingestRouting(linesOf(file), file, { add: () => undefined }, networks);
  return networks.rows();
}

const OPERATORS = parseOperators(
  ['by,value,class,established', 'asn,12322,isp,"Free: French access provider"', 'name,worldstream,hosting,a hosting provider by its site', 'name,\\bfree\\b,mobile,an entry the AS number must beat'].join('\n'),
  'test-operators.csv',
);

describe('network classes', () => {
  let duck: DuckDBConnection;
  let dir: string;
  beforeAll(async () => {
    duck = await openDuckDb();
    dir = await mkdtemp(join(tmpdir(), 'ipreg-networks-'));
  });
  afterAll(async () => {
    duck.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the routing files: each network with its name and the IPv4 space and blocks it announces', async () => {
    const byAsn = new Map((await fixtureNetworks()).map((r) => [r[0] as number, r.slice(1)]));
    // A name the file quotes for its comma comes back whole.
    expect(byAsn.get(13335)).toEqual(['Cloudflare, Inc.', 256, 1, 0]);
    // AS196: four blocks; counted from the fixture with grep (lines ending ",196,The Boeing Company").
    expect(byAsn.get(196)?.[2]).toBe(4);
    expect(byAsn.get(12322)?.[2]).toBe(17);
    expect(byAsn.get(49981)?.[2]).toBe(110);
  });

  it('takes the operator list by number before names, names before words, words before space, space before the default', async () => {
    const relation = networksRelationSql(await fixtureNetworks());
    await classifyNetworks(duck, relation, { words: builtinClassWords(), operators: OPERATORS });
    const classes = async () =>
      new Map(((await duck.runAndReadAll('SELECT asn::INTEGER, as_class, class_evidence FROM network_classes')).getRows() as [number, string, string][]).map(([a, c, e]) => [a, `${c} ${e}`]));
    let c = await classes();
    expect(c.get(12322)).toBe('isp operator-asn'); // the number beats the name pattern \bfree\b
    expect(c.get(49981)).toBe('hosting operator-name');
    expect(c.get(13798)).toBe('business default'); // L'Oreal USA: a /16 in three blocks is a company's
    expect(c.get(196)).toBe('business default');
    expect(c.get(2611)).toBe('isp space-announced'); // BELNET: 33 blocks, large ones; its name says nothing
    await classifyNetworks(duck, relation, { words: builtinClassWords(), operators: [] });
    c = await classes();
    expect(c.get(12322)).toBe('isp space-announced'); // 9.4 M addresses in 17 blocks
    expect(c.get(49981)).toBe('hosting space-fragmented'); // 74,240 addresses in 110 blocks: 675 a block
    expect(c.get(13335)).toBe('business default'); // one /24
  });

  it('evaluates a labelled set: accuracy, confusion, each evidence, access providers left linkable', async () => {
    const cases = join(dir, 'cases.csv');
    await writeFile(
      cases,
      [
        'asn,as_name,rir,country,class,reason',
        '12322,Free SAS,ripe,FR,isp,access provider',
        '13798,L\'Oreal USA,arin,US,business,cosmetics',
        '2611,BELNET,ripe,BE,education,research network',
        '49981,WorldStream B.V.,ripe,NL,hosting,hosting',
        '196,The Boeing Company,arin,US,business,aircraft',
        '64496,Example Mobile Wireless,ripe,NL,mobile,a documentation AS number: in no routing file',
        '64497,Quiet Access Ltd,ripe,GB,isp,a documentation AS number: nothing says what it is',
      ].join('\n'),
    );
    const e = await evaluateClasses(duck, cases, ROUTING, { words: builtinClassWords(), operators: OPERATORS });
    expect(e.cases).toBe(7);
    expect(e.unrouted).toBe(2);
    // Wrong: BELNET (space says isp) and Quiet Access (nothing says anything: business).
    expect(e.correct).toBe(5);
    expect(e.accuracy).toBeCloseTo(5 / 7, 10);
    expect(e.confusion['education']).toEqual({ isp: 1 });
    expect(e.confusion['isp']).toEqual({ isp: 1, business: 1 });
    expect(e.byEvidence['default']).toEqual({ predicted: 3, correct: 2, precision: 2 / 3 });
    expect(e.byEvidence['words-mobile']).toEqual({ predicted: 1, correct: 1, precision: 1 });
    expect(e.accessAsLinkable).toEqual([{ asn: 64497, name: 'Quiet Access Ltd', predicted: 'business', evidence: 'default' }]);
    // The side of the line: BELNET (education as isp) is a linkable network given an access class.
    expect(e.linkable).toEqual({ correct: 5, accuracy: 5 / 7, linkableAsAccess: 1 });
    expect(e.wrong.map((w) => w.asn)).toEqual([2611, 64497]);
  });
});
