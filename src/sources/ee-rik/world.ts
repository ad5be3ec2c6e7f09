/**
 * Estonian e-Business Register basic data (`ettevotja_rekvisiidid__lihtandmed.csv`): UTF-8 with a
 * byte-order mark, ";"-separated, dates dd.mm.yyyy, legal form in words, status R/L/N.
 */
import type { Company } from '../../world/companies.js';
import { minimallyQuoted } from '../../output-file.js';
import type { Rng } from '../../world/random.js';
import { EE_LIHTANDMED_HEADER } from './world-headers.js';
import { dotDate, singleFileWriter, type RegisterWriter, nationalWorld } from '../../world/register-writer.js';

export const EE_FILE = 'ettevotja_rekvisiidid__lihtandmed.csv';

export const writeEeRik: RegisterWriter = singleFileWriter({
  register: 'ee-rik',
  file: EE_FILE,
  header: EE_LIHTANDMED_HEADER,
  quote: (v) => minimallyQuoted(v, ';'),
  separator: ';',
  bom: true,
  stream: 'ee-row',
  values,
  cut: (row) => row.replace(/;[^;]*\n$/, '\n'),
});

const STATUS_TEXT: Record<string, string> = { R: 'Registrisse kantud', L: 'Likvideerimisel', N: 'Pankrotis' };

function values(c: Company, rng: Rng): Record<string, string> {
  const a = c.address;
  const status = c.status === 'active' ? 'R' : rng.chance(0.6) ? 'L' : 'N';
  const location = `${a.street} ${a.houseNumber}`;
  const area = `${a.city} linn, ${a.region}`;
  return {
    nimi: c.name,
    ariregistri_kood: c.id,
    ettevotja_oiguslik_vorm: c.legalForm.text,
    kmkr_nr: rng.chance(0.4) ? `EE10${rng.between(1000000, 9999999)}` : '',
    ettevotja_staatus: status,
    ettevotja_staatus_tekstina: STATUS_TEXT[status] as string,
    ettevotja_esmakande_kpv: dotDate(c.incorporatedOn),
    asukoht_ettevotja_aadressis: location,
    asukoha_ehak_kood: String(rng.between(1, 9999)).padStart(4, '0'),
    asukoha_ehak_tekstina: area,
    indeks_ettevotja_aadressis: a.postcode,
    ads_adr_id: String(rng.between(100000, 9999999)),
    ads_normaliseeritud_taisaadress: `${a.region}, ${a.city} linn, ${location}`,
    teabesysteemi_link: `https://ariregister.rik.ee/est/company/${c.id}`,
  };
}

/** This register in the synthetic world (`ipreg generate`). */
export const world = nationalWorld('ee-rik', writeEeRik);
