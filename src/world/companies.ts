/**
 * The companies of the world's registers. Company `i` of a register is a pure function of (seed,
 * register, i): the register writers stream i = 0 … n−1, and the IP side rebuilds any company it
 * names from its index alone. Indices from n up are companies that have left the register (dissolved
 * or struck off): WHOIS may still name them, the register files do not hold them.
 */
import { brregCheckDigit, czechCheckDigit, finnishCheckDigit, luhnCheckDigit, estonianCode, kboNumber, latvianCheckDigit, sirenFrom } from './identifiers.js';
import { LEGAL_FORMS, REGISTER_COUNTRY, type LegalForm, type RegisterId } from './legal-forms.js';
import { brandName, brandOnlyName, brandWord, languageOf, slug, uniqueWord, uniqueWordLength } from './names.js';
import type { Language } from './vocabulary.js';
import { Permutation, rngFor, WeightedTable, type Rng } from './random.js';
import {
  COMMERCIAL_ACTIVITIES,
  GOVERNMENT_ACTIVITY,
  HOSTING_ACTIVITY,
  MOBILE_TELECOM_ACTIVITY,
  PEOPLE,
  PLACES,
  STREETS,
  UNIVERSITY_ACTIVITY,
  WIRED_TELECOM_ACTIVITY,
  type Activity,
  type Place,
} from './vocabulary.js';

/** A postal address. */
export interface Address {
  street: string;
  houseNumber: string;
  postcode: string;
  city: string;
  region: string;
}

/** One register record of the world. */
export interface Company {
  register: RegisterId;
  index: number;
  /** The register's identifier, as it prints it (leading zeros kept). */
  id: string;
  country: string;
  legalForm: LegalForm;
  publicRole: 'education' | 'government' | undefined;
  /** The distinctive name in natural case, without legal form. */
  brand: string;
  /** The registered name, as the register prints it. */
  name: string;
  tradingName: string | undefined;
  previousNames: readonly { name: string; changedOn: string }[];
  person: { given: string; family: string } | undefined;
  /** Active, or ceased but still published (SIRENE "C", Brreg bankrupt, Estonian in liquidation). */
  status: 'active' | 'ceased';
  /** Whether the register still publishes the record (false for indices past the register's size). */
  inRegister: boolean;
  incorporatedOn: string;
  ceasedOn: string | undefined;
  /** SIRENE statutDiffusion "P": the record may not be used for prospecting. */
  partialDiffusion: boolean;
  /** The register says the company wants no marketing (SCB's Reklamsparrtyp): never linked, never in an answer. */
  marketingOptOut: boolean;
  address: Address;
  activity: Activity;
  website: string | undefined;
}

/** What the world knows of one register: its size and the seed. */
export interface RegisterPlan {
  register: RegisterId;
  /** Records in the register file. */
  size: number;
  seed: number;
}

const SNAPSHOT_YEAR = 2026;

/** Company `index` of a register. */
export function companyAt(plan: RegisterPlan, index: number): Company {
  const { register } = plan;
  const rng = rngFor(plan.seed, `company:${register}`, index);
  const country = REGISTER_COUNTRY[register];
  const role = roleAt(plan, index);
  const publicRole = role === 'education' || role === 'government' ? role : undefined;
  const legalForm =
    publicRole !== undefined ? publicBodyForm(register, publicRole) : (role === undefined ? ANY_FORM : COMPANY_FORM)[register].pick(rng);
  const place = rng.pick(PLACES[country] ?? []);
  const people = PEOPLE[country] ?? PEOPLE['GB']!;
  const activity =
    role === undefined
      ? COMMERCIAL_ACTIVITY_TABLE.pick(rng)
      : role === 'education'
        ? UNIVERSITY_ACTIVITY
        : role === 'government'
          ? GOVERNMENT_ACTIVITY
          : NETWORK_ACTIVITY[role];
  const language = languageOf(country, rng);
  const person = legalForm.kind === 'natural-person' ? { given: rng.pick(people.given), family: rng.pick(people.family) } : undefined;
  const brand =
    person !== undefined
      ? personTradeName(rng, person, activity, language)
      : publicRole !== undefined
        ? publicBodyName(rng, publicRole, place, language)
        : providerBrand(plan, register, index, role, language) ?? brandName(rng, language, activity.words[language], people.family, distinctiveWord(plan, index, rng));
  const incorporatedOn = dateBetween(rng, 1950, SNAPSHOT_YEAR - 1);
  const inRegister = index < plan.size;
  const status = ceased(register, rng) ? 'ceased' : 'active';
  const previousNames = rng.chance(register === 'gb-companies-house' || register === 'ie-cro' ? 0.12 : 0.04) ? previousNamesOf(rng, register, incorporatedOn) : [];
  return {
    register,
    index,
    id: registerId(plan, index, legalForm),
    country,
    legalForm,
    publicRole,
    brand,
    name: registeredName(register, legalForm, brand, person),
    // Trading names where the register publishes them (KBO commercial names, SIRENE denominationUsuelle).
    tradingName:
      person === undefined && (register === 'be-kbo' || register === 'fr-sirene') && rng.chance(0.1)
        ? `${brandWord(rng)} ${activity.words[language]?.[0] ?? ''}`.trim()
        : undefined,
    previousNames,
    person,
    status: inRegister ? status : 'ceased',
    inRegister,
    incorporatedOn,
    ceasedOn: status === 'ceased' || !inRegister ? dateBetween(rng, Number(incorporatedOn.slice(0, 4)), SNAPSHOT_YEAR - 1) : undefined,
    partialDiffusion: register === 'fr-sirene' && rng.chance(legalForm.kind === 'natural-person' ? 0.12 : 0.02),
    // A stream of its own: the other registers' companies draw exactly what they drew before.
    marketingOptOut: register === 'se-bolagsverket' && legalForm.kind === 'company' && rngFor(plan.seed, 'marketing-opt-out', index).chance(0.08),
    address: addressIn(rng, country, place),
    activity,
    website: person === undefined && rng.chance(0.2) ? `${slug(brand).toLowerCase().replace(/-/g, '')}.${websiteTld(country)}` : undefined,
  };
}

const formTable = (keep: (f: LegalForm) => boolean) =>
  Object.fromEntries(
    (Object.keys(LEGAL_FORMS) as RegisterId[]).map((r) => [r, new WeightedTable(LEGAL_FORMS[r].filter(keep).map((f) => [f, f.weight] as const))]),
  ) as Record<RegisterId, WeightedTable<LegalForm>>;
/** Legal forms of ordinary records (natural persons included), and of companies only (network operators). */
const ANY_FORM = formTable((f) => f.kind !== 'public-body');
const COMPANY_FORM = formTable((f) => f.kind === 'company');
const COMMERCIAL_ACTIVITY_TABLE = new WeightedTable(COMMERCIAL_ACTIVITIES);

/**
 * The first word of a company's brand: unique in its register (indices up to three times the size:
 * KBO's new enterprises sit past twice the size), except for one company in a hundred that shares a
 * neighbour's — same name, another company, as registers have them.
 */
function distinctiveWord(plan: RegisterPlan, index: number, rng: Rng): string {
  const space = plan.size * 3 + 100;
  const length = uniqueWordLength(space);
  const at = rng.chance(0.01) && index > 0 ? index - 1 : index;
  return uniqueWord(permutation(space, plan.seed ^ 0x77).at(at % space), length);
}

/** What a company at a reserved index is: public bodies and network operators sit at fixed strides. */
export type CompanyRole = 'education' | 'government' | 'telecom' | 'mobile' | 'hosting';

const NETWORK_ACTIVITY: Record<'telecom' | 'mobile' | 'hosting', Activity> = {
  telecom: WIRED_TELECOM_ACTIVITY,
  mobile: MOBILE_TELECOM_ACTIVITY,
  hosting: HOSTING_ACTIVITY,
};
const NETWORK_ROLES = ['telecom', 'mobile', 'hosting'] as const;

/** Strides of the reserved indices: about one public body in 10,007 companies, three network operators in 997. */
function strides(plan: RegisterPlan): { publicStride: number; networkStride: number } {
  return {
    publicStride: Math.max(2, Math.min(10_007, Math.floor(plan.size / 8))),
    networkStride: Math.max(5, Math.min(997, Math.floor(plan.size / 12))),
  };
}

/**
 * The brand of a network operator named as real ones often are, with no word of what it does: 55 % of
 * them (drawn from a stream of their own, so the rest of the world is as before); undefined for the
 * others and for companies that are no operator.
 */
function providerBrand(plan: RegisterPlan, register: RegisterId, index: number, role: CompanyRole | undefined, language: Language): string | undefined {
  if (role === undefined || !(NETWORK_ROLES as readonly string[]).includes(role)) return undefined;
  const own = rngFor(plan.seed, `provider-brand:${register}`, index);
  // Its distinctive word, as any company's brand begins: the names stay one company's each.
  return own.chance(0.55) ? brandOnlyName(own, language, distinctiveWord(plan, index, own)) : undefined;
}

/**
 * The role of the company at `index`, if any. Public bodies and network operators are rare, and WHOIS
 * needs them: keeping them at fixed strides lets the IP side find one without scanning the register.
 */
export function roleAt(plan: RegisterPlan, index: number): CompanyRole | undefined {
  const { publicStride, networkStride } = strides(plan);
  if (index % publicStride === 0 && LEGAL_FORMS[plan.register].some((f) => f.kind === 'public-body')) {
    return Math.floor(index / publicStride) % 3 === 0 ? 'education' : 'government';
  }
  const slot = index % networkStride;
  return slot >= 1 && slot <= 3 ? NETWORK_ROLES[slot - 1] : undefined;
}

/** A random index (below `limit`) of a company with `role`, or undefined if the register has none. */
export function indexWithRole(plan: RegisterPlan, role: CompanyRole, rng: Rng, limit = plan.size): number | undefined {
  const { publicStride, networkStride } = strides(plan);
  for (let tries = 0; tries < 20; tries++) {
    const index =
      role === 'education' || role === 'government'
        ? publicStride * rng.int(Math.ceil(limit / publicStride))
        : networkStride * rng.int(Math.ceil(limit / networkStride)) + 1 + NETWORK_ROLES.indexOf(role);
    if (index < limit && roleAt(plan, index) === role) return index;
  }
  return undefined;
}

function publicBodyForm(register: RegisterId, role: 'education' | 'government'): LegalForm {
  const forms = LEGAL_FORMS[register].filter((f) => f.kind === 'public-body');
  const wanted = register === 'fr-sirene' ? (role === 'education' ? '7383' : '7210') : register === 'no-brreg' ? (role === 'education' ? 'ORGL' : 'KOMM') : undefined;
  return forms.find((f) => f.code === wanted) ?? (forms[0] as LegalForm);
}

function publicBodyName(rng: Rng, role: 'education' | 'government', place: Place, language: string): string {
  const city = place.city[0] + place.city.slice(1).toLowerCase();
  if (role === 'education') {
    switch (language) {
      case 'fr':
        return rng.chance(0.5) ? `Université de ${city}` : `Université ${brandWord(rng)} ${city}`;
      case 'no':
        return `Universitetet i ${city}`;
      case 'nl':
        return `Universiteit ${city}`;
      default:
        return `University of ${city}`;
    }
  }
  switch (language) {
    case 'fr':
      return `Commune de ${city}`;
    case 'no':
      return `${city} kommune`;
    default:
      return `Stad ${city}`;
  }
}

/** A sole trader's trade name: the person's name, often with what they do. */
function personTradeName(rng: Rng, person: { given: string; family: string }, activity: Activity, language: string): string {
  const word = activity.words[language as keyof Activity['words']]?.[0];
  return word !== undefined && rng.chance(0.5) ? `${person.given} ${person.family} ${word}` : `${person.given} ${person.family}`;
}

/** The name as the register prints it: case conventions and legal-form suffixes differ per register. */
function registeredName(register: RegisterId, form: LegalForm, brand: string, person: Company['person']): string {
  switch (register) {
    case 'gb-companies-house':
      return `${brand} ${form.nameSuffix}`.toUpperCase();
    case 'fr-sirene':
      return person !== undefined ? '' : brand.toUpperCase();
    case 'no-brreg':
      return (form.nameSuffix === '' ? brand : `${brand} ${form.nameSuffix}`).toUpperCase();
    case 'be-kbo':
      return brand;
    case 'ee-rik':
      return form.nameSuffix === '' ? brand : `${brand} ${form.nameSuffix}`;
    case 'lv-ur':
      return form.nameSuffix === '' ? brand : `${form.nameSuffix} "${brand}"`;
    case 'lt-jar':
      return form.nameSuffix === '' ? brand : `${form.nameSuffix} "${brand}"`;
    case 'cz-res':
      return form.nameSuffix === '' ? brand : `${brand} ${form.nameSuffix}`;
    case 'se-bolagsverket':
      return form.nameSuffix === '' ? brand : `${brand} ${form.nameSuffix}`;
    case 'ie-cro':
      return `${brand} ${form.nameSuffix}`.toUpperCase();
    case 'fi-prh':
      return form.nameSuffix === '' ? brand : `${brand} ${form.nameSuffix}`;
  }
}

function ceased(register: RegisterId, rng: Rng): boolean {
  switch (register) {
    case 'fr-sirene':
      return rng.chance(0.35);
    case 'no-brreg':
      return rng.chance(0.02);
    case 'ee-rik':
      return rng.chance(0.04);
    case 'lv-ur':
      return rng.chance(0.1);
    case 'lt-jar':
      return rng.chance(0.05);
    case 'cz-res':
      return rng.chance(0.15);
    case 'se-bolagsverket':
      return rng.chance(0.2);
    case 'ie-cro':
      // The CRO's file keeps dissolved companies: 55 % of its rows (a profile of the 2026-05 file).
      return rng.chance(0.5);
    case 'fi-prh':
      return rng.chance(0.1);
    default:
      return false;
  }
}

function previousNamesOf(rng: Rng, register: RegisterId, since: string) {
  const count = rng.chance(0.8) ? 1 : 2;
  const names = [];
  for (let i = 0; i < count; i++) {
    const old = `${brandWord(rng)} ${rng.pick(['Trading', 'Services', 'Consulting', 'Systems', 'Holdings'])}`;
    const suffix = register === 'gb-companies-house' || register === 'ie-cro' ? ' LIMITED' : '';
    names.push({ name: (old + suffix).toUpperCase(), changedOn: dateBetween(rng, Number(since.slice(0, 4)), SNAPSHOT_YEAR - 1) });
  }
  return names;
}

function websiteTld(country: string): string {
  return { GB: 'co.uk', FR: 'fr', NO: 'no', BE: 'be', EE: 'ee', LV: 'lv', LT: 'lt', CZ: 'cz', SE: 'se', IE: 'ie', FI: 'fi' }[country] ?? 'com';
}

/** A date (YYYY-MM-DD) uniformly between two years. */
export function dateBetween(rng: Rng, fromYear: number, toYear: number): string {
  const year = rng.between(fromYear, Math.max(fromYear, toYear));
  const month = rng.between(1, 12);
  const day = rng.between(1, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A street address in a place. */
export function addressIn(rng: Rng, country: string, place: Place): Address {
  return {
    street: rng.pick(STREETS[country] ?? STREETS['GB']!),
    houseNumber: String(rng.skewed(12, 1, 1)),
    postcode: postcodeFrom(rng, rng.pick(place.postcodes)),
    city: place.city,
    region: place.region,
  };
}

/** Fills a postcode pattern: # a digit, @ a capital letter. */
export function postcodeFrom(rng: Rng, pattern: string): string {
  let out = '';
  for (const c of pattern) out += c === '#' ? String(rng.int(10)) : c === '@' ? String.fromCharCode(65 + rng.int(26)) : c;
  return out;
}

const PERMUTATIONS = new Map<number, Map<number, Permutation>>();

function permutation(size: number, salt: number): Permutation {
  let bySalt = PERMUTATIONS.get(size);
  if (bySalt === undefined) PERMUTATIONS.set(size, (bySalt = new Map()));
  let p = bySalt.get(salt);
  if (p === undefined) bySalt.set(salt, (p = new Permutation(size, salt)));
  return p;
}

/** The register identifier of company `index`: unique per register, with its real check digits. */
export function registerId(plan: RegisterPlan, index: number, form: LegalForm): string {
  switch (plan.register) {
    case 'gb-companies-house':
      return companiesHouseNumber(index, plan.seed);
    case 'fr-sirene':
      return sirenFrom(permutation(100_000_000, plan.seed ^ 0x51e1).at(index));
    case 'no-brreg':
      return brregNumber(index, plan.seed);
    case 'be-kbo':
      return kboNumber(2_000_000 + permutation(18_000_000, plan.seed ^ 0xb0).at(index), 'enterprise');
    case 'ee-rik':
      return estonianCode(1_000_000 + permutation(7_000_000, plan.seed ^ 0xee).at(index));
    case 'lv-ur':
      return latvianNumber(index, plan.seed);
    case 'lt-jar':
      return String(300_000_000 + permutation(10_000_000, plan.seed ^ 0x17).at(index));
    case 'cz-res':
      return czechIco(index, plan.seed);
    case 'se-bolagsverket':
      return form.kind === 'natural-person' ? swedishPersonalNumber(index, plan.seed) : swedishOrgNumber(index, plan.seed, form);
    case 'ie-cro':
      // CRO numbers run from 1 to about 800 000 in order of registration; no check digit.
      return String(1 + permutation(900_000, plan.seed ^ 0x1e).at(index));
    case 'fi-prh':
      return finnishBusinessId(index, plan.seed);
  }
}

/** A Finnish business ID (Y-tunnus): seven digits, a hyphen, the mod-11 check digit (bases whose remainder is 1 have none and are skipped). */
function finnishBusinessId(index: number, seed: number): string {
  const size = 10_000_000;
  const order = permutation(size, seed ^ 0xf1);
  for (let k = 0; k < size; k++) {
    const base = String(order.at((index * 11 + k) % size)).padStart(7, '0');
    const check = finnishCheckDigit(base);
    if (check !== undefined) return `${base}-${check}`;
  }
  throw new Error('no Finnish business ID');
}

/** The group digit of a Swedish organisation number by legal form (5 limited companies, 9 partnerships, 7 associations, 2 public bodies). */
const SWEDISH_GROUP: Record<string, string> = { AB: '5', HB: '9', KB: '9', EK: '7', '82': '2' };

/** A Swedish organisation number: the form's group digit, a third digit of 2 or more (never a date's month), the Luhn check digit. */
function swedishOrgNumber(index: number, seed: number, form: LegalForm): string {
  const p = String(permutation(10_000_000, seed ^ 0x5e).at(index)).padStart(7, '0');
  const base = `${SWEDISH_GROUP[form.code] ?? '5'}${p[0]}6${p.slice(1)}`;
  return base + luhnCheckDigit(base);
}

/** A Swedish sole trader's number: the owner's personal identity number, 12 digits (century, date, serial, Luhn digit). */
function swedishPersonalNumber(index: number, seed: number): string {
  const rng = rngFor(seed, 'se-person', index);
  const year = rng.between(1940, 2000);
  const date = `${String(year % 100).padStart(2, '0')}${String(rng.between(1, 12)).padStart(2, '0')}${String(rng.between(1, 28)).padStart(2, '0')}`;
  const base = `${date}${String(index % 1000).padStart(3, '0')}`;
  return `${Math.floor(year / 100)}${base}${luhnCheckDigit(base)}`;
}

/** Czech IČO: 8 digits, the last the check digit of the first seven (every seven have one). */
function czechIco(index: number, seed: number): string {
  const base = String(permutation(10_000_000, seed ^ 0xc2).at(index)).padStart(7, '0');
  return base + czechCheckDigit(base);
}

/** Latvian registration numbers: 4000… for companies (the commercial register's), with their check digit. */
function latvianNumber(index: number, seed: number): string {
  const size = 10_000_000;
  const p = permutation(size, seed ^ 0x1f);
  // For index < 1 M (the real register has 0.48 M), index + k·1 M is distinct for every (index, k) with k < 10.
  for (let k = 0; ; k++) {
    const base = `400${String(p.at((index + k * 1_000_000) % size)).padStart(7, '0')}`;
    const check = latvianCheckDigit(base);
    if (check !== undefined) return base + check;
  }
}

/** Companies House numbers: 8 digits, with SC (Scotland), NI (Northern Ireland) and OC (LLP) prefixes. */
function companiesHouseNumber(index: number, seed: number): string {
  if (index % 23 === 5) return `SC${String(permutation(1_000_000, seed ^ 0x5c).at(Math.floor(index / 23))).padStart(6, '0')}`;
  if (index % 47 === 7) return `NI${String(permutation(1_000_000, seed ^ 0x41).at(Math.floor(index / 47))).padStart(6, '0')}`;
  if (index % 61 === 11) return `OC${String(permutation(1_000_000, seed ^ 0x0c).at(Math.floor(index / 61))).padStart(6, '0')}`;
  return String(permutation(100_000_000, seed ^ 0xc4).at(index)).padStart(8, '0');
}

/** Brønnøysund numbers: 9 digits starting 8 or 9 with a mod-11 check; bases without a check digit are skipped. */
function brregNumber(index: number, seed: number): string {
  const size = 20_000_000;
  const p = permutation(size, seed ^ 0xb7);
  // For index < 2 M (the real register has 1.3 M), index + k·2 M is distinct for every (index, k) with k < 10,
  // and the permutation is a bijection: no two companies share a number.
  for (let k = 0; ; k++) {
    const base = String(80_000_000 + p.at((index + k * 2_000_000) % size)).padStart(8, '0');
    const check = brregCheckDigit(base);
    if (check !== undefined) return base + check;
  }
}
