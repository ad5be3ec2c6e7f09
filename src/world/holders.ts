/**
 * The holders of address space in one registry and how they use it: access providers carving their
 * allocations into broadband pools and customer assignments (some through sub-allocations to
 * resellers), mobile operators, hosters, businesses, universities and public bodies with their own
 * space, and end users with provider-independent assignments. A holder is a pure function of its
 * index; its children are planned before its allocation is sized.
 */
import type { Rir } from './ip-space.js';
import { pickParty, pickSoleTrader, type GleifPlan, type Party, type PartyNeed } from './parties.js';
import { rngFor, type Rng } from './random.js';
import type { RegisterPlan } from './companies.js';
import type { RegisterId } from './legal-forms.js';
import type { RangeClass } from './truth.js';
import { RIR_PROFILES } from './rir-profiles.js';

/** What kind of holder a holder is. */
export type HolderType =
  | 'isp'
  | 'mobile'
  | 'hosting'
  | 'business-lir'
  | 'education-lir'
  | 'government-lir'
  | 'pi-business'
  | 'pi-education'
  | 'pi-government';

/** What one child range of an allocation is for. */
export type ChildKind =
  | 'pool'
  | 'mobile-pool'
  | 'infrastructure'
  | 'customer'
  | 'customer-unnamed'
  | 'sole-trader'
  | 'hosting'
  | 'office'
  | 'campus'
  | 'government'
  | 'sub-allocation';

/** One planned child of an allocation. */
export interface ChildPlan {
  kind: ChildKind;
  /** Addresses (IPv4) it covers. */
  size: number;
  /** Not a CIDR block: an inclusive range of `size` addresses that no prefix describes. */
  nonCidr: boolean;
  /** The customer a customer assignment names. */
  party: Party | undefined;
  /** A reseller's own assignments, for sub-allocations. */
  children: ChildPlan[];
}

/** One holder. */
export interface Holder {
  index: number;
  type: HolderType;
  country: string;
  party: Party;
  rng: Rng;
}

/** The class every range of a holder type has by default. */
export const HOLDER_CLASS: Record<HolderType, RangeClass> = {
  isp: 'isp',
  mobile: 'mobile',
  hosting: 'hosting',
  'business-lir': 'business',
  'education-lir': 'education',
  'government-lir': 'government',
  'pi-business': 'business',
  'pi-education': 'education',
  'pi-government': 'government',
};

/** The class of a child range. */
export const CHILD_CLASS: Record<Exclude<ChildKind, 'sub-allocation'>, RangeClass> = {
  pool: 'isp',
  'mobile-pool': 'mobile',
  infrastructure: 'isp',
  customer: 'business',
  'customer-unnamed': 'business',
  'sole-trader': 'business',
  hosting: 'hosting',
  office: 'business',
  campus: 'education',
  government: 'government',
};

const NEED: Record<HolderType, PartyNeed> = {
  isp: 'telecom',
  mobile: 'mobile',
  hosting: 'hosting',
  'business-lir': 'business',
  'education-lir': 'education',
  'government-lir': 'government',
  'pi-business': 'business',
  'pi-education': 'education',
  'pi-government': 'government',
};

/** The world as the holder model sees it. */
export interface HolderContext {
  seed: number;
  rir: Rir;
  registers: Record<RegisterId, RegisterPlan>;
  gleif: GleifPlan;
  /** Median number of children of an access provider's allocation. */
  childMedian: number;
  /** Share of holders that are LIRs (the rest hold provider-independent space). */
  lirShare: number;
}

/** Holder `index` of a registry. */
export function holderAt(ctx: HolderContext, index: number): Holder {
  const rng = rngFor(ctx.seed, `holder:${ctx.rir}`, index);
  const lir = rng.chance(ctx.lirShare);
  const type: HolderType = lir
    ? rng.weighted<HolderType>([['isp', 62], ['mobile', 3], ['hosting', 15], ['business-lir', 12], ['education-lir', 5], ['government-lir', 3]])
    : rng.weighted<HolderType>([['pi-business', 88], ['pi-education', 6], ['pi-government', 6]]);
  let country = rng.weighted(RIR_PROFILES[ctx.rir].countries);
  if (country === 'EU') country = 'DE';
  return { index, type, country, party: pickParty(rng, country, NEED[type], ctx.registers, ctx.gleif), rng };
}

/** Median number of children of LIRs other than access providers and hosters. */
export const FEW_CHILDREN_MEDIAN = 6;

/** Mean inetnums of one LIR (its allocation and children), for sizing the holder mix to the targets. */
export function meanLirObjects(childMedian: number): number {
  const many = 0.62 + 0.15; // isp + hosting shares of LIRs, below
  // Sub-allocations (2 % of an access provider's children) add their own 3–10 assignments: about 10 % more.
  return 1 + many * childMedian * Math.exp(0.9 ** 2 / 2) * 1.1 + (1 - many) * FEW_CHILDREN_MEDIAN * Math.exp(0.6 ** 2 / 2);
}

/** The children an LIR carves its allocation into. */
export function planChildren(ctx: HolderContext, holder: Holder): ChildPlan[] {
  const { rng } = holder;
  // Access providers and hosters carve their space into many assignments; the others into a few.
  const many = holder.type === 'isp' || holder.type === 'hosting';
  const count = many ? rng.skewed(ctx.childMedian, 0.9, 1) : rng.skewed(FEW_CHILDREN_MEDIAN, 0.6, 1);
  const children: ChildPlan[] = [];
  for (let i = 0; i < count; i++) children.push(planChild(ctx, holder, rng, childKind(holder.type, rng), true));
  return children;
}

function childKind(type: HolderType, rng: Rng): ChildKind {
  switch (type) {
    case 'isp':
      return rng.weighted<ChildKind>([['customer', 68], ['pool', 6], ['infrastructure', 4], ['customer-unnamed', 8], ['sole-trader', 3], ['sub-allocation', 2]]);
    case 'mobile':
      return rng.weighted<ChildKind>([['mobile-pool', 85], ['infrastructure', 15]]);
    case 'hosting':
      return rng.weighted<ChildKind>([['hosting', 88], ['infrastructure', 12]]);
    case 'business-lir':
      return 'office';
    case 'education-lir':
      return 'campus';
    default:
      return 'government';
  }
}

function planChild(ctx: HolderContext, holder: Holder, rng: Rng, kind: ChildKind, nest: boolean): ChildPlan {
  if (kind === 'sub-allocation' && nest) {
    const nested: ChildPlan[] = [];
    const n = rng.between(3, 10);
    for (let i = 0; i < n; i++) {
      nested.push(planChild(ctx, holder, rng, rng.weighted<ChildKind>([['customer', 80], ['pool', 10], ['customer-unnamed', 10]]), false));
    }
    return { kind, size: 0, nonCidr: false, party: undefined, children: nested };
  }
  const resolved = kind === 'sub-allocation' ? 'customer' : kind;
  const party =
    resolved === 'customer'
      ? pickParty(rng, customerCountry(holder, rng), 'business', ctx.registers, ctx.gleif)
      : resolved === 'sole-trader'
        ? pickSoleTrader(rng, holder.country, ctx.registers)
        : undefined;
  const finalKind = resolved === 'sole-trader' && party === undefined ? 'customer-unnamed' : resolved;
  const size = childSize(finalKind, rng);
  const nonCidr = finalKind === 'customer' && size >= 4 && rng.chance(0.03);
  return { kind: finalKind, size: nonCidr ? size + size / 2 : size, nonCidr, party, children: [] };
}

/** Customers are mostly in the provider's country. */
function customerCountry(holder: Holder, rng: Rng): string {
  return rng.chance(0.95) ? holder.country : rng.weighted(RIR_PROFILES.ripencc.countries.filter(([c]) => c !== 'EU'));
}

function childSize(kind: ChildKind, rng: Rng): number {
  switch (kind) {
    case 'pool':
      return rng.weighted([[256, 6], [512, 3], [1024, 1]]);
    case 'mobile-pool':
      return rng.weighted([[1024, 5], [2048, 3], [4096, 1]]);
    case 'infrastructure':
      return rng.weighted([[32, 3], [64, 3], [128, 2]]);
    case 'customer':
    case 'customer-unnamed':
    case 'sole-trader':
      return rng.weighted([[1, 10], [4, 15], [8, 35], [16, 20], [32, 12], [64, 5], [256, 3]]);
    case 'hosting':
      return rng.weighted([[16, 4], [32, 3], [64, 2], [256, 1]]);
    case 'office':
      return rng.weighted([[32, 3], [64, 3], [256, 2]]);
    case 'campus':
      return rng.weighted([[256, 4], [512, 2], [1024, 1]]);
    default:
      return rng.weighted([[64, 2], [128, 2], [256, 2]]);
  }
}
