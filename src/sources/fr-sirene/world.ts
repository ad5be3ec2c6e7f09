/**
 * INSEE SIRENE stock files: StockUniteLegale (one row per legal unit, natural persons and
 * "diffusion partielle" units included) and StockEtablissement (the establishments, the head office
 * flagged, the address there). UTF-8, comma, quoting only where needed, empty = null.
 */
import { join } from 'node:path';
import { companyAt, type Company } from '../../world/companies.js';
import { minimallyQuoted, OutputFile } from '../../output-file.js';
import { rngFor, type Rng } from '../../world/random.js';
import { SIRENE_ETABLISSEMENT_HEADER, SIRENE_UNITE_LEGALE_HEADER } from './world-headers.js';
import { isMalformedRow, RowFormat, type RegisterWriter, nationalWorld } from '../../world/register-writer.js';

const quote = (v: string) => minimallyQuoted(v);
const UNIT_ROW = new RowFormat(SIRENE_UNITE_LEGALE_HEADER, quote);
const ESTABLISHMENT_ROW = new RowFormat(SIRENE_ETABLISSEMENT_HEADER, quote);

export const SIRENE_UNITS_FILE = 'StockUniteLegale_utf8.csv';
export const SIRENE_ESTABLISHMENTS_FILE = 'StockEtablissement_utf8.csv';

const TRANCHES = ['NN', '00', '01', '02', '03', '11', '12', '21', '22', '31', '32', '41'];

/** Writes both stock files in one pass over the legal units (each unit is built once). */
export const writeSirene: RegisterWriter = async (ctx) => {
  const dir = join(ctx.outDir, 'fr-sirene');
  const units = await OutputFile.open(join(dir, SIRENE_UNITS_FILE), { encoding: 'utf8' });
  const establishments = await OutputFile.open(join(dir, SIRENE_ESTABLISHMENTS_FILE), { encoding: 'utf8' });
  await units.write(`${SIRENE_UNITE_LEGALE_HEADER.join(',')}\n`);
  await establishments.write(`${SIRENE_ETABLISSEMENT_HEADER.join(',')}\n`);
  let establishmentRows = 0;
  for (let i = 0; i < ctx.plan.size; i++) {
    const c = companyAt(ctx.plan, i);
    const rng = rngFor(ctx.plan.seed, 'sirene-unit', i);
    if (c.person !== undefined) await ctx.truth.naturalPerson('fr-sirene', c.id, `${c.person.given} ${c.person.family}`);
    const row = UNIT_ROW.format(unitValues(c, rng));
    if (isMalformedRow(ctx, SIRENE_UNITS_FILE, i, ctx.plan.size)) {
      await ctx.truth.malformed('fr-sirene', SIRENE_UNITS_FILE, units.lines + 1, c.id.slice(1), 'siren not 9 digits');
      await units.write(row.replace(c.id, c.id.slice(1)));
    } else {
      await units.write(row);
    }
    const count = establishmentCount(rng);
    for (let n = 0; n < count; n++) {
      const line = ESTABLISHMENT_ROW.format(establishmentValues(c, n, rng));
      if (isMalformedRow(ctx, SIRENE_ESTABLISHMENTS_FILE, establishmentRows++, ctx.plan.size)) {
        await ctx.truth.malformed('fr-sirene', SIRENE_ESTABLISHMENTS_FILE, establishments.lines + 1, `${c.id}${nicOf(n)}`, 'column count');
        await establishments.write(line.replace(/,[^,]*\n$/, '\n'));
        continue;
      }
      await establishments.write(line);
    }
  }
  return [await units.close(), await establishments.close()];
};

function unitValues(c: Company, rng: Rng): Record<string, string> {
  const person = c.person;
  const hidden = c.partialDiffusion;
  const v: Record<string, string> = {
    siren: c.id,
    statutDiffusionUniteLegale: hidden ? 'P' : 'O',
    dateCreationUniteLegale: rng.chance(0.002) ? `${c.incorporatedOn.slice(0, 8)}35` : c.incorporatedOn,
    trancheEffectifsUniteLegale: rng.pick(TRANCHES),
    anneeEffectifsUniteLegale: '2023',
    dateDernierTraitementUniteLegale: `2025-${String(rng.between(1, 12)).padStart(2, '0')}-${String(rng.between(1, 28)).padStart(2, '0')}T0${rng.int(10)}:${String(rng.int(60)).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')}`,
    nombrePeriodesUniteLegale: String(rng.between(1, 9)),
    categorieEntreprise: person !== undefined ? '' : rng.weighted([['PME', 90], ['ETI', 8], ['GE', 2]]),
    anneeCategorieEntreprise: person !== undefined ? '' : '2023',
    dateDebut: c.ceasedOn ?? c.incorporatedOn,
    etatAdministratifUniteLegale: c.status === 'active' ? 'A' : 'C',
    categorieJuridiqueUniteLegale: c.legalForm.code,
    activitePrincipaleUniteLegale: c.activity.naf,
    nomenclatureActivitePrincipaleUniteLegale: 'NAFRev2',
    nicSiegeUniteLegale: nicOf(0),
    economieSocialeSolidaireUniteLegale: rng.chance(0.02) ? 'O' : 'N',
    caractereEmployeurUniteLegale: rng.chance(0.3) ? 'O' : 'N',
    activitePrincipaleNAF25UniteLegale: `${c.activity.naf.slice(0, 5)}Y`,
  };
  if (person !== undefined) {
    // Natural persons withheld from publication show "[ND]" where their identity would be.
    v['nomUniteLegale'] = hidden ? '[ND]' : person.family.toUpperCase();
    v['prenom1UniteLegale'] = hidden ? '[ND]' : person.given.toUpperCase();
    v['prenomUsuelUniteLegale'] = hidden ? '[ND]' : person.given.toUpperCase();
    v['sexeUniteLegale'] = hidden ? '[ND]' : rng.pick(['M', 'F']);
  } else {
    v['denominationUniteLegale'] = c.name;
    if (c.tradingName !== undefined) v['denominationUsuelle1UniteLegale'] = c.tradingName.toUpperCase();
    if (rng.chance(0.05)) v['sigleUniteLegale'] = c.name.split(' ').map((w) => w[0]).join('');
  }
  return v;
}

/** NIC (5 digits) of establishment `n` of a unit; the head office is establishment 0. */
function nicOf(n: number): string {
  return String(12 + n * 17).padStart(5, '0');
}

/** How many establishments a unit has, head office first: 1.375 on average, as 40 M establishments to 28 M units. */
function establishmentCount(rng: Rng): number {
  return rng.chance(0.75) ? 1 : rng.between(2, 3);
}

function establishmentValues(c: Company, n: number, rng: Rng): Record<string, string> {
  const head = n === 0;
  const a = head ? c.address : { ...c.address, houseNumber: String(rng.between(1, 200)) };
  const hidden = c.partialDiffusion;
  const closed = c.status === 'ceased' || (!head && rng.chance(0.3));
  const [typeVoie, ...rest] = a.street.split(' ');
  return {
    siren: c.id,
    nic: nicOf(n),
    siret: `${c.id}${nicOf(n)}`,
    statutDiffusionEtablissement: hidden ? 'P' : 'O',
    dateCreationEtablissement: c.incorporatedOn,
    trancheEffectifsEtablissement: rng.pick(TRANCHES),
    anneeEffectifsEtablissement: '2023',
    dateDernierTraitementEtablissement: '2025-11-02T04:18:55',
    etablissementSiege: head ? 'true' : 'false',
    nombrePeriodesEtablissement: String(rng.between(1, 5)),
    numeroVoieEtablissement: hidden && c.person !== undefined ? '[ND]' : a.houseNumber,
    typeVoieEtablissement: hidden && c.person !== undefined ? '[ND]' : (typeVoie === 'RUE' ? 'RUE' : typeVoie === 'AVENUE' ? 'AV' : typeVoie === 'BOULEVARD' ? 'BD' : typeVoie ?? ''),
    libelleVoieEtablissement: hidden && c.person !== undefined ? '[ND]' : rest.join(' '),
    codePostalEtablissement: a.postcode,
    libelleCommuneEtablissement: a.city,
    codeCommuneEtablissement: `${a.postcode.slice(0, 2)}${String(rng.between(1, 399)).padStart(3, '0')}`,
    dateDebut: c.ceasedOn ?? c.incorporatedOn,
    etatAdministratifEtablissement: closed ? 'F' : 'A',
    enseigne1Etablissement: !head && rng.chance(0.2) ? c.brand.toUpperCase() : '',
    activitePrincipaleEtablissement: c.activity.naf,
    nomenclatureActivitePrincipaleEtablissement: 'NAFRev2',
    caractereEmployeurEtablissement: rng.chance(0.3) ? 'O' : 'N',
    activitePrincipaleNAF25Etablissement: `${c.activity.naf.slice(0, 5)}Y`,
  };
}

/** This register in the synthetic world (`ipreg generate`). */
export const world = nationalWorld('fr-sirene', writeSirene);
