/**
 * Routing data: which network announces each address range, and that network's name. The format read
 * here is ip-location-db's `asn` CSV (`@ip-location-db/asn` on the npm registry, CC BY 4.0, built from
 * RouteViews and the RIRs): no header, one inclusive range a line —
 * `ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization` — addresses
 * written as text (asn-ipv4.csv, asn-ipv6.csv), the organisation quoted when it holds a comma.
 */
import { sqlString } from '../lake/sql.js';

/**
 * SQL rows (family, range_start, range_end, asn, as_name, v4_addresses) of routing files; v4_addresses
 * is the size of an IPv4 range (NULL for IPv6). A line that is not four fields fails the read, naming
 * the file and line (strict CSV).
 */
export function routingRowsSql(files: readonly string[]): string {
  const octet = (col: string, i: number) => `CAST(split_part(${col}, '.', ${i}) AS BIGINT)`;
  const v4 = (col: string) => `(${octet(col, 1)} * 16777216 + ${octet(col, 2)} * 65536 + ${octet(col, 3)} * 256 + ${octet(col, 4)})`;
  return `SELECT CASE WHEN contains(range_start, ':') THEN 6 ELSE 4 END AS family, range_start, range_end, asn, as_name,
      CASE WHEN contains(range_start, ':') THEN NULL ELSE ${v4('range_end')} - ${v4('range_start')} + 1 END AS v4_addresses
    FROM read_csv([${files.map(sqlString).join(', ')}], header = false, delim = ',', quote = '"', escape = '"', strict_mode = true, auto_detect = false,
      columns = {'range_start': 'VARCHAR', 'range_end': 'VARCHAR', 'asn': 'BIGINT', 'as_name': 'VARCHAR'})`;
}

/**
 * SQL rows (asn, as_name, v4_addresses, v4_ranges, v6_ranges) — each network's name (the one it is
 * written with most) and the space it announces — of routing rows `rows`.
 */
export function networksSql(rows: string): string {
  return `SELECT asn, mode(as_name) AS as_name, coalesce(sum(v4_addresses), 0)::BIGINT AS v4_addresses,
      count(*) FILTER (family = 4)::BIGINT AS v4_ranges, count(*) FILTER (family = 6)::BIGINT AS v6_ranges
    FROM (${rows}) WHERE asn IS NOT NULL AND asn > 0 GROUP BY asn`;
}
