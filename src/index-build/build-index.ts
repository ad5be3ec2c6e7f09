/**
 * The index build: a snapshot's company_links (every WHOIS range with its class and company) over
 * the RIRs' allocations (ip_delegations: a country for space no WHOIS range describes) become one
 * index file and the `ip_ranges` table, in one pass.
 *
 * 1. answers (DuckDB): each range's answer — class, country, company, rule, confidence, sources —
 *    with objections applied again (one filed since the links were made still holds), numbered by
 *    distinct answer.
 * 2. records: the distinct answers, into the writer (deduplicated, strings once).
 * 3. ranges, streamed in address order: flattened so the most specific range wins, neighbours with
 *    the same answer merged, cut where the announcing network changes (routes.ts: the routing data's
 *    most specific announcement), each piece written to the index and as an ip_ranges row with its
 *    network's AS number and name.
 */
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import { overlapsV4Aliases, IndexWriter, type RecordInput } from '../index-file/write.js';
import { AnswerColumns } from './answer-columns.js';
import type { IndexMeta, SourceAttribution } from '../index-file/layout.js';
import type { ParquetTableWriter } from '../lake/parquet.js';
import { rangeValues } from '../lake/range-columns.js';
import { blockedCompaniesSql, loadObjections } from '../links/objections.js';
import { loadCorrections } from '../links/corrections.js';
import { withNameKey } from '../names/name-key-sql.js';
import { parquet } from '../lake/sql.js';
import { sourceById } from '../sources/catalog.js';
import { RangeFlattener, V4_STEPS, V6_STEPS, type FlatRange } from './flatten.js';
import { NO_ROUTES, RouteOverlay, keyValue, readRoutes, type Network } from './routes.js';

/** Where the build reads from: Parquet files (hive paths kept) and the objection list. */
export interface BuildInputs {
  companyLinks: readonly string[];
  /** The snapshot's companies table: city, industry codes and website of the linked companies. */
  companies: readonly string[];
  ipDelegations: readonly string[];
  suppression?: string | undefined;
  /** The users' class corrections (corrections/classes.csv). */
  corrections?: string | undefined;
  /** The routing data (routed_prefixes and as_names): each answer's announcing network. None: answers carry no network. */
  routedPrefixes?: readonly string[];
  asNames?: readonly string[];
}

/** What a build made, for the run record and the manifest. */
export interface BuildStats {
  meta: IndexMeta;
  bytes: number;
  /** Ranges with an answer (gaps not counted), by family and by class. */
  answeredRanges: number;
  byClass: Record<string, number>;
  linkedRanges: number;
  /** Distinct companies the index names. */
  linkedCompanies: number;
  /** Input ranges whose company an objection blocked at this build. */
  suppressedRanges: number;
  /** Input IPv6 ranges left out: they lie in ::ffff:0:0/96 or 2002::/16, answered from IPv4. */
  aliasRanges: number;
  /** Answered ranges the routing data gives an announcing network. */
  routedRanges: number;
}

/**
 * Country codes the RIRs write that are no country: RIPE's `EU` and APNIC's `AP` (a region: space used
 * across it), and `ZZ` (unknown, and the free pool). Kept as written in the lake; null in answers.
 */
const NOT_COUNTRIES = ['EU', 'AP', 'ZZ'] as const;

/** An answer's country from a WHOIS or delegation country: upper-cased, null when empty or no country. */
const answerCountry = (column: string) => `CASE WHEN upper(trim(${column})) IN ('', ${NOT_COUNTRIES.map((c) => `'${c}'`).join(', ')}) THEN NULL ELSE upper(trim(${column})) END`;

/** The answer columns, in the order records are numbered by. */
const ANSWER = ['range_class', 'country', 'register', 'register_id', 'company_name', 'company_country', 'lei', 'link_rule', 'confidence', 'sources', 'company_city', 'industry_scheme', 'industry_codes', 'website'] as const;

/**
 * Builds the index file at `indexPath` and fills `ranges` (an ip_ranges writer) with the same ranges,
 * tagged with `buildId`.
 */
export async function buildIndex(duck: DuckDBConnection, inputs: BuildInputs, options: { buildId: string; snapshot: string }, indexPath: string, ranges: ParquetTableWriter): Promise<BuildStats> {
  const suppressedRanges = await answersTable(duck, inputs);
  const routes = inputs.routedPrefixes === undefined ? NO_ROUTES : await readRoutes(duck, inputs.routedPrefixes, inputs.asNames ?? []);
  const answers = await AnswerColumns.read(duck, 'answer_records');
  const writer = new IndexWriter({ buildId: options.buildId, snapshot: options.snapshot, sources: attributions([...new Set([...answers.sources(), ...routes.networks.map((n) => n.source)])].sort()) });
  // Record ids by answer and network: a record goes in on first use, so an answer every range of which
  // a more specific one hides is left out. Most answers are announced by one network: the first one
  // seen and its record are kept in columns, any other in a map (a map entry each would cost ~40 bytes
  // for each of the full world's 1.6 M answers).
  const ids = new RecordIds(answers.count, routes.networks.length);
  const companies = new Set<number>();
  const stats = { answeredRanges: 0, byClass: {} as Record<string, number>, linkedRanges: 0, aliasRanges: 0, routedRanges: 0 };
  const onPiece = (family: 4 | 6, first: number | bigint, last: number | bigint, value: number, networkIndex: number) => {
    const network = routes.networks[networkIndex];
    let id = ids.get(value, networkIndex);
    const company = answers.companyKey(value);
    const record = withNetwork(answers.record(value), network);
    if (id < 0) {
      id = writer.recordId(record, true);
      ids.set(value, networkIndex, id);
      if (company >= 0) companies.add(company);
    }
    if (family === 4) writer.addV4(first as number, last as number, id);
    else writer.addV6(first as bigint, last as bigint, id);
    const klass = answers.className(value);
    stats.answeredRanges++;
    stats.byClass[klass] = (stats.byClass[klass] ?? 0) + 1;
    if (company >= 0) stats.linkedRanges++;
    if (network !== undefined) stats.routedRanges++;
    return ranges.add([...rangeValues(family === 4 ? { family, first: first as number, last: last as number } : { family, first: first as bigint, last: last as bigint }), ...rowOf(record), options.buildId]);
  };
  const overlay4 = new RouteOverlay(routes.v4, V4_STEPS);
  const overlay6 = new RouteOverlay(routes.v6, V6_STEPS);
  let waits: Promise<void>[] = [];
  const onRange = (family: 4 | 6) => (r: FlatRange<number> | FlatRange<bigint>): void => {
    const pieces = family === 4 ? overlay4.split(r.first as number, r.last as number) : overlay6.split(r.first as bigint, r.last as bigint);
    for (const p of pieces) pushWait(waits, onPiece(family, p.first, p.last, r.value, p.network));
  };
  const v4 = new RangeFlattener<number>(V4_STEPS, onRange(4));
  const v6 = new RangeFlattener<bigint>(V6_STEPS, onRange(6));
  const result = await duck.stream(`SELECT a.family, a.first_v4::UINTEGER, a.last_v4::UINTEGER, a.first_key, a.last_key, r.record_id::UINTEGER, a.rank
    FROM answers a JOIN answer_records r USING (answer_key)
    ORDER BY a.family, a.first_key, a.last_key DESC, a.rank, r.record_id`);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    stats.aliasRanges += feedChunk(chunk, v4, v6);
    if (waits.length > 0) {
      await Promise.all(waits);
      waits = [];
    }
  }
  v4.end();
  v6.end();
  await Promise.all(waits);
  const { meta, bytes } = await writer.writeFile(indexPath);
  return { meta, bytes, ...stats, linkedCompanies: companies.size, suppressedRanges };
}

/** The record id of each answer with each network (−1: none yet); network −1 is "announced by none". */
class RecordIds {
  readonly #network: Int32Array;
  readonly #id: Int32Array;
  readonly #others = new Map<number, number>();
  readonly #networks: number;

  constructor(answers: number, networks: number) {
    this.#network = new Int32Array(answers).fill(-2);
    this.#id = new Int32Array(answers);
    this.#networks = networks;
  }

  get(answer: number, network: number): number {
    if (this.#network[answer] === network) return this.#id[answer] as number;
    return this.#others.get(answer * (this.#networks + 1) + network + 1) ?? -1;
  }

  set(answer: number, network: number, id: number): void {
    if (this.#network[answer] === -2) {
      this.#network[answer] = network;
      this.#id[answer] = id;
    } else {
      this.#others.set(answer * (this.#networks + 1) + network + 1, id);
    }
  }
}

/** An answer with its announcing network, which its licence then credits too. */
function withNetwork(record: RecordInput, network: Network | undefined): RecordInput {
  if (network === undefined) return record;
  return { ...record, asn: network.asn, asName: network.name, sources: record.sources.includes(network.source) ? record.sources : [...record.sources, network.source].sort() };
}

function pushWait(waits: Promise<void>[], wait: Promise<void> | undefined): void {
  if (wait !== undefined) waits.push(wait);
}

/** Feeds one chunk of ordered answers to the flatteners; returns the IPv6 ranges left out as aliases of IPv4. */
function feedChunk(chunk: DuckDBDataChunk, v4: RangeFlattener<number>, v6: RangeFlattener<bigint>): number {
  const [family, first4, last4, firstKey, lastKey, recordId, rank] = [0, 1, 2, 3, 4, 5, 6].map((i) => chunk.getColumnVector(i));
  let aliases = 0;
  const rows = chunk.rowCount;
  for (let i = 0; i < rows; i++) {
    const value = recordId?.getItem(i) as number;
    const r = rank?.getItem(i) as number;
    if (Number(family?.getItem(i)) === 4) {
      v4.add(first4?.getItem(i) as number, last4?.getItem(i) as number, value, r);
      continue;
    }
    const first = keyValue((firstKey?.getItem(i) as { bytes: Uint8Array }).bytes);
    const last = keyValue((lastKey?.getItem(i) as { bytes: Uint8Array }).bytes);
    if (overlapsV4Aliases(first, last)) aliases++;
    else v6.add(first, last, value, r);
  }
  return aliases;
}

/**
 * The temp table `answers`: one row per input range (WHOIS ranges rank 0, RIR allocations rank 1)
 * with its answer and the number of that answer. Returns the ranges an objection blocked.
 */
async function answersTable(duck: DuckDBConnection, inputs: BuildInputs): Promise<number> {
  await loadObjections(duck, inputs.suppression);
  await duck.run(`CREATE OR REPLACE TEMP TABLE links AS
    SELECT family, first_key, last_key, first_v4, last_v4, whois_source, range_class, class_rule, country, outcome, register, register_id, company_name, company_country, lei, link_rule, confidence
    FROM ${parquet(inputs.companyLinks)}`);
  await applyCorrections(duck, inputs.corrections);
  const companies = withNameKey(`SELECT DISTINCT register, register_id, company_name AS name, company_country AS country FROM links WHERE outcome = 'linked'`, 'name', 'country');
  await duck.run(`CREATE OR REPLACE TEMP TABLE blocked AS ${blockedCompaniesSql(companies)}`);
  // What the index tells of each linked company beyond its name: read for those companies only.
  await duck.run(`CREATE OR REPLACE TEMP TABLE details AS
    SELECT c.register, c.register_id, any_value(nullif(trim(c.city), '')) AS company_city,
      any_value(CASE WHEN len(c.industry_codes) > 0 THEN c.industry_scheme END) AS industry_scheme,
      any_value(CASE WHEN len(c.industry_codes) > 0 THEN c.industry_codes END) AS industry_codes,
      any_value(nullif(trim(c.website), '')) AS website
    FROM ${parquet(inputs.companies)} c
    SEMI JOIN (SELECT DISTINCT register, register_id FROM links WHERE outcome = 'linked') l ON l.register = c.register AND l.register_id = c.register_id
    GROUP BY c.register, c.register_id`);
  const linked = `l.outcome = 'linked' AND b.register IS NULL`;
  // Each answer as one text key (a NUL-free separator, nulls marked): records are numbered by key, ranges joined to them on it.
  const key = `concat_ws(chr(1), ${ANSWER.map((c) => (c === 'sources' || c === 'industry_codes' ? `coalesce(array_to_string(${c}, ','), chr(2))` : `coalesce(CAST(${c} AS VARCHAR), chr(2))`)).join(', ')})`;
  await duck.run(`CREATE OR REPLACE TEMP TABLE answers AS
    SELECT *, ${key} AS answer_key FROM (
      SELECT l.family, l.first_key, l.last_key, l.first_v4, l.last_v4, 0 AS rank, l.outcome = 'linked' AND b.register IS NOT NULL AS blocked,
        l.range_class, ${answerCountry('l.country')} AS country,
        CASE WHEN ${linked} THEN l.register END AS register,
        CASE WHEN ${linked} THEN l.register_id END AS register_id,
        CASE WHEN ${linked} THEN l.company_name END AS company_name,
        CASE WHEN ${linked} THEN l.company_country END AS company_country,
        CASE WHEN ${linked} THEN l.lei END AS lei,
        CASE WHEN ${linked} THEN l.link_rule END AS link_rule,
        CASE WHEN ${linked} THEN round(l.confidence, 4) END AS confidence,
        CASE WHEN ${linked} THEN list_distinct([l.whois_source, l.register]) ELSE [l.whois_source] END AS sources,
        CASE WHEN ${linked} THEN d.company_city END AS company_city,
        CASE WHEN ${linked} THEN d.industry_scheme END AS industry_scheme,
        CASE WHEN ${linked} THEN d.industry_codes END AS industry_codes,
        CASE WHEN ${linked} THEN d.website END AS website
      -- Joined on the keys alone (a hash join): a condition on the left side in the ON clause of a LEFT
      -- JOIN made DuckDB compare every range with every company (187 s instead of a second on medium).
      FROM links l LEFT JOIN blocked b ON b.register = l.register AND b.register_id = l.register_id
        LEFT JOIN details d ON d.register = l.register AND d.register_id = l.register_id
      UNION ALL
      SELECT family, first_key, last_key, first_v4, last_v4, 1, false, 'unknown', ${answerCountry('country')},
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, [source], NULL, NULL, NULL, NULL
      FROM ${parquet(inputs.ipDelegations)} WHERE type IN ('ipv4', 'ipv6') AND status IN ('allocated', 'assigned')
    )`);
  await duck.run(`DROP TABLE links`);
  await duck.run(`DROP TABLE details`);
  await duck.run(`CREATE OR REPLACE TEMP TABLE answer_records AS
    SELECT row_number() OVER (ORDER BY answer_key) - 1 AS record_id, * FROM (SELECT answer_key, ${ANSWER.map((c) => `any_value(${c}) AS ${c}`).join(', ')} FROM answers GROUP BY answer_key)`);
  const blocked = await duck.runAndReadAll('SELECT count(*) FROM answers WHERE blocked');
  return Number(blocked.getRows()[0]?.[0] ?? 0);
}

/**
 * The users' class corrections by range and by company, applied again to the links (one filed since
 * the links were made holds at this build; those by organisation wait for the next links run, which
 * knows each range's organisation). A range corrected to isp or mobile answers no company.
 */
async function applyCorrections(duck: DuckDBConnection, path: string | undefined): Promise<void> {
  if ((await loadCorrections(duck, path)) === 0) return;
  const inside = `c.kind = 'range' AND links.first_key >= c.first_key AND links.last_key <= c.last_key`;
  await duck.run(`UPDATE links SET class_rule = 'correction-range',
      range_class = (SELECT c.class FROM corrections c WHERE ${inside} ORDER BY c.first_key DESC, c.last_key LIMIT 1)
    WHERE EXISTS (SELECT 1 FROM corrections c WHERE ${inside})`);
  await duck.run(`UPDATE links SET class_rule = 'correction-register', range_class = c.class FROM corrections c
    WHERE c.kind = 'register' AND links.outcome = 'linked' AND c.register = links.register AND c.register_id = links.register_id
      AND coalesce(links.class_rule, '') NOT IN ('correction-range', 'correction-org')`);
  await duck.run(`UPDATE links SET outcome = 'not-linkable' WHERE outcome = 'linked' AND range_class IN ('isp', 'mobile')`);
}

/** What the licences of these sources ask to be shown. */
function attributions(ids: readonly string[]): SourceAttribution[] {
  return ids.map((id) => {
    const s = sourceById(id);
    return { id, publisher: s.publisher, licence: s.licence, attribution: s.attribution };
  });
}

/** The answer columns of an ip_ranges row. */
function rowOf(r: RecordInput): (string | number | readonly string[] | null)[] {
  const c = r.company;
  return [
    r.class, r.country, c?.register ?? null, c?.registerId ?? null, c?.name ?? null, c?.country ?? null, c?.lei ?? null, r.linkRule, r.confidence, r.sources,
    c?.city ?? null, c?.industry?.scheme ?? null, c?.industry === null || c?.industry === undefined ? null : [...c.industry.codes], c?.website ?? null,
    r.asn ?? null, r.asName ?? null,
  ];
}
