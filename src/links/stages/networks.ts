/**
 * Stage 2b, networks: who announces each range, and what that network is. Every announcing network
 * of the routing data (`as_names`) is classed (src/links/networks.ts: the operator list, its name's
 * words, the space it announces); every range gets the network announcing its first address (the
 * routed prefix that holds it, `routed_prefixes`) and whether that network is its holder's own — an
 * aut-num of the range's organisation (or of its allocation's) with that number. A range whose holder
 * has a network of its own and another announces it is leased or customer space: the holder in WHOIS
 * is not who uses it, and the run counts such ranges. Makes `announced` (rid, asn, as_name, as_class,
 * network_evidence, network_value, network_confidence, holder_announces); empty without routing data.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { NetworkEvidence } from '../networks.js';
import { classifyNetworks } from '../networks.js';
import { dropTables, parquet } from './sql.js';

/** Where the routing evidence comes from (absent: the lake has no routing data for the snapshot). */
export interface RoutingInputs {
  routedPrefixes: readonly string[];
  asNames: readonly string[];
  autNums: readonly string[];
}

export async function announceRanges(duck: DuckDBConnection, routing: RoutingInputs | undefined, evidence: NetworkEvidence): Promise<void> {
  const run = (sql: string) => duck.run(sql);
  const columns = `rid BIGINT, asn BIGINT, as_name VARCHAR, as_class VARCHAR, network_evidence VARCHAR, network_value VARCHAR, network_confidence DOUBLE, holder_announces BOOLEAN`;
  if (routing === undefined || routing.routedPrefixes.length === 0 || routing.asNames.length === 0) {
    await run(`CREATE OR REPLACE TEMP TABLE announced (${columns})`);
    return;
  }
  // One row a network, whatever the number of routing sources that name it.
  await classifyNetworks(
    duck,
    `SELECT asn, any_value(as_name ORDER BY v4_addresses DESC) AS as_name, max(v4_addresses) AS v4_addresses, max(v4_ranges) AS v4_ranges, max(v6_ranges) AS v6_ranges FROM ${parquet(routing.asNames)} GROUP BY asn`,
    evidence,
  );
  await run(`CREATE OR REPLACE TEMP TABLE prefixes AS SELECT family, first_key, last_key, asn FROM ${parquet(routing.routedPrefixes)}`);
  // The prefix holding each range's first address: the last one starting at or before it, if it reaches that far.
  await run(`CREATE OR REPLACE TEMP TABLE range_prefix AS
    SELECT r.rid, p.asn FROM ranges r ASOF JOIN prefixes p ON p.family = r.family AND r.first_key >= p.first_key
    WHERE r.first_key <= p.last_key`);
  // A holder's own networks: the aut-nums of its organisation (the range's, else its allocation's).
  // A holder with none is announced by its upstream: that is not leasing, and says nothing (NULL).
  await run(`CREATE OR REPLACE TEMP TABLE own_networks AS
    SELECT source, upper(org_id) AS org_id, list(DISTINCT asn) AS asns FROM ${parquet(routing.autNums)} WHERE org_id IS NOT NULL GROUP BY ALL`);
  await run(`CREATE OR REPLACE TEMP TABLE announced AS
    SELECT rp.rid, rp.asn, nc.as_name, nc.as_class, nc.class_evidence AS network_evidence, nc.class_value AS network_value, nc.class_confidence AS network_confidence,
      CASE WHEN o.asns IS NULL THEN NULL ELSE list_contains(o.asns, rp.asn) END AS holder_announces
    FROM range_prefix rp
    JOIN ranges r USING (rid) JOIN nesting n USING (rid) JOIN ranges top ON top.rid = n.top_rid
    LEFT JOIN own_networks o ON o.source = r.source AND o.org_id = upper(coalesce(r.org_id, top.org_id))
    LEFT JOIN network_classes nc ON nc.asn = rp.asn`);
  await dropTables(duck, ['prefixes', 'range_prefix', 'own_networks', 'network_classes']);
}
