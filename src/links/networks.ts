/**
 * The class of a network (an autonomous system): isp, mobile, hosting, education, government or
 * business, with the evidence that gave it and a class confidence. Evidence, strongest first:
 *
 * 1. the known-operator list, by AS number, then by name pattern (src/links/data/operators.csv and
 *    the user's own list);
 * 2. the words of its name, in the languages of the RIR regions (src/links/data/class-words.csv):
 *    government first (a ministry of education or of telecommunications is a ministry, the City of
 *    College Station a city), then the words of ordinary businesses (a bank, a hospital, the American
 *    College of Cardiology — these may announce much space), education, mobile, hosting, access;
 * 3. the space it announces: a network that announces a /16 or more of IPv4 is a provider's —
 *    measured on the real labelled set, 138 of 140 access providers announce that much and 8 of 38
 *    ordinary companies do — and a hosting provider's when that space is announced in pieces smaller
 *    than a /21 on average (hosting providers announce many small blocks: 24 of 59 in the real set,
 *    against 8 of 138 access providers);
 * 4. otherwise an ordinary business.
 *
 * Makes the temp table `network_classes` (asn, as_name, as_class, class_evidence, class_value,
 * class_confidence) from a relation of networks (asn, as_name, v4_addresses, v4_ranges, v6_ranges).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../lake/sql.js';
import { classWordsSql, foldedNameSql, operatorKeysSql, operatorNameSql, spacedNameSql, type ClassWords, type Operator } from './class-data.js';

/** A /16 of IPv4 announced: the space of a provider, not of an office. */
export const PROVIDER_SPACE = 65536;
/** …announced in this many blocks or more: one company's legacy /16 is announced in a few. */
export const PROVIDER_BLOCKS = 16;
/** A provider's space announced in blocks smaller than this on average (a /21) is a hosting provider's. */
export const HOSTING_MEAN_BLOCK = 2048;

/**
 * The probability that a class from each evidence is right, measured on the real labelled set
 * (src/links/fixtures/real-classes, `npm run eval:classes`, the "calibrated" column): each evidence's
 * precision over the cases it decides with the known-operator list off (so that each is measured on as
 * many cases as it can decide), with one right and one wrong case added and rounded down to two
 * places; the list's two evidences pooled and measured with it on (280 of 282 right on 2026-12-07).
 * Recalibrate when the lists change (docs/linking.md).
 */
export const CLASS_CONFIDENCE: Readonly<Record<string, number>> = {
  'operator-asn': 0.98,
  'operator-name': 0.98,
  'words-education': 0.97, // 42 of 42
  'words-government': 0.95, // 20 of 20
  'words-business': 0.95, // 19 of 19
  'words-hosting': 0.91, // 10 of 10
  'words-isp': 0.89, // 95 of 105
  'words-mobile': 0.7, // 6 of 8
  'space-fragmented': 0.78, // 21 of 26
  'space-announced': 0.44, // 64 of 144: most of the rest are mobile operators (access all the same) and hosting providers
  default: 0.64, // 48 of 74
};

export interface NetworkEvidence {
  words: readonly ClassWords[];
  /** Empty: the operator list switched off. */
  operators: readonly Operator[];
}

/** Classes every network of `networks` (a SQL relation); makes `network_classes`. */
export async function classifyNetworks(duck: DuckDBConnection, networks: string, evidence: NetworkEvidence): Promise<void> {
  const confidence = `CASE split_part(pick, '|', 2) ${Object.entries(CLASS_CONFIDENCE)
    .map(([e, c]) => `WHEN ${sqlString(e)} THEN ${c}`)
    .join(' ')} END`;
  await duck.run(`CREATE OR REPLACE TEMP TABLE network_classes AS
    SELECT asn, as_name, split_part(pick, '|', 1) AS as_class, split_part(pick, '|', 2) AS class_evidence, split_part(pick, '|', 3) AS class_value, ${confidence} AS class_confidence
    FROM (SELECT n.asn, n.as_name, coalesce(
        CASE WHEN k.class IS NOT NULL THEN k.class || '|operator-asn|AS' || n.asn END,
        ${operatorNameSql('n.folded', evidence.operators)},
        ${classWordsSql('n.spaced', evidence.words, ['government', 'business', 'education', 'mobile', 'hosting', 'isp'])},
        CASE WHEN n.v4_addresses < ${PROVIDER_SPACE} OR n.v4_ranges < ${PROVIDER_BLOCKS} THEN NULL
             WHEN n.v4_addresses < ${HOSTING_MEAN_BLOCK} * n.v4_ranges THEN 'hosting|space-fragmented|' || n.v4_ranges || ' blocks'
             ELSE 'isp|space-announced|' || n.v4_addresses END,
        'business|default|') AS pick
      -- Each name folded once, for the operator patterns and for the words.
      FROM (SELECT *, ${foldedNameSql('as_name')} AS folded, ${spacedNameSql('as_name')} AS spaced FROM (${networks})) n
      LEFT JOIN (${operatorKeysSql(evidence.operators)}) k ON k.key_kind = 'asn' AND k.value = CAST(n.asn AS VARCHAR))`);
}
