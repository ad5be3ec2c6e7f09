/**
 * Company names: the distinctive brand a company is known by, the name its register prints, and the
 * many ways a WHOIS writer spells it (legal-form variants, transliteration, abbreviation, typos,
 * mojibake). The noise a linker must see through is made here, and recorded by the caller.
 */
import { WeightedTable, type Rng } from './random.js';
import { SYLLABLES, TRANSLITERATIONS, type Language } from './vocabulary.js';

/** An invented brand word of two or three syllables, capitalised ("Norvalo"). */
export function brandWord(rng: Rng): string {
  const count = rng.chance(0.7) ? 2 : 3;
  let word = '';
  for (let i = 0; i < count; i++) word += rng.pick(SYLLABLES);
  return word[0]!.toUpperCase() + word.slice(1);
}

/** Generic words that follow a brand, per language. */
const GENERIC: Record<Language, readonly string[]> = {
  en: ['Group', 'Solutions', 'Services', 'Partners', 'Holdings', 'International', 'Industries'],
  fr: ['Groupe', 'Services', 'Solutions', 'Partenaires', 'Industries', 'International'],
  no: ['Gruppen', 'Service', 'Holding', 'Invest', 'Industri'],
  nl: ['Group', 'Services', 'Holding', 'Invest', 'Solutions'],
  et: ['Grupp', 'Teenused', 'Invest', 'Holding'],
  lv: ['Grupa', 'Serviss', 'Invest', 'Holding', 'Tehnoloģijas'],
  lt: ['Grupė', 'Paslaugos', 'Invest', 'Holding', 'Technologijos'],
  cs: ['Group', 'Služby', 'Invest', 'Holding', 'Technologie'],
  fi: ['Group', 'Palvelut', 'Invest', 'Holding', 'Tekniikka', 'Konsultointi'],
  sv: ['Gruppen', 'Tjänster', 'Invest', 'Holding', 'Teknik', 'Konsult'],
  de: ['Gruppe', 'Dienstleistungen', 'Holding', 'Industrie'],
  it: ['Gruppo', 'Servizi', 'Industrie'],
  es: ['Grupo', 'Servicios', 'Soluciones'],
};

/** The language companies of a country name themselves in. */
export function languageOf(country: string, rng: Rng): Language {
  switch (country) {
    case 'GB':
    case 'US':
    case 'JP':
    case 'ZA':
      return 'en';
    case 'FR':
      return 'fr';
    case 'NO':
      return 'no';
    case 'BE':
      return rng.chance(0.4) ? 'fr' : 'nl';
    case 'EE':
      return 'et';
    case 'LV':
      return 'lv';
    case 'LT':
      return 'lt';
    case 'CZ':
      return 'cs';
    case 'SE':
      return 'sv';
    case 'FI':
      return 'fi';
    case 'IE':
      return 'en';
    case 'DE':
      return 'de';
    case 'NL':
      return 'nl';
    case 'IT':
      return 'it';
    case 'ES':
    case 'BR':
      return 'es';
    default:
      return 'en';
  }
}

/**
 * A word no other index of the same space gets: the index, permuted, written in base-|SYLLABLES|
 * digits, one syllable each. Register companies take their first brand word from here, so a name is
 * rare rather than shared by thousands — as real registered names mostly are.
 */
export function uniqueWord(permuted: number, syllables: number): string {
  let word = '';
  let n = permuted;
  for (let i = 0; i < syllables; i++) {
    word += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return word[0]!.toUpperCase() + word.slice(1);
}

/** How many syllables unique words need for a space of `size` indices (three, or four for big registers). */
export function uniqueWordLength(size: number): number {
  if (size > SYLLABLES.length ** 4) throw new RangeError(`no unique words for ${size} indices`);
  return size <= SYLLABLES.length ** 3 ? 3 : 4;
}

/** A brand in natural case: a distinctive first word, then sector, generic or family words. */
export function brandName(
  rng: Rng,
  language: Language,
  sectorWords: readonly string[] | undefined,
  family: readonly string[],
  first: string = brandWord(rng),
): string {
  const sector = sectorWords !== undefined && sectorWords.length > 0 ? rng.pick(sectorWords) : rng.pick(GENERIC[language]);
  const style = rng.float();
  if (style < 0.5) return `${first} ${sector}`;
  if (style < 0.68) return `${first} ${brandWord(rng)}`;
  if (style < 0.8) return `${capitalise(rng.pick(family))} ${first} ${sector}`;
  if (style < 0.9) return `${first} ${sector} ${rng.pick(GENERIC[language])}`;
  return `${first}${rng.chance(0.5) ? ' & ' : ' '}${brandWord(rng)} ${sector}`;
}

/**
 * A provider's name as real ones often are, a brand with no word of what it does ("Orange", "Free",
 * "Telia Company"): the brand alone, or with a generic word. Drawn from `rng`, a stream of its own.
 */
export function brandOnlyName(rng: Rng, language: Language, first: string): string {
  return rng.chance(0.5) ? first : `${first} ${rng.pick(GENERIC[language])}`;
}

function capitalise(word: string): string {
  return word.length === 0 ? word : word[0]!.toUpperCase() + word.slice(1).toLowerCase();
}

/** The noise applied to a name as a WHOIS writer spells it; each is recorded in the truth. */
export type NameNoise =
  | 'none'
  | 'form-variant'
  | 'no-form'
  | 'uppercase'
  | 'transliterated'
  | 'abbreviated'
  | 'typo'
  | 'mojibake'
  | 'ampersand';

const NOISE = new WeightedTable<NameNoise>([
  ['none', 40],
  ['form-variant', 20],
  ['no-form', 10],
  ['uppercase', 10],
  ['transliterated', 6],
  ['abbreviated', 5],
  ['ampersand', 3],
  ['typo', 3],
  ['mojibake', 3],
]);

/** Spells `brand` plus a legal-form variant the way a WHOIS object would, with one kind of noise. */
export function whoisSpelling(rng: Rng, brand: string, formVariants: readonly string[]): { name: string; noise: NameNoise } {
  const form = formVariants.length > 0 ? rng.pick(formVariants) : '';
  const withForm = form === '' ? brand : `${brand} ${form}`;
  const noise = NOISE.pick(rng);
  switch (noise) {
    case 'none':
    case 'form-variant':
      return { name: withForm, noise: form === '' ? 'none' : noise };
    case 'no-form':
      return { name: brand, noise: form === '' ? 'none' : 'no-form' };
    case 'uppercase':
      return { name: withForm.toUpperCase(), noise };
    case 'transliterated': {
      const t = transliterate(withForm);
      return { name: t, noise: t === withForm ? 'none' : noise };
    }
    case 'abbreviated': {
      const a = abbreviate(withForm);
      return { name: a, noise: a === withForm ? 'none' : noise };
    }
    case 'ampersand': {
      const a = withForm.includes(' & ') ? withForm.replace(' & ', ' and ') : withForm;
      return { name: a, noise: a === withForm ? 'none' : noise };
    }
    case 'typo':
      return { name: typo(rng, withForm), noise };
    case 'mojibake': {
      const m = mojibake(withForm);
      return { name: m, noise: m === withForm ? 'none' : noise };
    }
  }
}

const TRANSLITERATION_MAP = new Map(TRANSLITERATIONS);
const TRANSLITERATED = new RegExp(`[${TRANSLITERATIONS.map(([from]) => from).join('')}]`, 'g');

/** Replaces letters a keyboard without them would replace (ü → ue, ø → oe, õ → o …), then strips accents. */
export function transliterate(text: string): string {
  // Plain ASCII needs nothing: most names are, and this runs for millions of them.
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return text.replace(TRANSLITERATED, (c) => TRANSLITERATION_MAP.get(c) ?? c).normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

const ABBREVIATIONS: readonly (readonly [RegExp, string])[] = [
  [/\bInternational\b/, 'Intl'],
  [/\bServices\b/, 'Svcs'],
  [/\bSolutions\b/, 'Sol.'],
  [/\bHoldings\b/, 'Hldgs'],
  [/\bEngineering\b/, 'Eng.'],
  [/\bGroupe\b/, 'Grpe'],
  [/\bCompany\b/, 'Co.'],
  [/\bTechnology\b/, 'Tech'],
];

function abbreviate(text: string): string {
  for (const [pattern, short] of ABBREVIATIONS) if (pattern.test(text)) return text.replace(pattern, short);
  return text;
}

/** One swapped, dropped or doubled letter inside a word of at least five letters. */
function typo(rng: Rng, text: string): string {
  const words = text.split(' ');
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => /^\p{L}{5,}$/u.test(w));
  if (candidates.length === 0) return text;
  const [word, at] = rng.pick(candidates);
  const p = rng.between(1, word.length - 2);
  const kind = rng.int(3);
  const changed =
    kind === 0
      ? word.slice(0, p) + word[p + 1] + word[p] + word.slice(p + 2)
      : kind === 1
        ? word.slice(0, p) + word.slice(p + 1)
        : word.slice(0, p) + word[p] + word.slice(p);
  words[at] = changed;
  return words.join(' ');
}

/** UTF-8 bytes read as latin-1: "Müller" → "MÃ¼ller" (what a mis-set terminal stored in WHOIS). */
export function mojibake(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** The name slug used in netnames and domains ("Norvalo Logistics" → "NORVALO-LOGISTICS"). */
export function slug(text: string): string {
  return transliterate(text)
    .toUpperCase()
    .replace(/&/g, ' ')
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
