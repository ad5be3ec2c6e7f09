/**
 * What a WHOIS range is, from its own words: the patterns that mark an access pool (a provider's
 * customers are people), a mobile pool, a provider's own infrastructure, hosting, a campus, a
 * government network, or an unnamed business customer. Patterns are case-insensitive RE2 over the
 * netname and over the descr lines; they come from how RIR members name such ranges (netnames like
 * DSL-POOL, CGNAT, LTE; descr like "Dynamic IP pool for residential customers") — the generated
 * world writes them the same way, and real dumps use these words, though not only these.
 */

/** The class of a range as the index and analysts see it. */
export type RangeClass = 'business' | 'isp' | 'hosting' | 'mobile' | 'education' | 'government' | 'unknown';

export const RANGE_CLASSES: readonly RangeClass[] = ['business', 'isp', 'hosting', 'mobile', 'education', 'government', 'unknown'];

/** A leaf rule: a kind of range known from its netname or descr. */
export interface LeafRule {
  /** The rule's name, recorded as the class evidence. */
  name: string;
  /** What it marks: 'access' is a pool of an access provider (isp, or mobile under a mobile operator). */
  kind: 'access' | 'mobile' | 'isp' | 'hosting' | 'education' | 'government' | 'business';
  netname?: string;
  descr?: string;
}

/** In order: the first rule that matches a range is its leaf class. */
export const LEAF_RULES: readonly LeafRule[] = [
  // Netname patterns are anchored at the end, after the holder's own words: a provider called
  // "… Broadband" or a company called "Core …" does not make each of its ranges a pool.
  { name: 'mobile-pool', kind: 'mobile', netname: '-(MOBILE-POOL|MOBILE|LTE-CGNAT|LTE|GPRS|UMTS|5G-NAT|5G|4G|3G)(-\\d+)?$', descr: '\\b(mobile (subscribers|data|customers)|gprs|umts|lte (customers|pool))\\b' },
  {
    name: 'access-pool',
    kind: 'access',
    netname: '-(DSL-POOL|ADSL|VDSL|XDSL|BB-DYNAMIC|BB-DYN|FTTH-DYN|FTTH|CGNAT|CABLE-POOL|POOL|DYN|DYNAMIC|DHCP|PPPOE)(-\\d+)?$',
    descr: '\\b(dynamic ip|dynamic pool|broadband customers|residential (customers|subscribers)|xdsl|adsl|cgnat|dial-?up)\\b',
  },
  { name: 'reseller', kind: 'isp', netname: '-RESELLER(-\\d+)?$', descr: '^sub-allocation\\b' },
  { name: 'infrastructure', kind: 'isp', netname: '-(INFRA|BACKBONE|MGMT|CORE|P2P|LINKNET|LOOPBACK)(-\\d+)?$', descr: '^(infrastructure|network management|backbone( links)?|point to point links)$' },
  { name: 'hosting', kind: 'hosting', netname: '-(CLOUD|VPS|DEDI|DEDICATED|SERVERS|HOSTING|COLO)(-\\d+)?$', descr: '\\b(cloud servers|virtual private servers|dedicated servers|colocation)\\b' },
  { name: 'campus', kind: 'education', netname: '-(CAMPUS|RESNET|EDU)(-\\d+)?$' },
  { name: 'government', kind: 'government', netname: '-GOV(-\\d+)?$' },
  { name: 'customer-unnamed', kind: 'business', descr: '^((business|leased line) customer|customer network|.* customer)$' },
];
