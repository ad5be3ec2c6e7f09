/**
 * UK Companies House BasicCompanyData: one CSV, every value double-quoted, dates dd/mm/yyyy, SIC codes
 * as "code - description", up to ten previous names. Only companies on the live register are in it.
 */
import { join } from 'node:path';
import { companyAt, type Company } from '../../world/companies.js';
import { OutputFile, quoted } from '../../output-file.js';
import { rngFor } from '../../world/random.js';
import { COMPANIES_HOUSE_HEADER } from './world-headers.js';
import { isMalformedRow, RowFormat, slashDate, type RegisterWriter, nationalWorld } from '../../world/register-writer.js';

const ROW = new RowFormat(COMPANIES_HOUSE_HEADER, quoted);

/** The file name Companies House gives the one-file product of a snapshot. */
export function companiesHouseFileName(snapshot: string): string {
  return `BasicCompanyDataAsOneFile-${snapshot.slice(0, 8)}01.csv`;
}

export const writeCompaniesHouse: RegisterWriter = async (ctx) => {
  const name = companiesHouseFileName(ctx.snapshot);
  const out = await OutputFile.open(join(ctx.outDir, 'gb-companies-house', name), { encoding: 'utf8' });
  await out.write(`${COMPANIES_HOUSE_HEADER.join(',')}\n`);
  for (let i = 0; i < ctx.plan.size; i++) {
    const company = companyAt(ctx.plan, i);
    if (isMalformedRow(ctx, name, i, ctx.plan.size)) {
      await ctx.truth.malformed('gb-companies-house', name, out.lines + 1, company.id, 'column count');
      await out.write(ROW.format(values(company, ctx.plan.seed)).replace(/\n$/, ',"EXTRA"\n'));
      continue;
    }
    await out.write(ROW.format(values(company, ctx.plan.seed)));
  }
  return [await out.close()];
};

const ACCOUNT_CATEGORIES = ['TOTAL EXEMPTION FULL', 'MICRO ENTITY', 'DORMANT', 'FULL', 'SMALL', 'NO ACCOUNTS FILED', 'UNAUDITED ABRIDGED'];

function values(c: Company, seed: number): Record<string, string> {
  const rng = rngFor(seed, 'ch-row', c.index);
  const dormant = rng.chance(0.05);
  const a = c.address;
  const v: Record<string, string> = {
    CompanyName: c.name,
    CompanyNumber: c.id,
    'RegAddress.AddressLine1': `${a.houseNumber} ${a.street}`.toUpperCase(),
    'RegAddress.AddressLine2': rng.chance(0.3) ? rng.pick(['UNIT 3', 'FIRST FLOOR', 'SUITE 12', 'THE STUDIO']) : '',
    'RegAddress.PostTown': a.city,
    'RegAddress.County': rng.chance(0.6) ? a.region : '',
    'RegAddress.Country': c.id.startsWith('SC') ? 'SCOTLAND' : rng.pick(['UNITED KINGDOM', 'ENGLAND', '', '']),
    'RegAddress.PostCode': a.postcode,
    CompanyCategory: c.legalForm.text,
    CompanyStatus: rng.chance(0.03) ? 'Active - Proposal to Strike off' : 'Active',
    CountryOfOrigin: 'United Kingdom',
    IncorporationDate: slashDate(c.incorporatedOn),
    'Accounts.AccountRefDay': String(rng.between(1, 31)),
    'Accounts.AccountRefMonth': String(rng.between(1, 12)),
    'Accounts.NextDueDate': slashDate(`2027-${String(rng.between(1, 12)).padStart(2, '0')}-${String(rng.between(1, 28)).padStart(2, '0')}`),
    'Accounts.LastMadeUpDate': slashDate(`2025-${String(rng.between(1, 12)).padStart(2, '0')}-${String(rng.between(1, 28)).padStart(2, '0')}`),
    'Accounts.AccountCategory': dormant ? 'DORMANT' : rng.pick(ACCOUNT_CATEGORIES),
    'Mortgages.NumMortCharges': String(rng.chance(0.1) ? rng.between(1, 4) : 0),
    'Mortgages.NumMortOutstanding': '0',
    'Mortgages.NumMortPartSatisfied': '0',
    'Mortgages.NumMortSatisfied': '0',
    'SICCode.SicText_1': dormant ? '99999 - Dormant Company' : c.activity.sic,
    'LimitedPartnerships.NumGenPartners': '0',
    'LimitedPartnerships.NumLimPartners': '0',
    URI: `http://business.data.gov.uk/id/company/${c.id}`,
    ConfStmtNextDueDate: slashDate(`2027-${String(rng.between(1, 12)).padStart(2, '0')}-15`),
    ConfStmtLastMadeUpDate: slashDate(`2026-${String(rng.between(1, 10)).padStart(2, '0')}-15`),
  };
  c.previousNames.forEach((p, i) => {
    v[`PreviousName_${i + 1}.CONDATE`] = slashDate(p.changedOn);
    v[`PreviousName_${i + 1}.CompanyName`] = p.name;
  });
  return v;
}

/** This register in the synthetic world (`ipreg generate`). */
export const world = nationalWorld('gb-companies-house', writeCompaniesHouse,
  // Companies House's numbers say the nation: SC Scotland, NI Northern Ireland, else England and Wales.
  (id) => (id.startsWith('SC') ? 'RA000587' : id.startsWith('NI') ? 'RA000586' : 'RA000585'));
