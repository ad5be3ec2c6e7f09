/**
 * The parties WHOIS objects name: a company of one of the world's registers, an entity known only to
 * GLEIF, or a company of a country without a register here. Each carries what the truth needs to say
 * who it is, and the brand WHOIS writers spell.
 */
import { companyAt, indexWithRole, type Company, type RegisterPlan } from './companies.js';
import { leiFrom } from './identifiers.js';
import { FOREIGN_FORMS, LEGAL_FORMS, registerOfCountry, type RegisterId } from './legal-forms.js';
import { brandName, brandOnlyName, languageOf } from './names.js';
import { hashString, Permutation, rngFor, type Rng } from './random.js';
import {
  COMMERCIAL_ACTIVITIES,
  GOVERNMENT_ACTIVITY,
  HOSTING_ACTIVITY,
  MOBILE_TELECOM_ACTIVITY,
  PEOPLE,
  UNIVERSITY_ACTIVITY,
  WIRED_TELECOM_ACTIVITY,
  type Activity,
} from './vocabulary.js';

/** Who a WHOIS object names. */
export interface Party {
  kind: 'register' | 'gleif' | 'unregistered';
  country: string;
  brand: string;
  /** Legal-form spellings a WHOIS writer may put after the brand. */
  formVariants: readonly string[];
  company: Company | undefined;
  lei: string | undefined;
  activity: Activity | undefined;
}

/** What the world knows of GLEIF: how many LEIs, and how many of them belong to register companies. */
export interface GleifPlan {
  seed: number;
  size: number;
  /** Entities 0 … crosswalked−1 are companies of the world's registers. */
  crosswalked: number;
  registers: Record<RegisterId, RegisterPlan>;
}

/** The registers GLEIF entities are crosswalked to, with their shares. */
const CROSSWALK_SHARES: readonly (readonly [RegisterId, number])[] = [
  ['gb-companies-house', 0.19],
  ['fr-sirene', 0.35],
  ['no-brreg', 0.1],
  ['be-kbo', 0.1],
  ['ee-rik', 0.05],
  ['lv-ur', 0.04],
  ['lt-jar', 0.03],
  ['cz-res', 0.04],
  ['se-bolagsverket', 0.04],
  ['ie-cro', 0.03],
  ['fi-prh', 0.03],
];

/** Countries of GLEIF entities outside the world's registers. */
export const GLEIF_FOREIGN_COUNTRIES = ['US', 'DE', 'NL', 'JP', 'IT', 'ES', 'ZA', 'BR'] as const;

/** One GLEIF entity: a crosswalked register company, or a foreign entity. */
export interface GleifEntity {
  index: number;
  lei: string;
  party: Party;
}

const LOU_PREFIXES = ['5299', '9695', '2138', '5493', '8945', '6354', '3912', '2549'];
const LEI_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const LEI_PERMUTATIONS = new Map<number, Permutation>();

function leiPermutation(seed: number): Permutation {
  let p = LEI_PERMUTATIONS.get(seed);
  if (p === undefined) LEI_PERMUTATIONS.set(seed, (p = new Permutation(36 ** 8, seed ^ 0x1e1)));
  return p;
}

/** The LEI of GLEIF entity `index`: a LOU prefix, "00", twelve characters unique to the index, check digits. */
export function leiOf(plan: GleifPlan, index: number): string {
  const rng = rngFor(plan.seed, 'lei', index);
  let body = '';
  // 36^12 > 2^53: the index goes into the first 8 characters (36^8 > 2.8e12), the rest is noise.
  let n = leiPermutation(plan.seed).at(index);
  for (let i = 0; i < 8; i++) {
    body = LEI_ALPHABET[n % 36] + body;
    n = Math.floor(n / 36);
  }
  for (let i = 0; i < 4; i++) body += LEI_ALPHABET[rng.int(36)];
  return leiFrom(`${rng.pick(LOU_PREFIXES)}00${body}`);
}

/** GLEIF entity `index`. */
export function gleifEntityAt(plan: GleifPlan, index: number): GleifEntity {
  const lei = leiOf(plan, index);
  if (index < plan.crosswalked) {
    const company = crosswalkedCompany(plan, index);
    return { index, lei, party: registerParty(company, lei) };
  }
  const rng = rngFor(plan.seed, 'gleif-foreign', index);
  const country = rng.pick(GLEIF_FOREIGN_COUNTRIES);
  return { index, lei, party: foreignParty(rng, country, 'gleif', lei) };
}

/** The register company of a crosswalked GLEIF entity: a legal person still in its register. */
function crosswalkedCompany(plan: GleifPlan, index: number): Company {
  const rng = rngFor(plan.seed, 'gleif-crosswalk', index);
  const register = rng.weighted(CROSSWALK_SHARES);
  const registerPlan = plan.registers[register];
  const start = (index * 7919 + (plan.seed % 7919)) % registerPlan.size;
  for (let k = 0; k < registerPlan.size; k++) {
    const company = companyAt(registerPlan, (start + k) % registerPlan.size);
    if (company.legalForm.kind === 'company' && company.status === 'active' && !company.partialDiffusion) return company;
  }
  return companyAt(registerPlan, start);
}

/** The LEI GLEIF holds for a register company, if any: the inverse of the crosswalk, by search. */
export function registerParty(company: Company, lei?: string): Party {
  return {
    kind: 'register',
    country: company.country,
    brand: company.brand,
    formVariants: company.legalForm.whoisVariants,
    company,
    lei,
    activity: company.activity,
  };
}

/** A company of a country without a register in the world (known to GLEIF or to nobody). */
export function foreignParty(rng: Rng, country: string, kind: 'gleif' | 'unregistered', lei?: string, activityOverride?: Activity): Party {
  const language = languageOf(country, rng);
  const activity = activityOverride ?? rng.weighted(COMMERCIAL_ACTIVITIES);
  const family = (PEOPLE[country] ?? PEOPLE['DE']!).family;
  let brand = brandName(rng, language, activity.words[language], family);
  // Network operators are named as real ones often are, with no word of what they do: 55 % of them,
  // drawn from a stream of the name's own (the caller's stream is as before).
  if (NETWORK_ACTIVITIES.includes(activity)) {
    const own = rngFor(hashString(brand), 'provider-brand', 0);
    if (own.chance(0.55)) brand = brandOnlyName(own, language, brand.split(' ')[0] ?? brand);
  }
  return {
    kind,
    country,
    brand,
    formVariants: FOREIGN_FORMS[country] ?? ['Ltd'],
    company: undefined,
    lei,
    activity,
  };
}

const NETWORK_ACTIVITIES: readonly Activity[] = [WIRED_TELECOM_ACTIVITY, MOBILE_TELECOM_ACTIVITY, HOSTING_ACTIVITY];

/** What a WHOIS party must be: an ordinary company, a telecom or hosting company, or a public body. */
export type PartyNeed = 'business' | 'telecom' | 'mobile' | 'hosting' | 'education' | 'government';

const NEEDED_ACTIVITY: Partial<Record<PartyNeed, Activity>> = {
  telecom: WIRED_TELECOM_ACTIVITY,
  mobile: MOBILE_TELECOM_ACTIVITY,
  hosting: HOSTING_ACTIVITY,
  education: UNIVERSITY_ACTIVITY,
  government: GOVERNMENT_ACTIVITY,
};

/** Tries this many register indices before settling for an unregistered party. */
const SEARCH_LIMIT = 50;

/**
 * A party of `country` that fits `need`: a register company where the country has a register (now
 * and then one that has left it, or a sole trader), a GLEIF entity or an unregistered company elsewhere.
 */
export function pickParty(
  rng: Rng,
  country: string,
  need: PartyNeed,
  registers: Record<RegisterId, RegisterPlan>,
  gleif: GleifPlan,
): Party {
  const register = registerOfCountry(country);
  const activity = NEEDED_ACTIVITY[need];
  if (register === undefined) return need === 'business' ? pickForeign(rng, country, gleif) : foreignParty(rng, country, 'unregistered', undefined, activity);
  const plan = registers[register];
  if (need !== 'business') {
    const index = indexWithRole(plan, need === 'telecom' ? 'telecom' : need, rng);
    return index === undefined ? foreignParty(rng, country, 'unregistered', undefined, activity) : registerParty(companyAt(plan, index));
  }
  const pool = Math.ceil(plan.size * 1.03); // indices past the size: companies that have left the register
  for (let tries = 0; tries < SEARCH_LIMIT; tries++) {
    const company = companyAt(plan, rng.int(pool));
    if (company.legalForm.kind === 'company') return registerParty(company);
  }
  return foreignParty(rng, country, 'unregistered');
}

/** A sole trader of a register country, for WHOIS objects that name a natural person. */
export function pickSoleTrader(rng: Rng, country: string, registers: Record<RegisterId, RegisterPlan>): Party | undefined {
  const register = registerOfCountry(country);
  if (register === undefined || !LEGAL_FORMS[register].some((f) => f.kind === 'natural-person')) return undefined;
  const plan = registers[register];
  for (let tries = 0; tries < 50; tries++) {
    const company = companyAt(plan, rng.int(plan.size));
    if (company.person !== undefined) return registerParty(company);
  }
  return undefined;
}

function pickForeign(rng: Rng, country: string, gleif: GleifPlan): Party {
  const foreignSize = gleif.size - gleif.crosswalked;
  if (foreignSize > 0 && (GLEIF_FOREIGN_COUNTRIES as readonly string[]).includes(country) && rng.chance(0.25)) {
    for (let tries = 0; tries < 60; tries++) {
      const entity = gleifEntityAt(gleif, gleif.crosswalked + rng.int(foreignSize));
      if (entity.party.country === country) return entity.party;
    }
  }
  return foreignParty(rng, country, 'unregistered');
}
