/**
 * Lithuanian Register of Legal Entities `JAR_IREGISTRUOTI.csv`: "|"-separated UTF-8, the form's code
 * and text, a status code (0 nothing noted, else bankrupt or in liquidation), the address town first.
 */
import type { Company } from '../../world/companies.js';
import { minimallyQuoted } from '../../output-file.js';
import type { Rng } from '../../world/random.js';
import { LT_JAR_HEADER } from './world-headers.js';
import { singleFileWriter, type RegisterWriter, nationalWorld } from '../../world/register-writer.js';

export const LT_FILE = 'JAR_IREGISTRUOTI.csv';

export const writeLtJar: RegisterWriter = singleFileWriter({
  register: 'lt-jar',
  file: LT_FILE,
  header: LT_JAR_HEADER,
  quote: (v) => minimallyQuoted(v, '|'),
  separator: '|',
  stream: 'lt-row',
  values,
  cut: (row) => row.replace(/\|[^|]*\|[^|]*\n$/, '\n'),
});

function values(c: Company, rng: Rng, snapshot: string): Record<string, string> {
  const a = c.address;
  const troubled = c.status !== 'active';
  const bankrupt = troubled && rng.chance(0.6);
  return {
    ja_kodas: c.id,
    ja_pavadinimas: c.name,
    adresas: `${a.city}, ${a.street} ${a.houseNumber}`,
    ja_reg_data: c.incorporatedOn,
    form_kodas: c.legalForm.code,
    form_pavadinimas: c.legalForm.text,
    stat_kodas: troubled ? (bankrupt ? '1' : '4') : '0',
    stat_pavadinimas: troubled ? (bankrupt ? 'Bankrutuojantis' : 'Likviduojamas') : 'Teisinis statusas neįregistruotas',
    stat_data_nuo: troubled ? (c.ceasedOn ?? '') : '',
    formavimo_data: snapshot,
  };
}

/** This register in the synthetic world (`ipreg generate`). */
export const world = nationalWorld('lt-jar', writeLtJar);
