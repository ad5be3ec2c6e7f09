/**
 * Linking WHOIS ranges to registered companies, as set-oriented SQL in DuckDB (the same shapes run on
 * Athena): every inetnum/inet6num gets a class and, where the class allows and the evidence is
 * unambiguous, one company with the rule, the WHOIS attribute and text that matched, a score and a
 * confidence.
 *
 * One module per stage, in src/links/stages/, each making the temporary tables the next reads:
 *
 * 1. ranges: inetnums with their organisation's name and type.
 * 2. nesting: each range's top-level range (its allocation), by one sort per registry and family.
 *    networks: the network announcing each range (routing data), classed, and whether it is the
 *    holder's own.
 * 3. classes: a leaf class from the range's own words (pools, mobile, infrastructure, hosting …), a
 *    top-level class from its descendants, the operator list, its holder's name in the regions'
 *    languages and its own network's class, and the range's class from both.
 *    Ranges classed isp or mobile are never linked: their users are an access provider's customers.
 * 4. evidence: register numbers, LEIs and websites quoted in descr; names from org-name, descr and
 *    netname reduced to the name key and matched to companies' names and other names in the country.
 * 5. decision: the strongest rule wins; two companies on the strongest rule is ambiguous, no link.
 *    industry: a linked company's industry code (telecommunications, hosting, education, public
 *    administration) classes its ranges where only a weak rule did; made isp or mobile, unlinked.
 *    Users' class corrections apply after the classes (by range, by organisation) and after the
 *    decision (by company): src/links/stages/corrections.ts.
 * 6. suppression: a company on the objection list never appears; the range is marked suppressed.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { classifyRanges } from './stages/classes.js';
import { correctClasses, correctCompanies } from './stages/corrections.js';
import { decideLinks } from './stages/decision.js';
import { gatherEvidence } from './stages/evidence.js';
import { nestRanges } from './stages/nesting.js';
import { announceRanges, type RoutingInputs } from './stages/networks.js';
import { classByIndustry } from './stages/industry.js';
import { builtinClassWords, builtinIndustryClasses, builtinOperators, type Operator } from './class-data.js';
import { writeLinks, type LinkStats } from './stages/output.js';
import { loadRanges } from './stages/ranges.js';
import { parquet } from './stages/sql.js';

export type { LinkStats } from './stages/output.js';

/** The version of the rules, recorded in every row (bump when a rule changes what links). */
export const RULE_VERSION = 'links-2';

/** Where the linking reads from (Parquet files, hive-partitioned paths) and the suppression list. */
export interface LinkInputs {
  inetnums: readonly string[];
  whoisOrgs: readonly string[];
  companies: readonly string[];
  /** CSV with columns register, register_id, name (any may be empty); absent: no objections. */
  suppression?: string | undefined;
  /** The users' class corrections (corrections/classes.csv); absent: none. */
  corrections?: string | undefined;
  /** Routing data (routed_prefixes, as_names) and the aut-nums that say which networks are a holder's own; absent: no network evidence. */
  routing?: RoutingInputs | undefined;
  /** The users' own known operators, read before the built-in list. */
  operators?: readonly Operator[] | undefined;
}

/** Runs the linking on `duck` and writes company_links rows (without the snapshot partition) to `out` (a Parquet file). */
export async function linkRanges(duck: DuckDBConnection, inputs: LinkInputs, out: string): Promise<LinkStats> {
  const evidence = { words: builtinClassWords(), operators: [...(inputs.operators ?? []), ...builtinOperators()] };
  await loadRanges(duck, inputs);
  await nestRanges(duck);
  await announceRanges(duck, inputs.routing, evidence);
  await classifyRanges(duck, evidence);
  await correctClasses(duck, inputs.corrections);
  await gatherEvidence(duck, inputs);
  await decideLinks(duck);
  await classByIndustry(duck, builtinIndustryClasses());
  await correctCompanies(duck);
  return writeLinks(duck, inputs.suppression, out, RULE_VERSION, parquet(inputs.companies));
}
