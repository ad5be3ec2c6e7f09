/**
 * The confidence of a link: the measured precision of its rule — separately for GLEIF records and
 * national registers, whose names behave differently (an unregistered company abroad often shares a
 * GLEIF entity's exact name; a national register's names are checked against the register's own
 * legal forms). Measured with `ipreg eval links` on the medium generated world (seed 1, snapshot
 * 2026-11-01, rules links-1 as of 2026-11-27) and smoothed as (correct + 1) / (links + 2), so a rule
 * never claims certainty from a finite sample. Re-measure when a rule changes.
 */
import { sqlString } from '../lake/sql.js';

/** Links and correct links per rule, national registers and GLEIF, as measured. */
export const MEASURED: Readonly<Record<string, { national: [number, number]; gleif: [number, number] }>> = {
  'register-number': { national: [6585, 6585], gleif: [0, 0] },
  // The world quotes no LEIs in descr: an LEI is a register number, and takes that rule's measurement.
  lei: { national: [6585, 6585], gleif: [6585, 6585] },
  domain: { national: [1211, 1211], gleif: [0, 0] },
  'exact-name': { national: [152779, 152779], gleif: [42310, 38209] },
  'other-name': { national: [2310, 2275], gleif: [0, 0] },
  'exact-name-abroad': { national: [2380, 2380], gleif: [720, 656] },
  netname: { national: [5094, 5093], gleif: [6621, 6130] },
  'netname-prefix': { national: [6329, 6329], gleif: [3811, 3027] },
};

/** (correct + 1) / (links + 2). */
export function smoothed([links, correct]: [number, number]): number {
  return (correct + 1) / (links + 2);
}

/** SQL giving the confidence of a link from its rule and whether its register is GLEIF. */
export function confidenceSql(rule: string, isGleif: string): string {
  const arms = Object.entries(MEASURED).map(
    ([r, m]) => `WHEN ${sqlString(r)} THEN CASE WHEN ${isGleif} THEN ${smoothed(m.gleif).toFixed(4)} ELSE ${smoothed(m.national).toFixed(4)} END`,
  );
  return `CASE ${rule} ${arms.join(' ')} END`;
}

/**
 * Ranges and ranges of the right class per class rule (class_rule without its "holder-own-" or
 * "unnamed-in-" prefix), measured with `ipreg eval links` on the medium world (seed 1, snapshot
 * 2026-11-01, rules links-2, 2026-12-07), for the rules that gave 100 ranges or more there; smoothed
 * as the link confidence is. A class from a correction is the user's word (1.0); one from the operator
 * list, the names' words or the holder's network, which the world gives too few ranges to measure,
 * takes that evidence's precision on the real labelled set (src/links/networks.ts CLASS_CONFIDENCE).
 * `nameless` (unknown: no name at all) is no class to be right about and has none.
 */
export const CLASS_MEASURED: Readonly<Record<string, [number, number]>> = {
  'access-pool': [90571, 87699],
  'assignment': [388617, 383982],
  'campus': [1108, 1108],
  'children-access': [5128, 5127],
  'children-campus': [1080, 1080],
  'children-customers': [266, 12],
  'children-government': [384, 384],
  'children-hosting': [23334, 23334],
  'children-mobile': [358, 296],
  'customer-unnamed': [67645, 67645],
  'default': [14204, 13710],
  'government': [972, 972],
  'hosting': [87019, 86996],
  'infrastructure': [29351, 29351],
  'mobile-pool': [845, 813],
  'reseller': [8579, 8579],
  'words-business': [282, 282],
  'words-education': [524, 524],
  'words-government': [428, 409],
  // Most of the rest are access providers' customers that the registers code as telecommunications
  // or hosting companies: business by the world's truth, a provider's space by this rule.
  industry: [1134, 593],
};

/** SQL giving a range's class confidence from its class rule, and the announcing network's confidence for a network rule. */
export function classConfidenceSql(rule: string, networkConfidence: string, fallback: Readonly<Record<string, number>>): string {
  const base = `regexp_replace(${rule}, '^(holder-own-|unnamed-in-)', '')`;
  const measured = Object.entries(CLASS_MEASURED).map(([r, m]) => `WHEN ${sqlString(r)} THEN ${smoothed(m).toFixed(4)}`);
  const known = Object.entries(fallback).map(([r, c]) => `WHEN ${sqlString(r)} THEN ${c}`);
  return `CASE WHEN starts_with(${rule}, 'correction-') THEN 1.0 WHEN starts_with(${base}, 'network-') THEN ${networkConfidence}
    ELSE CASE ${base} ${[...measured, ...known].join(' ')} END END`;
}
