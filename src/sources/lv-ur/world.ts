/**
 * Latvian Register of Enterprises `register.csv`: ";"-separated UTF-8, names with their form first and
 * the rest in quotes (SIA "Norvalo"), dates YYYY-MM-DD, a closed entity's `closed` L with the date it
 * was struck off, the address street first and the postcode last.
 */
import type { Company } from '../../world/companies.js';
import { minimallyQuoted } from '../../output-file.js';
import type { Rng } from '../../world/random.js';
import { LV_REGISTER_HEADER } from './world-headers.js';
import { singleFileWriter, type RegisterWriter, nationalWorld } from '../../world/register-writer.js';

export const LV_FILE = 'register.csv';

export const writeLvUr: RegisterWriter = singleFileWriter({
  register: 'lv-ur',
  file: LV_FILE,
  header: LV_REGISTER_HEADER,
  quote: (v) => minimallyQuoted(v, ';'),
  separator: ';',
  stream: 'lv-row',
  values,
  // The last two fields gone: a row the reader rejects.
  cut: (row) => row.replace(/;[^;]*;[^;]*\n$/, '\n'),
});

/** The part of a registered name in quotes: the brand, without the form that leads it. */
function inQuotes(name: string): string {
  return /"(.*)"$/.exec(name)?.[1] ?? name;
}

function values(c: Company, rng: Rng): Record<string, string> {
  const a = c.address;
  const closed = c.status !== 'active';
  const postcode = a.postcode.replace(/^LV-/, '');
  // A town in a county names its county after it (Dundaga, Dundagas nov.); a city stands alone (Rīga).
  const county = a.region.endsWith(' nov.') ? `, ${a.region}` : '';
  return {
    regcode: c.id,
    sepa: `LV${rng.between(10, 99)}ZZZ${c.id}`,
    name: c.name,
    name_before_quotes: c.legalForm.nameSuffix,
    name_in_quotes: inQuotes(c.name),
    name_after_quotes: '',
    without_quotes: '0',
    regtype: 'K',
    regtype_text: 'Komercreģistrs',
    type: c.legalForm.code,
    type_text: c.legalForm.text,
    registered: c.incorporatedOn,
    terminated: closed ? c.ceasedOn ?? '' : '',
    closed: closed ? 'L' : '',
    address: `${a.street} ${a.houseNumber}, ${a.city}${county}, LV-${postcode}`,
    index: postcode,
    addressid: String(rng.between(100_000_000, 199_999_999)),
    region: String(rng.between(100_000_000, 100_099_999)),
    city: '0',
    atvk: String(rng.between(1, 999_999)).padStart(7, '0'),
    reregistration_term: '',
  };
}

/** This register in the synthetic world (`ipreg generate`). */
export const world = nationalWorld('lv-ur', writeLvUr);
