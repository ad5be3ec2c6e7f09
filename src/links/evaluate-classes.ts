/**
 * How right the network classes are on a labelled set of real networks (src/links/fixtures/real-classes
 * and any file of the same shape: asn, as_name, rir, country, class, reason): each case's network is
 * classed from the routing data (its name and the space it announces) the way `classifyNetworks` does
 * in the pipelines, and the class is compared with the label. Prints the accuracy, the confusion
 * matrix, each evidence's precision, and the access providers (isp, mobile) that were given a class
 * whose ranges may be linked to a company.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { linesOf } from '../formats/lines.js';
import { ingestRouting, Networks, networksRelationSql } from '../ingest/routing-rows.js';
import { sqlString } from '../lake/sql.js';
import type { NetworkEvidence } from './networks.js';
import { classifyNetworks } from './networks.js';
import { NETWORK_CLASSES } from './class-data.js';

export interface ClassEvaluation {
  cases: number;
  /** Cases whose network the routing data does not announce (classed from the case's name alone). */
  unrouted: number;
  /** Lines of the routing files that were no announced range (skipped, as the pipeline skips them). */
  routingSkipped: number;
  correct: number;
  accuracy: number;
  /** truth class → predicted class → cases */
  confusion: Record<string, Record<string, number>>;
  byEvidence: Record<string, { predicted: number; correct: number; precision: number }>;
  /**
   * The decision the classes serve: may a network's ranges name a company (every class but isp and
   * mobile) or not. Right when the prediction and the label fall on the same side.
   */
  linkable: { correct: number; accuracy: number; linkableAsAccess: number };
  /** Labelled isp or mobile, classed as something whose ranges may name a company. */
  accessAsLinkable: { asn: number; name: string; predicted: string; evidence: string }[];
  /** Every wrong case, for a person to read. */
  wrong: { asn: number; name: string; truth: string; predicted: string; evidence: string; value: string }[];
}

/** Evaluates the classes of the cases in `casesFile` against routing files `routing` (ip-location-db asn CSV). */
export async function evaluateClasses(duck: DuckDBConnection, casesFile: string, routing: readonly string[], evidence: NetworkEvidence): Promise<ClassEvaluation> {
  await duck.run(`CREATE OR REPLACE TEMP TABLE class_cases AS
    SELECT CAST(asn AS BIGINT) AS asn, as_name, rir, country, class, reason
    FROM read_csv(${sqlString(casesFile)}, header = true, all_varchar = true, quote = '"', escape = '"', strict_mode = true)`);
  // The routing files read as the pipeline reads them (src/ingest/routing-rows.ts): each network's name and space.
  const networks = new Networks();
  let routingSkipped = 0;
  for (const file of routing) {
    const counts = await ingestRouting(linesOf(file), file, { add: () => undefined }, networks);
    routingSkipped += Object.values(counts.skipped).reduce((a, b) => a + b, 0);
  }
  const wanted = new Set(((await duck.runAndReadAll('SELECT asn::DOUBLE FROM class_cases')).getRows() as [number][]).map(([asn]) => asn));
  const routed = networks.rows().filter((r) => wanted.has(r[0] as number));
  await duck.run(`CREATE OR REPLACE TEMP TABLE case_networks AS
    SELECT c.asn, coalesce(r.as_name, c.as_name) AS as_name, coalesce(r.v4_addresses, 0) AS v4_addresses, coalesce(r.v4_ranges, 0) AS v4_ranges, coalesce(r.v6_ranges, 0) AS v6_ranges, r.asn IS NULL AS unrouted
    FROM class_cases c LEFT JOIN (${networksRelationSql(routed)}) r USING (asn)`);
  await classifyNetworks(duck, 'SELECT * FROM case_networks', evidence);
  const reader = await duck.runAndReadAll(`SELECT c.asn::DOUBLE AS asn, c.as_name, c.class AS truth, n.as_class AS predicted, n.class_evidence AS evidence, n.class_value AS value, cn.unrouted
    FROM class_cases c JOIN network_classes n USING (asn) JOIN case_networks cn USING (asn) ORDER BY c.asn`);
  const rows = reader.getRowObjectsJson() as { asn: number; as_name: string; truth: string; predicted: string; evidence: string; value: string; unrouted: boolean }[];
  const confusion: Record<string, Record<string, number>> = {};
  for (const c of NETWORK_CLASSES) confusion[c] = {};
  const byEvidence: ClassEvaluation['byEvidence'] = {};
  let correct = 0;
  const wrong: ClassEvaluation['wrong'] = [];
  const accessAsLinkable: ClassEvaluation['accessAsLinkable'] = [];
  const access = (c: string) => c === 'isp' || c === 'mobile';
  let sideRight = 0;
  let linkableAsAccess = 0;
  for (const r of rows) {
    if (access(r.truth) === access(r.predicted)) sideRight++;
    else if (!access(r.truth)) linkableAsAccess++;
    const right = r.truth === r.predicted;
    if (right) correct++;
    else wrong.push({ asn: r.asn, name: r.as_name, truth: r.truth, predicted: r.predicted, evidence: r.evidence, value: r.value });
    const row = (confusion[r.truth] ??= {});
    row[r.predicted] = (row[r.predicted] ?? 0) + 1;
    const e = (byEvidence[r.evidence] ??= { predicted: 0, correct: 0, precision: 0 });
    e.predicted++;
    if (right) e.correct++;
    if (access(r.truth) && !access(r.predicted)) accessAsLinkable.push({ asn: r.asn, name: r.as_name, predicted: r.predicted, evidence: r.evidence });
  }
  for (const e of Object.values(byEvidence)) e.precision = e.correct / e.predicted;
  await duck.run('DROP TABLE IF EXISTS class_cases; DROP TABLE IF EXISTS case_networks; DROP TABLE IF EXISTS network_classes');
  return { cases: rows.length, unrouted: rows.filter((r) => r.unrouted).length, routingSkipped, correct, accuracy: rows.length === 0 ? 0 : correct / rows.length,
    linkable: { correct: sideRight, accuracy: rows.length === 0 ? 0 : sideRight / rows.length, linkableAsAccess }, confusion, byEvidence, accessAsLinkable, wrong };
}
