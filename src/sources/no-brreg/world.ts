/**
 * Brønnøysund Enhetsregisteret `enheter`: gzipped CSV, every field quoted, booleans "true"/"false".
 * The world holds the current file with the 2026 column set and a 2024 snapshot with the older one,
 * so a parser must read both by name. Free text may carry line breaks; address lines are joined with a
 * literal "/n"; sole proprietorships (ENK) name a person.
 */
import { join } from 'node:path';
import { companyAt, type Company } from '../../world/companies.js';
import { OutputFile, quoted } from '../../output-file.js';
import { rngFor, type Rng } from '../../world/random.js';
import { BRREG_ENHETER_2024_HEADER, BRREG_ENHETER_2026_HEADER } from './world-headers.js';
import { isMalformedRow, RowFormat, type RegisterContext, type RegisterWriter, nationalWorld } from '../../world/register-writer.js';

export const BRREG_FILE = 'enheter.csv.gz';
export const BRREG_2024_FILE = 'enheter-2024.csv.gz';

export const writeBrreg: RegisterWriter = async (ctx) => [
  await writeEnheter(ctx, BRREG_FILE, BRREG_ENHETER_2026_HEADER, '2026'),
  await writeEnheter(ctx, BRREG_2024_FILE, BRREG_ENHETER_2024_HEADER, '2024'),
];

async function writeEnheter(ctx: RegisterContext, file: string, header: readonly string[], edition: '2024' | '2026') {
  const out = await OutputFile.open(join(ctx.outDir, 'no-brreg', file), { encoding: 'utf8', gzip: true });
  const row = new RowFormat(header, quoted);
  await out.write(`${header.map(quoted).join(',')}\n`);
  for (let i = 0; i < ctx.plan.size; i++) {
    const c = companyAt(ctx.plan, i);
    // The 2024 snapshot does not know companies founded since.
    if (edition === '2024' && c.incorporatedOn >= '2024-06-01') continue;
    if (edition === '2026' && c.person !== undefined) await ctx.truth.naturalPerson('no-brreg', c.id, c.name);
    const values = enhetValues(c, rngFor(ctx.plan.seed, 'brreg-row', i));
    if (isMalformedRow(ctx, file, i, ctx.plan.size)) {
      const broken = `${c.id.slice(0, 8)}${(Number(c.id[8]) + 1) % 10}`;
      await ctx.truth.malformed('no-brreg', file, out.lines + 1, broken, 'organisation number fails mod 11');
      await out.write(row.format({ ...values, organisasjonsnummer: broken }));
      continue;
    }
    await out.write(row.format(values));
  }
  return out.close();
}

const SECTOR: Record<string, [string, string]> = {
  AS: ['2100', 'Private aksjeselskaper mv.'],
  ASA: ['2100', 'Private aksjeselskaper mv.'],
  ENK: ['8200', 'Personlig næringsdrivende'],
  NUF: ['1120', 'Statlig eide aksjeselskaper mv.'],
  DA: ['2300', 'Personlige foretak'],
  STI: ['7000', 'Ideelle organisasjoner'],
  ORGL: ['6100', 'Statsforvaltningen'],
  KOMM: ['6500', 'Kommuneforvaltningen'],
};

function enhetValues(c: Company, rng: Rng): Record<string, string> {
  const a = c.address;
  const street = `${a.street} ${a.houseNumber}`;
  const kommunenummer = String(rng.between(301, 5632)).padStart(4, '0');
  const bankrupt = c.status === 'ceased';
  const [sectorCode, sectorText] = SECTOR[c.legalForm.code] ?? ['2100', 'Private aksjeselskaper mv.'];
  const employees = rng.chance(0.6) ? String(rng.skewed(3, 1.3, 0)) : '';
  const purpose = rng.chance(0.01)
    ? `${c.activity.text.no}.\nSamt annen virksomhet som naturlig hører sammen med dette.`
    : `${c.activity.text.no}, samt annen virksomhet forbundet med dette.`;
  return {
    organisasjonsnummer: c.id,
    navn: c.name,
    'organisasjonsform.kode': c.legalForm.code,
    'organisasjonsform.beskrivelse': c.legalForm.text,
    'naeringskode1.kode': c.activity.sn2007,
    'naeringskode1.beskrivelse': c.activity.text.no,
    harRegistrertAntallAnsatte: employees === '' ? 'false' : 'true',
    antallAnsatte: employees,
    hjemmeside: c.website !== undefined ? `www.${c.website}` : '',
    epostadresse: c.website !== undefined ? `post@${c.website}` : c.person !== undefined && rng.chance(0.5) ? `${c.person.given.toLowerCase()}@example.no` : '',
    telefon: rng.chance(0.4) ? `${rng.between(21, 99)} ${rng.between(10, 99)} ${rng.between(10, 99)} ${rng.between(10, 99)}` : '',
    mobil: c.person !== undefined && rng.chance(0.5) ? `9${rng.between(1000000, 9999999)}` : '',
    'postadresse.adresse': rng.chance(0.2) ? `c/o ${c.brand.toUpperCase()}/nPostboks ${rng.between(1, 999)}` : '',
    'forretningsadresse.adresse': street,
    'forretningsadresse.poststed': a.city,
    'forretningsadresse.postnummer': a.postcode,
    'forretningsadresse.kommune': a.city,
    'forretningsadresse.kommunenummer': kommunenummer,
    'forretningsadresse.land': 'Norge',
    'forretningsadresse.landkode': 'NO',
    'institusjonellSektorkode.kode': sectorCode,
    'institusjonellSektorkode.beskrivelse': sectorText,
    sisteInnsendteAarsregnskap: rng.chance(0.6) ? '2024' : '',
    registreringsdatoenhetsregisteret: c.incorporatedOn < '1995-02-19' ? '1995-02-19' : c.incorporatedOn,
    stiftelsesdato: c.incorporatedOn,
    registrertIMvaRegisteret: String(rng.chance(0.6)),
    registrertIFrivillighetsregisteret: 'false',
    registrertIForetaksregisteret: String(c.legalForm.code !== 'STI'),
    registrertIStiftelsesregisteret: String(c.legalForm.code === 'STI'),
    registrertIPartiregisteret: 'false',
    konkurs: String(bankrupt),
    konkursdato: bankrupt ? (c.ceasedOn ?? '') : '',
    underAvvikling: 'false',
    underTvangsavviklingEllerTvangsopplosning: 'false',
    maalform: rng.chance(0.9) ? 'Bokmål' : 'Nynorsk',
    vedtektsdato: c.incorporatedOn,
    vedtektsfestetFormaal: purpose,
    aktivitet: `${c.activity.text.no}.`,
    erIKonsern: String(rng.chance(0.1)),
  };
}

/** This register in the synthetic world (`ipreg generate`). */
export const world = nationalWorld('no-brreg', writeBrreg);
