/**
 * The tables of the IP-allocation pipeline: ip_delegations, inetnums, whois_orgs, aut_nums, and from
 * routing data routed_prefixes and as_names. Each is partitioned source=…/snapshot=… and written as
 * zstd Parquet.
 */
import { RANGE_COLUMNS } from '../src/lake/range-columns.js';
import type { Column, TableSchema } from '../src/lake/table-schema.js';

const PARTITIONS: readonly Column[] = [
  { name: 'source', type: 'VARCHAR', description: 'source id, e.g. ripe-rpsl or arin-delegated' },
  { name: 'snapshot', type: 'VARCHAR', description: 'snapshot date (YYYY-MM-DD) of the source files' },
];

const LINE: Column = { name: 'line', type: 'INTEGER', description: 'line of the raw file the record starts on' };

export const IP_DELEGATIONS: TableSchema = {
  name: 'ip_delegations',
  description: 'RIR statistics (delegated-extended files): who was given which addresses and AS numbers, by country, with the holder\'s opaque id',
  columns: [
    { name: 'registry', type: 'VARCHAR', description: 'afrinic, apnic, arin, lacnic or ripencc' },
    { name: 'country', type: 'VARCHAR', description: 'ISO 3166 alpha-2 of the holder (EU, AP, ZZ and empty as published)' },
    { name: 'type', type: 'VARCHAR', description: 'ipv4, ipv6 or asn' },
    ...RANGE_COLUMNS,
    { name: 'address_count', type: 'BIGINT', description: 'IPv4 addresses in the record (not always a power of two); null otherwise' },
    { name: 'prefix_length', type: 'INTEGER', description: 'IPv6 prefix length; null otherwise' },
    { name: 'asn_first', type: 'BIGINT', description: 'first AS number of an asn record; null otherwise' },
    { name: 'asn_last', type: 'BIGINT', description: 'last AS number of an asn record; null otherwise' },
    { name: 'date', type: 'DATE', description: 'date of first allocation or assignment; null when empty or 00000000' },
    { name: 'status', type: 'VARCHAR', description: 'allocated, assigned, available or reserved' },
    { name: 'opaque_id', type: 'VARCHAR', description: 'per-holder id, stable within one registry; empty for free space' },
    LINE,
  ],
  partitions: PARTITIONS,
};

export const INETNUMS: TableSchema = {
  name: 'inetnums',
  description: 'inetnum and inet6num objects of the RPSL dumps: address ranges with their names, status and holder organisation',
  columns: [
    ...RANGE_COLUMNS,
    { name: 'netname', type: 'VARCHAR', description: 'netname attribute' },
    { name: 'descr', type: 'VARCHAR[]', description: 'descr attributes, in order (continuation lines joined with a newline)' },
    { name: 'country', type: 'VARCHAR', description: 'first country attribute, upper case' },
    { name: 'org_id', type: 'VARCHAR', description: 'org attribute: the organisation object holding the range' },
    { name: 'status', type: 'VARCHAR', description: 'status attribute as published (ALLOCATED PA, ASSIGNED PA, LEGACY …)' },
    { name: 'assignment_size', type: 'INTEGER', description: 'assignment-size of aggregated IPv6 objects' },
    { name: 'created', type: 'VARCHAR', description: 'created attribute (RIPE); null when absent or the bulk dump\'s placeholder 1970-01-01T00:00:00Z' },
    { name: 'last_modified', type: 'VARCHAR', description: 'last-modified attribute' },
    { name: 'registry_source', type: 'VARCHAR', description: 'source attribute (RIPE, APNIC, AFRINIC, LACNIC)' },
    LINE,
  ],
  partitions: PARTITIONS,
};

export const WHOIS_ORGS: TableSchema = {
  name: 'whois_orgs',
  description: 'organisation objects of the RPSL dumps: holders of address space (name, type, country only: dumps carry no contacts)',
  columns: [
    { name: 'org_id', type: 'VARCHAR', description: 'organisation handle, e.g. ORG-XY1-RIPE' },
    { name: 'org_name', type: 'VARCHAR', description: 'org-name attribute' },
    { name: 'org_type', type: 'VARCHAR', description: 'org-type: LIR, OTHER, …' },
    { name: 'country', type: 'VARCHAR', description: 'country attribute, upper case' },
    { name: 'registry_source', type: 'VARCHAR', description: 'source attribute' },
    LINE,
  ],
  partitions: PARTITIONS,
};

export const AUT_NUMS: TableSchema = {
  name: 'aut_nums',
  description: 'aut-num objects of the RPSL dumps: autonomous systems with their names and holder organisation',
  columns: [
    { name: 'asn', type: 'BIGINT', description: 'AS number' },
    { name: 'as_name', type: 'VARCHAR', description: 'as-name attribute' },
    { name: 'descr', type: 'VARCHAR[]', description: 'descr attributes, in order' },
    { name: 'org_id', type: 'VARCHAR', description: 'org attribute' },
    { name: 'status', type: 'VARCHAR', description: 'status attribute' },
    { name: 'registry_source', type: 'VARCHAR', description: 'source attribute' },
    LINE,
  ],
  partitions: PARTITIONS,
};

export const ROUTED_PREFIXES: TableSchema = {
  name: 'routed_prefixes',
  description: 'routing data: every announced address range with the autonomous system that announces it',
  columns: [...RANGE_COLUMNS, { name: 'asn', type: 'BIGINT', description: 'origin AS number announcing the range' }, LINE],
  partitions: PARTITIONS,
};

export const AS_NAMES: TableSchema = {
  name: 'as_names',
  description: 'routing data: every announcing autonomous system with its name and the space it announces',
  columns: [
    { name: 'asn', type: 'BIGINT', description: 'AS number' },
    { name: 'as_name', type: 'VARCHAR', description: 'the name the routing data gives the network (the one it uses most)' },
    { name: 'v4_addresses', type: 'BIGINT', description: 'IPv4 addresses the network announces' },
    { name: 'v4_ranges', type: 'BIGINT', description: 'IPv4 ranges it announces (a company announces its space in a few, a provider in many)' },
    { name: 'v6_ranges', type: 'BIGINT', description: 'IPv6 ranges it announces' },
  ],
  partitions: PARTITIONS,
};

/** The tables of the IP-allocation pipeline. */
export const IP_ALLOCATION_TABLES: readonly TableSchema[] = [IP_DELEGATIONS, INETNUMS, WHOIS_ORGS, AUT_NUMS, ROUTED_PREFIXES, AS_NAMES];
