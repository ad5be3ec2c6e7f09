/**
 * GLEIF golden copy: the LEI records (lei2, every field quoted, dotted LEI-CDF column names) and the
 * relationship records (rr). Entities crosswalk to national registers through the registration
 * authority id (RA000585 Companies House, RA000189 SIRENE, RA000472 Brønnøysund, RA000025 KBO/BCE,
 * RA000181 Estonia) and the entity id there; the rest are companies of other countries.
 */
import { join } from 'node:path';
import type { RegisterId } from '../../world/legal-forms.js';
import { OutputFile, quoted, type WrittenFile } from '../../output-file.js';
import { gleifEntityAt, leiOf, type GleifEntity, type GleifPlan } from '../../world/parties.js';
import { rngFor, type Rng } from '../../world/random.js';
import type { Truth } from '../../world/truth.js';
import { GLEIF_LEI2_HEADER, GLEIF_RR_HEADER } from './world-headers.js';
import { RowFormat, type WorldModule } from '../../world/register-writer.js';

const LEI_ROW = new RowFormat(GLEIF_LEI2_HEADER, quoted);
const RR_ROW = new RowFormat(GLEIF_RR_HEADER, quoted);

/** What the GLEIF writer needs. */
export interface GleifContext {
  plan: GleifPlan;
  outDir: string;
  truth: Truth;
  snapshot: string;
  malformedRate: number;
  /** The registration authority a national company's record names. */
  gleifAuthority(register: RegisterId, registerId: string): string;
}

/** The golden-copy file names of a snapshot. */
export function gleifFileNames(snapshot: string): { lei2: string; rr: string } {
  const day = snapshot.replace(/-/g, '');
  return { lei2: `${day}-0800-gleif-goldencopy-lei2-golden-copy.csv`, rr: `${day}-0800-gleif-goldencopy-rr-golden-copy.csv` };
}

const LANG: Record<string, string> = { GB: 'en', FR: 'fr', NO: 'no', BE: 'nl', EE: 'et', DE: 'de', NL: 'nl', IT: 'it', ES: 'es', US: 'en', JP: 'ja', ZA: 'en', BR: 'pt' };

/** Writes lei2 and rr. */
export async function writeGleif(ctx: GleifContext): Promise<WrittenFile[]> {
  const names = gleifFileNames(ctx.snapshot);
  const lei2 = await OutputFile.open(join(ctx.outDir, 'gleif-lei', names.lei2), { encoding: 'utf8' });
  const rr = await OutputFile.open(join(ctx.outDir, 'gleif-lei', names.rr), { encoding: 'utf8' });
  await lei2.write(`${GLEIF_LEI2_HEADER.map(quoted).join(',')}\n`);
  await rr.write(`${GLEIF_RR_HEADER.map(quoted).join(',')}\n`);
  const lou = leiOf(ctx.plan, ctx.plan.size + 1);
  for (let j = 0; j < ctx.plan.size; j++) {
    const entity = gleifEntityAt(ctx.plan, j);
    const rng = rngFor(ctx.plan.seed, 'gleif-row', j);
    const values = entityValues(entity, rng, lou, ctx.gleifAuthority);
    if (values['Entity.EntityCategory'] === 'SOLE_PROPRIETOR') await ctx.truth.naturalPerson('gleif-lei', entity.lei, values['Entity.LegalName'] as string);
    if (j > 0 && rng.chance(Math.max(ctx.malformedRate, 2 / ctx.plan.size))) {
      const broken = `${entity.lei.slice(0, 18)}${String((Number(entity.lei.slice(18)) + 1) % 100).padStart(2, '0')}`;
      await ctx.truth.malformed('gleif-lei', names.lei2, lei2.lines + 1, broken, 'LEI check digits');
      await lei2.write(LEI_ROW.format({ ...values, LEI: broken }));
      continue;
    }
    await lei2.write(LEI_ROW.format(values));
    if (j > 0 && rng.chance(0.12)) await rr.write(relationshipRow(ctx.plan, entity, j, rng, lou));
  }
  return [await lei2.close(), await rr.close()];
}

function entityValues(entity: GleifEntity, rng: Rng, lou: string, gleifAuthority: GleifContext['gleifAuthority']): Record<string, string> {
  const { party } = entity;
  const company = party.company;
  const country = party.country;
  const lang = LANG[country] ?? 'en';
  const soleProprietor = company === undefined && rng.chance(0.01);
  const legalName = company !== undefined ? company.name || company.brand : soleProprietor ? `${party.brand.split(' ')[0]} ${rng.pick(['Smith', 'Müller', 'Rossi'])}` : `${party.brand} ${party.formVariants[0] ?? ''}`.trim();
  const v: Record<string, string> = {
    LEI: entity.lei,
    'Entity.LegalName': legalName,
    'Entity.LegalName.xmllang': lang,
    'Entity.LegalAddress.xmllang': lang,
    'Entity.LegalAddress.FirstAddressLine': company !== undefined ? `${company.address.houseNumber} ${company.address.street}` : `${rng.between(1, 400)} Main Street`,
    'Entity.LegalAddress.City': company?.address.city ?? 'Capital City',
    'Entity.LegalAddress.Country': country,
    'Entity.LegalAddress.PostalCode': company?.address.postcode ?? String(rng.between(10000, 99999)),
    'Entity.HeadquartersAddress.xmllang': lang,
    'Entity.HeadquartersAddress.FirstAddressLine': company !== undefined ? `${company.address.houseNumber} ${company.address.street}` : `${rng.between(1, 400)} Main Street`,
    'Entity.HeadquartersAddress.City': company?.address.city ?? 'Capital City',
    'Entity.HeadquartersAddress.Country': country,
    'Entity.HeadquartersAddress.PostalCode': company?.address.postcode ?? String(rng.between(10000, 99999)),
    'Entity.LegalJurisdiction': country,
    'Entity.EntityCategory': soleProprietor ? 'SOLE_PROPRIETOR' : rng.chance(0.05) && company === undefined ? 'FUND' : 'GENERAL',
    'Entity.EntityStatus': 'ACTIVE',
    'Registration.InitialRegistrationDate': isoTimestamp(rng, 2012, 2024),
    'Registration.LastUpdateDate': isoTimestamp(rng, 2024, 2026),
    'Registration.RegistrationStatus': rng.weighted([['ISSUED', 80], ['LAPSED', 18], ['RETIRED', 2]]),
    'Registration.NextRenewalDate': isoTimestamp(rng, 2026, 2027),
    'Registration.ManagingLOU': lou,
    'Registration.ValidationSources': rng.chance(0.8) ? 'FULLY_CORROBORATED' : 'ENTITY_SUPPLIED_ONLY',
  };
  if (company !== undefined) {
    v['Entity.RegistrationAuthority.RegistrationAuthorityID'] = gleifAuthority(company.register, company.id);
    // GLEIF records KBO numbers without their dots: a crosswalk must normalise both sides.
    v['Entity.RegistrationAuthority.RegistrationAuthorityEntityID'] = company.register === 'be-kbo' ? company.id.replace(/\./g, '') : company.id;
    v['Entity.LegalForm.EntityLegalFormCode'] = '8888';
    if (company.tradingName !== undefined) {
      v['Entity.OtherEntityNames.OtherEntityName.1'] = company.tradingName;
      v['Entity.OtherEntityNames.OtherEntityName.1.xmllang'] = lang;
      v['Entity.OtherEntityNames.OtherEntityName.1.type'] = 'TRADING_OR_OPERATING_NAME';
    } else if (company.previousNames.length > 0) {
      v['Entity.OtherEntityNames.OtherEntityName.1'] = company.previousNames[0]!.name;
      v['Entity.OtherEntityNames.OtherEntityName.1.xmllang'] = lang;
      v['Entity.OtherEntityNames.OtherEntityName.1.type'] = 'PREVIOUS_LEGAL_NAME';
    }
  } else {
    v['Entity.RegistrationAuthority.RegistrationAuthorityID'] = 'RA888888';
    v['Entity.RegistrationAuthority.OtherRegistrationAuthorityID'] = `${country} commercial register`;
    v['Entity.RegistrationAuthority.RegistrationAuthorityEntityID'] = String(rng.between(100000, 99999999));
    v['Entity.LegalForm.EntityLegalFormCode'] = '9999';
    v['Entity.LegalForm.OtherLegalForm'] = party.formVariants[0] ?? 'OTHER';
  }
  return v;
}

function relationshipRow(plan: GleifPlan, entity: GleifEntity, j: number, rng: Rng, lou: string): string {
  const parent = leiOf(plan, j - 1 - rng.int(Math.min(j, 50)));
  return RR_ROW.format(
    {
      'Relationship.StartNode.NodeID': entity.lei,
      'Relationship.StartNode.NodeIDType': 'LEI',
      'Relationship.EndNode.NodeID': parent,
      'Relationship.EndNode.NodeIDType': 'LEI',
      'Relationship.RelationshipType': rng.weighted([['IS_DIRECTLY_CONSOLIDATED_BY', 6], ['IS_ULTIMATELY_CONSOLIDATED_BY', 3], ['IS_INTERNATIONAL_BRANCH_OF', 1]]),
      'Relationship.RelationshipStatus': 'ACTIVE',
      'Registration.InitialRegistrationDate': isoTimestamp(rng, 2017, 2024),
      'Registration.LastUpdateDate': isoTimestamp(rng, 2024, 2026),
      'Registration.RegistrationStatus': 'PUBLISHED',
      'Registration.NextRenewalDate': isoTimestamp(rng, 2026, 2027),
      'Registration.ManagingLOU': lou,
      'Registration.ValidationSources': 'ENTITY_SUPPLIED_ONLY',
      'Registration.ValidationDocuments': 'SUPPORTING_DOCUMENTS',
      'Relationship.Period.1.startDate': '2024-01-01T00:00:00.000Z',
      'Relationship.Period.1.endDate': '2024-12-31T00:00:00.000Z',
      'Relationship.Period.1.periodType': 'ACCOUNTING_PERIOD',
      'Relationship.Period.2.startDate': isoTimestamp(rng, 2015, 2024),
      'Relationship.Period.2.periodType': 'RELATIONSHIP_PERIOD',
      'Relationship.Qualifiers.1.QualifierDimension': 'ACCOUNTING_STANDARD',
      'Relationship.Qualifiers.1.QualifierCategory': rng.pick(['IFRS', 'US_GAAP', 'OTHER_ACCOUNTING_STANDARD']),
    },
  );
}

function isoTimestamp(rng: Rng, fromYear: number, toYear: number): string {
  const y = rng.between(fromYear, toYear);
  return `${y}-${String(rng.between(1, 12)).padStart(2, '0')}-${String(rng.between(1, 28)).padStart(2, '0')}T${String(rng.int(24)).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')}:00.000Z`;
}

/** GLEIF in the synthetic world (`ipreg generate`): written after the national registers it crosswalks to. */
export const world: WorldModule = {
  write: (ctx) => writeGleif({ plan: ctx.plans.gleif, outDir: ctx.outDir, truth: ctx.truth, snapshot: ctx.snapshot, malformedRate: ctx.malformedRate, gleifAuthority: ctx.gleifAuthority }),
};
