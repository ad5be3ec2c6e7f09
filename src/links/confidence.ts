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
