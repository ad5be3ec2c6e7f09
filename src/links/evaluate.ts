/**
 * How good the links are, against a generated world's truth (truth/whois-objects.csv.gz: for every
 * WHOIS object the class of its range and the company it names, if a register or GLEIF holds it).
 * Objects are matched by registry, family and line. A truth link is a range whose reason is
 * `registered` or `gleif`; one whose company is on the world's objection list is expected unlinked.
 * A predicted link is right when it names the truth's register and number, or the truth's LEI.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../lake/sql.js';
import { RANGE_CLASSES } from './class-rules.js';

/** Precision, recall and F1 of one slice of the links. */
export interface LinkScore {
  truthLinks: number;
  predictedLinks: number;
  correct: number;
  precision: number;
  recall: number;
  f1: number;
}

/** The evaluation of a links table against a world. */
export interface LinkEvaluation {
  objects: number;
  unmatchedObjects: number;
  overall: LinkScore;
  byCountry: Record<string, LinkScore>;
  byRule: Record<string, { predicted: number; correct: number; precision: number }>;
  /** truth class → predicted class → ranges */
  confusion: Record<string, Record<string, number>>;
  /** Per class rule (its holder-own- and unnamed-in- prefixes taken off): ranges, and ranges whose truth class it gave. */
  byClassRule: Record<string, { ranges: number; correct: number; precision: number }>;
  accessRanges: number;
  accessLinked: number;
  /** Share of truth isp/mobile ranges the links gave a company. */
  accessLinkedShare: number;
}

function score(truthLinks: number, predictedLinks: number, correct: number): LinkScore {
  const precision = predictedLinks === 0 ? 1 : correct / predictedLinks;
  const recall = truthLinks === 0 ? 1 : correct / truthLinks;
  return { truthLinks, predictedLinks, correct, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

/** Evaluates the company_links Parquet files `links` against the world at `worldDir`. */
export async function evaluateLinks(duck: DuckDBConnection, links: readonly string[], worldDir: string): Promise<LinkEvaluation> {
  const truth = `read_csv(${sqlString(`${worldDir}/truth/whois-objects.csv.gz`)}, all_varchar = true, header = true, quote = '"', escape = '"')`;
  const objections = `read_csv(${sqlString(`${worldDir}/truth/suppression.csv`)}, all_varchar = true, header = true, quote = '"', escape = '"')`;
  await duck.run(`CREATE OR REPLACE TEMP TABLE eval AS
    SELECT t.source, t.range_class AS truth_class, l.range_class AS predicted_class,
      t.reason IN ('registered', 'gleif') AND NOT EXISTS (SELECT 1 FROM ${objections} o WHERE o.register = t.register AND o.register_id = t.register_id) AS truth_link,
      l.outcome = 'linked' AS predicted_link,
      l.outcome = 'linked' AND ((t.register <> '' AND l.register = t.register AND l.register_id = t.register_id) OR (t.lei <> '' AND l.lei = t.lei)) AS right_company,
      l.link_rule, regexp_replace(l.class_rule, '^(holder-own-|unnamed-in-)', '') AS class_rule, coalesce(nullif(l.country, ''), '??') AS country, l.object_line IS NULL AS missing
    FROM ${truth} t
    LEFT JOIN read_parquet([${links.map(sqlString).join(', ')}]) l
      ON l.whois_source = t.source AND l.object_class = t.object_class AND l.object_line = CAST(t.line AS INTEGER)
    WHERE t.object_class IN ('inetnum', 'inet6num')`);
  // A link is correct when the range should be linked (no objection) and names the truth's company.
  await duck.run(`CREATE OR REPLACE TEMP TABLE eval AS SELECT *, truth_link AND right_company AS correct FROM eval`);
  const rows = async (sql: string) => (await duck.runAndReadAll(sql)).getRowObjectsJson() as Record<string, string | number | boolean | null>[];
  const [totals] = await rows(`SELECT count(*)::INTEGER AS objects, count(*) FILTER (missing)::INTEGER AS missing,
      count(*) FILTER (truth_link AND NOT missing)::INTEGER AS t, count(*) FILTER (predicted_link)::INTEGER AS p, count(*) FILTER (correct)::INTEGER AS c,
      count(*) FILTER (truth_class IN ('isp', 'mobile') AND NOT missing)::INTEGER AS access, count(*) FILTER (truth_class IN ('isp', 'mobile') AND predicted_link)::INTEGER AS access_linked
    FROM eval`);
  const byCountry: Record<string, LinkScore> = {};
  for (const r of await rows(`SELECT country, count(*) FILTER (truth_link)::INTEGER AS t, count(*) FILTER (predicted_link)::INTEGER AS p, count(*) FILTER (correct)::INTEGER AS c FROM eval WHERE NOT missing GROUP BY country ORDER BY country`)) {
    if (Number(r['t']) + Number(r['p']) > 0) byCountry[String(r['country'])] = score(Number(r['t']), Number(r['p']), Number(r['c']));
  }
  const byRule: LinkEvaluation['byRule'] = {};
  for (const r of await rows(`SELECT link_rule, count(*)::INTEGER AS p, count(*) FILTER (correct)::INTEGER AS c FROM eval WHERE predicted_link GROUP BY link_rule ORDER BY link_rule`)) {
    byRule[String(r['link_rule'])] = { predicted: Number(r['p']), correct: Number(r['c']), precision: Number(r['c']) / Number(r['p']) };
  }
  const confusion: Record<string, Record<string, number>> = {};
  for (const c of RANGE_CLASSES) confusion[c] = {};
  for (const r of await rows(`SELECT truth_class, coalesce(predicted_class, 'missing') AS predicted, count(*)::INTEGER AS n FROM eval GROUP BY ALL`)) {
    (confusion[String(r['truth_class'])] ??= {})[String(r['predicted'])] = Number(r['n']);
  }
  const byClassRule: LinkEvaluation['byClassRule'] = {};
  for (const r of await rows(`SELECT class_rule, count(*)::INTEGER AS n, count(*) FILTER (truth_class = predicted_class)::INTEGER AS c FROM eval WHERE NOT missing GROUP BY class_rule ORDER BY class_rule`)) {
    byClassRule[String(r['class_rule'])] = { ranges: Number(r['n']), correct: Number(r['c']), precision: Number(r['c']) / Number(r['n']) };
  }
  const access = Number(totals!['access']);
  const accessLinked = Number(totals!['access_linked']);
  return {
    objects: Number(totals!['objects']),
    unmatchedObjects: Number(totals!['missing']),
    overall: score(Number(totals!['t']), Number(totals!['p']), Number(totals!['c'])),
    byCountry,
    byRule,
    confusion,
    byClassRule,
    accessRanges: access,
    accessLinked,
    accessLinkedShare: access === 0 ? 0 : accessLinked / access,
  };
}
