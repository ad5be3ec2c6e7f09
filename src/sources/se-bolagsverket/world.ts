/**
 * Sweden in the synthetic world: Bolagsverket's bulk file (";", values packed with "$", descriptions
 * that may hold ";" and line breaks) and SCB's business register file (tab-separated Latin-1, SNI
 * codes, the advertising opt-out), joined by organisation number in the adapter. Sole traders are in
 * both, under their owner's personal identity number; public bodies (municipalities) are in SCB's file
 * alone, Bolagsverket does not register them; some companies are in one file only (SCB leaves out
 * most struck-off ones, Bolagsverket's file holds them all).
 */
import { join } from 'node:path';
import { companyAt, type Company } from '../../world/companies.js';
import { minimallyQuoted, OutputFile, type WrittenFile } from '../../output-file.js';
import { rngFor, type Rng } from '../../world/random.js';
import { SE_BOLAGSVERKET_HEADER, SE_SCB_HEADER } from './world-headers.js';
import { isMalformedRow, nationalWorld, RowFormat, type RegisterContext, type RegisterWriter } from '../../world/register-writer.js';

export const BV_FILE = 'bolagsverket_bulkfil.txt';
export const SCB_FILE = 'scb_bulkfil.txt';

/** SCB's JurForm of each Bolagsverket form (49 other limited companies, 31 partnerships, 51 economic associations, 82 municipalities, 10 natural persons). */
const JUR_FORM: Record<string, string> = { AB: '49', HB: '31', KB: '31', EK: '51', E: '10', '82': '82' };

/** Where a company is published: Bolagsverket's file, SCB's, or both. */
function publishedIn(c: Company, rng: Rng): { bv: boolean; scb: boolean } {
  if (c.legalForm.kind === 'public-body') return { bv: false, scb: true };
  if (c.status !== 'active') return { bv: true, scb: rng.chance(0.3) };
  return { bv: !rng.chance(0.03), scb: !rng.chance(0.05) };
}

function bolagsverketRow(c: Company, rng: Rng): Record<string, string> {
  const person = c.person !== undefined;
  const a = c.address;
  const names = [`${c.name}$${person ? 'NAMN' : 'FORETAGSNAMN'}-ORGNAM$${c.incorporatedOn}`];
  if (c.tradingName !== undefined) names.push(`${c.tradingName}$SARS_FORNAMN-ORGNAM$${c.incorporatedOn}`);
  const ceased = c.status !== 'active';
  const box = rng.chance(0.15);
  const description = rng.chance(0.04)
    ? `Bolaget ska bedriva ${c.activity.text.en.toLowerCase()};\näga och förvalta värdepapper samt därmed förenlig verksamhet.`
    : `Bolaget ska bedriva ${c.activity.text.en.toLowerCase()} samt därmed förenlig verksamhet.`;
  return {
    organisationsidentitet: `${person && rng.chance(0.1) ? c.id.slice(2) : c.id}$${person ? 'PERSON' : 'ORGNR'}-IDORG`,
    namnskyddslopnummer: person ? String(1 + rng.int(2)) : '',
    registreringsland: 'SE-LAND',
    organisationsnamn: names.join('|'),
    organisationsform: `${c.legalForm.code}-ORGFO`,
    avregistreringsdatum: ceased ? (c.ceasedOn ?? '') : '',
    avregistreringsorsak: ceased ? rng.pick(['AVREG-AVORG', 'KKAV-AVORG', 'LIAV-AVORG']) : '',
    pagandeAvvecklingsEllerOmstruktureringsforfarande: !ceased && rng.chance(0.02) ? `LI-AVOMFO$${c.incorporatedOn}` : '',
    registreringsdatum: c.incorporatedOn,
    verksamhetsbeskrivning: person ? '' : description,
    postadress: `${box ? `Box ${rng.between(1, 9999)}` : `${a.street} ${a.houseNumber}`}$${rng.chance(0.05) ? 'c/o Redovisningsbyrån' : ''}$${a.city}$${a.postcode.replace(' ', '')}$SE-LAND`,
  };
}

function scbRow(c: Company, rng: Rng): Record<string, string> {
  const person = c.person !== undefined;
  const a = c.address;
  const sni = `${c.activity.nace.replace('.', '')}${rng.int(10)}`;
  const optOut = c.marketingOptOut ? rng.pick(['2', '21', '22']) : rng.pick(['1', '1', '11', '12']);
  return {
    ForAndrTyp: '',
    COAdress: '',
    Foretagsnamn: person ? c.name : rng.chance(0.5) ? c.name : '',
    FtgStat: c.status === 'active' ? (rng.chance(0.9) ? '1' : '0') : '9',
    Gatuadress: `${a.street.toUpperCase()} ${a.houseNumber}`,
    JEStat: '1',
    JurForm: JUR_FORM[c.legalForm.code] ?? '49',
    Namn: person ? `${c.person!.family} ${c.person!.given}` : c.name,
    Ng1: rng.chance(0.04) ? '00000' : sni,
    Ng2: rng.chance(0.2) ? `${rng.pick(['46', '47', '70', '82'])}${rng.between(100, 999)}` : '',
    PeOrgNr: person ? c.id : `16${c.id}`,
    PostNr: a.postcode.replace(' ', ''),
    PostOrt: a.city,
    RegDatKtid: c.incorporatedOn,
    Reklamsparrtyp: optOut,
  };
}

/** Each value as the publisher writes it: Bolagsverket's quoted where needed, SCB's never (a tab or line end in a value becomes a space). */
const bvQuote = (v: string) => minimallyQuoted(v, ';');
const scbQuote = (v: string) => v.replace(/[\t\r\n]/g, ' ');

async function writeSweden(ctx: RegisterContext): Promise<WrittenFile[]> {
  const bv = await OutputFile.open(join(ctx.outDir, 'se-bolagsverket', BV_FILE), { encoding: 'utf8' });
  const scb = await OutputFile.open(join(ctx.outDir, 'se-bolagsverket', SCB_FILE), { encoding: 'latin1' });
  const bvRows = new RowFormat(SE_BOLAGSVERKET_HEADER, bvQuote, ';');
  const scbRows = new RowFormat(SE_SCB_HEADER, scbQuote, '\t');
  await bv.write(`${SE_BOLAGSVERKET_HEADER.join(';')}\n`);
  await scb.write(`${SE_SCB_HEADER.join('\t')}\n`);
  const size = ctx.plan.size;
  for (let i = 0; i < size; i++) {
    const c = companyAt(ctx.plan, i);
    const rng = rngFor(ctx.plan.seed, 'se-row', i);
    const where = publishedIn(c, rng);
    if (c.person !== undefined) await ctx.truth.naturalPerson('se-bolagsverket', c.id, c.name);
    if (where.bv) {
      const values = bolagsverketRow(c, rng);
      if (isMalformedRow(ctx, BV_FILE, i, size)) {
        await ctx.truth.malformed('se-bolagsverket', BV_FILE, bv.lines + 1, c.id, 'column count');
        // Cut short of its last two fields (a one-line description: the cut must not fall inside a quote).
        await bv.write(bvRows.format({ ...values, verksamhetsbeskrivning: '' }).replace(/;[^;]*;[^;]*\n$/, '\n'));
      } else {
        await bv.write(bvRows.format(values));
      }
    }
    if (where.scb) {
      const row = scbRows.format(scbRow(c, rng));
      if (isMalformedRow(ctx, SCB_FILE, i, size)) {
        await ctx.truth.malformed('se-bolagsverket', SCB_FILE, scb.lines + 1, c.id, 'column count');
        await scb.write(row.replace(/(\t[^\t]*){3}\n$/, '\n'));
      } else {
        await scb.write(row);
      }
    }
  }
  return [await bv.close(), await scb.close()];
}

export const writeSeBolagsverket: RegisterWriter = writeSweden;

/** This register in the synthetic world (`ipreg generate`). */
export const world = nationalWorld('se-bolagsverket', writeSeBolagsverket);
