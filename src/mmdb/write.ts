/**
 * An index as a MaxMind DB file (MaxMind DB format 2.0, https://maxmind.github.io/MaxMind-DB/), so
 * nginx, Envoy, Logstash, Vector and every MMDB reader can use ipreg's answers.
 *
 * The tree is an IPv6 tree: IPv4 lives under ::/96, and ::ffff:0:0/96 (IPv4-mapped) and 2002::/16
 * (6to4) point at that same subtree, as the index answers them from IPv4. Each index range becomes
 * the fewest CIDR prefixes that cover it; each record is encoded once in the data section, and
 * repeated strings (keys, classes, countries, sources) become pointers to their first copy. IPv6
 * ranges inside ::/96, which MMDB readers treat as IPv4, are left out.
 */
import { ipv4RangeToPrefixes, ipv6RangeToPrefixes } from '../ip/address.js';
import { NONE } from '../index-file/layout.js';
import type { IndexReader, IndexRecord } from '../index-file/read.js';
import { DataWriter } from './data-writer.js';

/** What to put in the metadata. */
export interface MmdbOptions {
  databaseType: string;
  description: string;
  /** Seconds since the epoch the database is dated (the snapshot, not the wall clock). */
  buildEpoch: number;
}

/** What the export wrote. */
export interface MmdbExport {
  chunks: Uint8Array[];
  bytes: number;
  nodeCount: number;
  recordSize: number;
  prefixes: number;
  /** IPv6 ranges left out: inside ::/96. */
  skippedRanges: number;
}

const METADATA_MARKER = Uint8Array.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com', 'ascii')]);
const DATA_FLAG = 0x80000000;
const EMPTY = 0;

/** The tree under construction: two records per node; a record is EMPTY, a node number or DATA_FLAG | record id. */
class Tree {
  records = new Uint32Array(2 * 1024);
  count = 1; // node 0, the root

  /** The child node behind record `bit` of `node`, made when absent. */
  child(node: number, bit: number): number {
    const at = node * 2 + bit;
    const value = this.records[at] as number;
    if (value !== EMPTY && (value & DATA_FLAG) === 0) return value;
    if (value !== EMPTY) throw new Error('mmdb: a prefix lies inside another: the index ranges overlap');
    if (this.count * 2 === this.records.length) {
      const grown = new Uint32Array(this.records.length * 2);
      grown.set(this.records);
      this.records = grown;
    }
    const made = this.count++;
    this.records[at] = made;
    return made;
  }

  /** Sets the record reached from `node` by the bits `bit(0) … bit(length − 1)`. */
  set(node: number, length: number, bit: (depth: number) => number, value: number): void {
    let n = node;
    for (let d = 0; d < length - 1; d++) n = this.child(n, bit(d));
    const at = n * 2 + bit(length - 1);
    if (this.records[at] !== EMPTY) throw new Error('mmdb: two prefixes end at the same record: the index ranges overlap');
    this.records[at] = value;
  }
}

/** Exports the index `reader` holds as an MMDB file (as chunks). */
export function exportMmdb(reader: IndexReader, options: MmdbOptions): MmdbExport {
  const tree = new Tree();
  let v4Root = 0;
  for (let d = 0; d < 96; d++) v4Root = tree.child(v4Root, 0);
  const used = new Map<number, IndexRecord>();
  let prefixes = 0;
  for (const r of reader.ranges(4)) {
    if (r.recordId === NONE) continue;
    used.set(r.recordId, reader.record(r.recordId));
    for (const p of ipv4RangeToPrefixes(r.first as number, r.last as number)) {
      const value = (DATA_FLAG | r.recordId) >>> 0;
      // One answer for all of IPv4: both halves under ::/96 (the subtree stays a node the aliases point to).
      if (p.length === 0) for (const bit of [0, 1]) tree.set(v4Root, 1, () => bit, value);
      else tree.set(v4Root, p.length, (d) => (p.start >>> (31 - d)) & 1, value);
      prefixes++;
    }
  }
  let skippedRanges = 0;
  const words = new Uint32Array(4);
  for (const r of reader.ranges(6)) {
    if (r.recordId === NONE) continue;
    if ((r.first as bigint) <= 0xffffffffn) {
      skippedRanges++;
      continue;
    }
    used.set(r.recordId, reader.record(r.recordId));
    for (const p of ipv6RangeToPrefixes(r.first as bigint, r.last as bigint)) {
      for (let w = 0; w < 4; w++) words[w] = Number((p.start >> BigInt(96 - 32 * w)) & 0xffffffffn);
      tree.set(0, p.length, (d) => ((words[d >>> 5] as number) >>> (31 - (d & 31))) & 1, (DATA_FLAG | r.recordId) >>> 0);
      prefixes++;
    }
  }
  // The aliases: ::ffff:0:0/96 and 2002::/16 lead to the IPv4 subtree.
  tree.set(0, 96, (d) => (d >= 80 ? 1 : 0), v4Root);
  tree.set(0, 16, (d) => (0x2002 >>> (15 - d)) & 1, v4Root);

  const data = new DataWriter();
  const offsets = new Map<number, number>();
  for (const id of [...used.keys()].sort((a, b) => a - b)) offsets.set(id, data.write(recordValue(used.get(id) as IndexRecord)));
  const dataBytes = data.bytes();
  const nodeCount = tree.count;
  const largest = nodeCount + 16 + dataBytes.byteLength;
  const recordSize = largest < 2 ** 24 ? 24 : largest < 2 ** 28 ? 28 : 32;
  const treeBytes = encodeTree(tree, nodeCount, recordSize, (id) => nodeCount + 16 + (offsets.get(id) as number));
  const meta = new DataWriter();
  meta.write({
    binary_format_major_version: { uint16: 2 },
    binary_format_minor_version: { uint16: 0 },
    build_epoch: { uint64: BigInt(options.buildEpoch) },
    database_type: options.databaseType,
    description: { en: options.description },
    ip_version: { uint16: 6 },
    languages: ['en'],
    node_count: { uint32: nodeCount },
    record_size: { uint16: recordSize },
  });
  const chunks = [treeBytes, new Uint8Array(16), dataBytes, METADATA_MARKER, meta.bytes()];
  return { chunks, bytes: chunks.reduce((n, c) => n + c.byteLength, 0), nodeCount, recordSize, prefixes, skippedRanges };
}

/** A record as the MMDB map readers receive (snake_case keys, absent values left out). */
function recordValue(r: IndexRecord): Record<string, unknown> {
  const value: Record<string, unknown> = { class: r.class };
  if (r.country !== null) value['country'] = r.country;
  if (r.company !== null) {
    const c: Record<string, unknown> = { name: r.company.name, register: r.company.register, register_id: r.company.registerId };
    if (r.company.country !== null) c['country'] = r.company.country;
    if (r.company.lei !== null) c['lei'] = r.company.lei;
    if (r.company.city !== null) c['city'] = r.company.city;
    if (r.company.industry !== null) c['industry'] = { scheme: r.company.industry.scheme, codes: [...r.company.industry.codes] };
    if (r.company.website !== null) c['website'] = r.company.website;
    value['company'] = c;
  }
  if (r.linkRule !== null) value['link_rule'] = r.linkRule;
  if (r.confidence !== null) value['confidence'] = r.confidence;
  // The announcing network under GeoLite2-ASN's key names, which MMDB readers already know.
  if (r.asn !== null) value['autonomous_system_number'] = { uint32: r.asn };
  if (r.asName !== null) value['autonomous_system_organization'] = r.asName;
  value['sources'] = [...r.sources];
  value['attribution'] = r.attribution;
  return value;
}

/** The search tree's bytes: each node its left then right record, big-endian, in `recordSize` bits. */
function encodeTree(tree: Tree, nodeCount: number, recordSize: number, dataValue: (id: number) => number): Uint8Array {
  const nodeBytes = recordSize / 4;
  const out = new Uint8Array(nodeCount * nodeBytes);
  const valueOf = (raw: number) => (raw === EMPTY ? nodeCount : (raw & DATA_FLAG) !== 0 ? dataValue(raw & ~DATA_FLAG) : raw);
  for (let n = 0; n < nodeCount; n++) {
    const left = valueOf(tree.records[2 * n] as number);
    const right = valueOf(tree.records[2 * n + 1] as number);
    const at = n * nodeBytes;
    if (recordSize === 24) {
      out[at] = left >>> 16; out[at + 1] = left >>> 8; out[at + 2] = left;
      out[at + 3] = right >>> 16; out[at + 4] = right >>> 8; out[at + 5] = right;
    } else if (recordSize === 28) {
      out[at] = left >>> 16; out[at + 1] = left >>> 8; out[at + 2] = left;
      out[at + 3] = ((left >>> 24) << 4) | (right >>> 24);
      out[at + 4] = right >>> 16; out[at + 5] = right >>> 8; out[at + 6] = right;
    } else {
      out[at] = left >>> 24; out[at + 1] = left >>> 16; out[at + 2] = left >>> 8; out[at + 3] = left;
      out[at + 4] = right >>> 24; out[at + 5] = right >>> 16; out[at + 6] = right >>> 8; out[at + 7] = right;
    }
  }
  return out;
}
