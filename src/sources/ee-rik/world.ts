/**
 * Estonian e-Business Register basic data (`ettevotja_rekvisiidid__lihtandmed.csv`): UTF-8 with a
 * byte-order mark, ";"-separated, dates dd.mm.yyyy, legal form in words, status R/L/N.
 */
import { join } from 'node:path';
import { companyAt, type Company } from '../../world/companies.js';
import { minimallyQuoted, OutputFile } from '../../output-file.js';
import { rngFor, type Rng } from '../../world/random.js';
import { EE_LIHTANDMED_HEADER } from './world-headers.js';
import { dotDate, isMalformedRow, RowFormat, type RegisterWriter, nationalWorld } from '../../world/register-writer.js';

const quote = (v: string) => minimallyQuoted(v, ';');
const ROW = new RowFormat(EE_LIHTANDMED_HEADER, quote, ';');

export const EE_FILE = 'ettevotja_rekvisiidid__lihtandmed.csv';


export const writeEeRik: RegisterWriter = async (ctx) => {
  const out = await OutputFile.open(join(ctx.outDir, 'ee-rik', EE_FILE), { encoding: 'utf8', bom: true });
  await out.write(`${EE_LIHTANDMED_HEADER.join(';')}\n`);
  for (let i = 0; i < ctx.plan.size; i++) {
    const c = companyAt(ctx.plan, i);
    if (c.person !== undefined) await ctx.truth.naturalPerson('ee-rik', c.id, c.name);
    const row = ROW.format(values(c, rngFor(ctx.plan.seed, 'ee-row', i)));
    if (isMalformedRow(ctx, EE_FILE, i, ctx.plan.size)) {
      await ctx.truth.malformed('ee-rik', EE_FILE, out.lines + 1, c.id, 'column count');
      await out.write(row.replace(/;[^;]*\n$/, '\n'));
      continue;
    }
    await out.write(row);
  }
  return [await out.close()];
};

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
