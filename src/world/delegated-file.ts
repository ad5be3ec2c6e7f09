/**
 * The RIR statistics exchange files (`delegated-<rir>-extended-latest`, plus the `.md5` beside them)
 * with each registry's real quirks: serials as dates, epoch seconds or epoch milliseconds; summary
 * lines in the registry's own order; address counts that are not powers of two; empty or `ZZ`
 * country codes on free space; LACNIC's seven-field lines; a few records out of order; and a few
 * malformed lines, recorded in the truth.
 */
import { formatIpv4, formatIpv6 } from '../ip/address.js';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { ceilPowerOfTwo, Ipv4Cursor, Ipv6Cursor, type Rir } from './ip-space.js';
import { OutputFile, type WrittenFile } from '../output-file.js';
import { rngFor, type Rng } from './random.js';
import { RIR_PROFILES } from './rir-profiles.js';
import type { Truth } from './truth.js';

/** One record line of a delegated file. */
export interface DelegatedRecord {
  type: 'asn' | 'ipv4' | 'ipv6';
  start: string;
  /** ASN count, IPv4 address count, or IPv6 prefix length. */
  value: number;
  date: string;
  status: 'allocated' | 'assigned' | 'available' | 'reserved';
  country: string;
  opaqueId: string;
  sort: number | bigint;
}

/** The records of one registry, collected while its holders are written. */
export class DelegatedRecords {
  private readonly byType: Record<DelegatedRecord['type'], DelegatedRecord[]> = { asn: [], ipv4: [], ipv6: [] };

  constructor(readonly rir: Rir) {}

  add(record: DelegatedRecord): void {
    this.byType[record.type].push(record);
  }

  /** The records of a type, ascending by start. */
  sorted(type: DelegatedRecord['type']): DelegatedRecord[] {
    return [...this.byType[type]].sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0));
  }

  count(type: DelegatedRecord['type']): number {
    return this.byType[type].length;
  }
}

/** The source id of a registry's delegated statistics. */
export function delegatedSourceId(rir: Rir): string {
  return `${rir}-delegated`;
}

/** The file name of a registry's extended delegated file. */
export function delegatedFileName(rir: Rir): string {
  return `delegated-${rir}-extended-latest`;
}

/** What writing a delegated file needs. */
export interface DelegatedContext {
  seed: number;
  outDir: string;
  snapshot: string;
  truth: Truth;
  malformedRate: number;
}

/** Writes a registry's delegated file and its `.md5`. */
export async function writeDelegatedFile(ctx: DelegatedContext, records: DelegatedRecords): Promise<WrittenFile[]> {
  const { rir } = records;
  const profile = RIR_PROFILES[rir];
  const rng = rngFor(ctx.seed, `delegated:${rir}`, 0);
  const name = delegatedFileName(rir);
  const file = await OutputFile.open(join(ctx.outDir, delegatedSourceId(rir), name), { encoding: 'utf8' });
  const groups = profile.delegated.typeOrder.map((type) => [type, shuffleSlightly(rng, records.sorted(type))] as const);
  const total = groups.reduce((n, [, list]) => n + list.length, 0);
  if (rir === 'apnic') await file.write(APNIC_BANNER);
  await file.write(`${profile.delegated.version}|${rir}|${serial(profile.delegated.serial, ctx.snapshot)}|${total}|${profile.delegated.startDate}|${dayBefore(ctx.snapshot)}|${profile.delegated.utcOffset}\n`);
  for (const [type, list] of groups) await file.write(`${rir}|*|${type}|*|${list.length}|summary\n`);
  for (const [, list] of groups) {
    for (const record of list) {
      if (rng.chance(ctx.malformedRate)) await writeMalformedLine(ctx, file, rng, rir);
      await file.write(recordLine(rir, record));
    }
  }
  const written = await file.close();
  await writeFile(`${written.path}.md5`, `MD5 (${name}) = ${written.md5}\n`);
  return [written];
}

/** One record line, with the registry's field-count habits for free space. */
function recordLine(rir: Rir, r: DelegatedRecord): string {
  const fields = [rir, r.country, r.type, r.start, String(r.value), r.date, r.status];
  const free = r.status === 'available' || r.status === 'reserved';
  if (free && rir === 'lacnic') return `${fields.join('|')}\n`;
  return `${[...fields, r.opaqueId].join('|')}\n`;
}

async function writeMalformedLine(ctx: DelegatedContext, file: OutputFile, rng: Rng, rir: Rir): Promise<void> {
  const kind = rng.weighted([['bad-address', 1], ['bad-count', 1], ['unknown-type', 1], ['short-line', 1]] as const);
  const text =
    kind === 'bad-address'
      ? `${rir}|NL|ipv4|999.12.0.0|256|20200101|allocated|x\n`
      : kind === 'bad-count'
        ? `${rir}|DE|ipv4|10.0.0.0|many|20200101|allocated|x\n`
        : kind === 'unknown-type'
          ? `${rir}|FR|ipv9|1.2.3.0|256|20200101|allocated|x\n`
          : `${rir}|GB|ipv4|1.2.3.0\n`;
  await ctx.truth.malformed(delegatedSourceId(rir), delegatedFileName(rir), file.lines + 1, 'delegated line', kind);
  await file.write(text);
}

/** Real files are mostly sorted, with the odd step backwards: swap a few neighbours. */
function shuffleSlightly(rng: Rng, list: DelegatedRecord[]): DelegatedRecord[] {
  const swaps = Math.min(3, Math.floor(list.length / 500));
  for (let i = 0; i < swaps; i++) {
    const at = rng.int(list.length - 1);
    [list[at], list[at + 1]] = [list[at + 1]!, list[at]!];
  }
  return list;
}

function serial(kind: 'date' | 'epoch-seconds' | 'epoch-millis', snapshot: string): string {
  const epochMs = Date.parse(`${snapshot}T03:00:00Z`);
  if (kind === 'epoch-seconds') return String(epochMs / 1000);
  if (kind === 'epoch-millis') return String(epochMs + 240_082);
  return snapshot.replace(/-/g, '');
}

function dayBefore(snapshot: string): string {
  return new Date(Date.parse(`${snapshot}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
}

const APNIC_BANNER = [
  '######################################################################',
  '#',
  '# \tCONDITIONS OF USE',
  '# ____________________________________________________________________',
  '# ',
  '# ',
  '# The files are freely available for download and use on the condition ',
  '# that APNIC will not be held responsible for any loss or damage ',
  '# arising from the application of the information contained in these ',
  '# reports.',
  '#',
  '######################################################################',
  '',
].join('\n');

/** ARIN publishes no bulk WHOIS: its holders appear in the delegated file only. */
export function arinRecords(seed: number, count: number): DelegatedRecords {
  const records = new DelegatedRecords('arin');
  const profile = RIR_PROFILES.arin;
  const v4 = new Ipv4Cursor('arin');
  const v6 = new Ipv6Cursor('arin');
  let asn = 1;
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, 'arin-holder', i);
    const type = rng.weighted([['asn', 16], ['ipv4', 40], ['ipv6', 44]] as const);
    const opaqueId = profile.opaqueId(rng);
    const country = rng.weighted(profile.countries);
    const free = rng.chance(0.02);
    const date = free ? '' : asn < 20 && type === 'asn' && rng.chance(0.3) ? '00000000' : compact(rng);
    const status = free ? (rng.chance(0.5) ? 'available' : 'reserved') : type === 'asn' ? 'assigned' : rng.chance(0.7) ? 'allocated' : 'assigned';
    const base = { date, status, country: free ? '' : country, opaqueId: free ? '' : opaqueId } as const;
    if (type === 'asn') {
      const n = rng.chance(0.9) ? 1 : rng.between(2, 16);
      records.add({ type, start: String(asn), value: n, sort: asn, ...base });
      asn += n;
    } else if (type === 'ipv4') {
      const size = rng.chance(0.05) ? 1536 * rng.between(1, 4) : rng.weighted([[256, 4], [1024, 5], [4096, 3], [16384, 1], [65536, 0.3]]);
      const start = v4.take(ceilPowerOfTwo(size));
      records.add({ type, start: formatIpv4(start), value: size, sort: start, ...base });
    } else {
      const length = rng.weighted([[32, 5], [36, 2], [40, 2], [48, 3]]);
      const start = v6.take(length);
      records.add({ type, start: formatIpv6(start), value: length, sort: start, ...base });
    }
  }
  return records;
}

function compact(rng: Rng): string {
  return `${rng.between(1985, 2025)}${String(rng.between(1, 12)).padStart(2, '0')}${String(rng.between(1, 28)).padStart(2, '0')}`;
}
