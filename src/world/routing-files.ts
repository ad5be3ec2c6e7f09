/**
 * The generated world's routing data, in the format of ip-location-db's `asn` CSV (the routing source
 * `ip-location-db-asn`): `asn-ipv4.csv` and `asn-ipv6.csv`, no header, one inclusive range a line —
 * start, end, AS number, the network's name — sorted by address. Each holder's allocations are
 * announced by its own network, by its upstream provider's when it has none, and a few by another
 * network than the holder's (leased space): what the WHOIS holder and the announcer disagree on.
 */
import { join } from 'node:path';
import { formatIpv4, formatIpv6 } from '../ip/address.js';
import { minimallyQuoted, OutputFile, type WrittenFile } from '../output-file.js';
import type { Route } from './rpsl-dumps.js';

/** The folder of the routing files in a world (the source's id). */
export const ROUTING_DIR = 'ip-location-db-asn';

/** Writes the routes of every registry into the world's two routing files. */
export async function writeRoutingFiles(outDir: string, routes: readonly Route[]): Promise<WrittenFile[]> {
  const files: WrittenFile[] = [];
  for (const family of [4, 6] as const) {
    const mine = routes.filter((r) => r.family === family).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const file = await OutputFile.open(join(outDir, ROUTING_DIR, `asn-ipv${family}.csv`), { encoding: 'utf8', gzip: false });
    const format = (v: number | bigint) => (family === 4 ? formatIpv4(Number(v)) : formatIpv6(BigInt(v)));
    for (const r of mine) await file.write(`${format(r.first)},${format(r.last)},${r.asn},${minimallyQuoted(r.name)}\n`);
    files.push(await file.close());
  }
  return files;
}
