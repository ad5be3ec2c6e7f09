/**
 * How each registry writes its data: its source name, handle suffix, status words, which countries its
 * holders are in, how its dumps are dummified and dated, and the shape of its delegated file.
 */
import type { Rir } from './ip-space.js';
import type { Rng } from './random.js';

/** One registry's conventions. */
export interface RirProfile {
  rir: Rir;
  source: string;
  handleSuffix: string;
  /** Countries of holders, with weights. */
  countries: readonly (readonly [string, number])[];
  status: {
    allocation: string;
    subAllocation: string;
    assignment: string;
    pi: string;
    legacy: string;
    v6Allocation: string;
    v6Aggregated: string | undefined;
    v6Assignment: string;
    v6Pi: string;
  };
  /** RIPE dumps replace contacts with DUMY-RIPE and append the "THIS OBJECT IS MODIFIED" remarks. */
  dummified: boolean;
  /** How objects are dated: RIPE created+last-modified, APNIC last-modified only, AFRINIC `changed:`. */
  dating: 'created' | 'last-modified' | 'changed';
  /** LACNIC publishes no holder names: objects carry ids and country only. */
  holderNamesHidden: boolean;
  /** Delegated file header: version, and how the serial is written. */
  delegated: { version: string; serial: 'date' | 'epoch-seconds' | 'epoch-millis'; utcOffset: string; startDate: string; typeOrder: readonly ('asn' | 'ipv4' | 'ipv6')[] };
  /** Country code of available/reserved records ("" where the registry leaves it empty). */
  freePoolCountry: string;
  /**
   * The region code some holders' delegated records carry instead of a country (RIPE `EU`, APNIC `AP`:
   * space used across the region), and the share of LIRs written so. The real RIPE excerpt
   * (src/sources/ripencc-delegated/fixtures) has EU on 39 of its 264 records, mostly AS numbers; 5 %
   * of LIRs is a conservative share for a whole file.
   */
  regionCountry?: { code: string; share: number };
  opaqueId: (rng: Rng) => string;
  firstAsn: number;
}

const hex = (rng: Rng, digits: number) => {
  let s = '';
  for (let i = 0; i < digits; i++) s += '0123456789abcdef'[rng.int(16)];
  return s;
};

export const RIR_PROFILES: Record<Rir, RirProfile> = {
  ripencc: {
    rir: 'ripencc',
    source: 'RIPE',
    handleSuffix: '-RIPE',
    countries: [['GB', 14], ['FR', 12], ['NO', 4], ['BE', 4], ['EE', 2], ['LV', 2], ['LT', 2], ['CZ', 3], ['SE', 3], ['IE', 2], ['FI', 2], ['DE', 18], ['NL', 9], ['IT', 8], ['ES', 6], ['EU', 1]],
    status: {
      allocation: 'ALLOCATED PA',
      subAllocation: 'SUB-ALLOCATED PA',
      assignment: 'ASSIGNED PA',
      pi: 'ASSIGNED PI',
      legacy: 'LEGACY',
      v6Allocation: 'ALLOCATED-BY-RIR',
      v6Aggregated: 'AGGREGATED-BY-LIR',
      v6Assignment: 'ASSIGNED',
      v6Pi: 'ASSIGNED PI',
    },
    dummified: true,
    dating: 'created',
    holderNamesHidden: false,
    delegated: { version: '2', serial: 'epoch-seconds', utcOffset: '+0100', startDate: '19830705', typeOrder: ['ipv4', 'asn', 'ipv6'] },
    freePoolCountry: 'ZZ',
    regionCountry: { code: 'EU', share: 0.05 },
    opaqueId: (rng) => `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${'89ab'[rng.int(4)]}${hex(rng, 3)}-${hex(rng, 12)}`,
    firstAsn: 196_608,
  },
  apnic: {
    rir: 'apnic',
    source: 'APNIC',
    handleSuffix: '-AP',
    countries: [['JP', 20], ['CN', 20], ['AU', 15], ['IN', 15], ['KR', 8], ['SG', 6], ['NZ', 4], ['ID', 6], ['AP', 1]],
    status: {
      allocation: 'ALLOCATED PORTABLE',
      subAllocation: 'ALLOCATED NON-PORTABLE',
      assignment: 'ASSIGNED NON-PORTABLE',
      pi: 'ASSIGNED PORTABLE',
      legacy: 'ASSIGNED PORTABLE',
      v6Allocation: 'ALLOCATED PORTABLE',
      v6Aggregated: undefined,
      v6Assignment: 'ASSIGNED NON-PORTABLE',
      v6Pi: 'ASSIGNED PORTABLE',
    },
    dummified: false,
    dating: 'last-modified',
    holderNamesHidden: false,
    delegated: { version: '2.3', serial: 'date', utcOffset: '+1000', startDate: '19850701', typeOrder: ['asn', 'ipv4', 'ipv6'] },
    freePoolCountry: 'ZZ',
    regionCountry: { code: 'AP', share: 0.05 },
    opaqueId: (rng) => `A9${hex(rng, 6).toUpperCase()}`,
    firstAsn: 131_072,
  },
  afrinic: {
    rir: 'afrinic',
    source: 'AFRINIC',
    handleSuffix: '-AFRINIC',
    countries: [['ZA', 35], ['NG', 15], ['KE', 12], ['EG', 12], ['MA', 10], ['GH', 8], ['TZ', 8]],
    status: {
      allocation: 'ALLOCATED PA',
      subAllocation: 'SUB-ALLOCATED PA',
      assignment: 'ASSIGNED PA',
      pi: 'ASSIGNED PI',
      legacy: 'LEGACY',
      v6Allocation: 'ALLOCATED-BY-RIR',
      v6Aggregated: undefined,
      v6Assignment: 'ASSIGNED PA',
      v6Pi: 'ASSIGNED PI',
    },
    dummified: false,
    dating: 'changed',
    holderNamesHidden: false,
    delegated: { version: '2', serial: 'date', utcOffset: '00000', startDate: '00000000', typeOrder: ['asn', 'ipv4', 'ipv6'] },
    freePoolCountry: 'ZZ',
    opaqueId: (rng) => hex(rng, 8).toUpperCase(),
    firstAsn: 327_680,
  },
  lacnic: {
    rir: 'lacnic',
    source: 'LACNIC',
    handleSuffix: '-LACNIC',
    countries: [['BR', 55], ['MX', 12], ['AR', 10], ['CL', 8], ['CO', 8], ['PE', 7]],
    status: {
      allocation: 'allocated',
      subAllocation: 'reallocated',
      assignment: 'assigned',
      pi: 'assigned',
      legacy: 'assigned',
      v6Allocation: 'allocated',
      v6Aggregated: undefined,
      v6Assignment: 'assigned',
      v6Pi: 'assigned',
    },
    dummified: false,
    dating: 'last-modified',
    holderNamesHidden: true,
    delegated: { version: '2.3', serial: 'date', utcOffset: '-0300', startDate: '19870101', typeOrder: ['ipv4', 'ipv6', 'asn'] },
    freePoolCountry: '',
    opaqueId: (rng) => String(rng.between(100_000, 999_999)),
    firstAsn: 262_144,
  },
  arin: {
    rir: 'arin',
    source: 'ARIN',
    handleSuffix: '-ARIN',
    countries: [['US', 90], ['CA', 9], ['PR', 1]],
    status: {
      allocation: 'allocated',
      subAllocation: 'allocated',
      assignment: 'assigned',
      pi: 'assigned',
      legacy: 'assigned',
      v6Allocation: 'allocated',
      v6Aggregated: undefined,
      v6Assignment: 'assigned',
      v6Pi: 'assigned',
    },
    dummified: false,
    dating: 'created',
    holderNamesHidden: true,
    delegated: { version: '2.3', serial: 'epoch-millis', utcOffset: '-0400', startDate: '19700101', typeOrder: ['asn', 'ipv4', 'ipv6'] },
    freePoolCountry: '',
    opaqueId: (rng) => hex(rng, 32),
    firstAsn: 393_216,
  },
};
