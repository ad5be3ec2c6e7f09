/**
 * The PRH's all_companies in the synthetic world: one JSON array, a company per line, in the v3 API's
 * shape (objects for the business ID and the industry, lists of names, forms and addresses with their
 * dates and languages). Former names carry their end date; sole traders (form 26) are in it, as in the
 * real register; a malformed record is one whose business ID fails its check digit (a JSON file that
 * does not parse is a broken file, not a broken record).
 */
import { join } from 'node:path';
import { companyAt, type Company } from '../../world/companies.js';
import { OutputFile, type WrittenFile } from '../../output-file.js';
import { rngFor, type Rng } from '../../world/random.js';
import { isMalformedRow, nationalWorld, type RegisterContext } from '../../world/register-writer.js';

export const FI_FILE = 'all_companies.json';

const described = (fi: string, en?: string) => [{ languageCode: '1', description: fi }, ...(en === undefined ? [] : [{ languageCode: '3', description: en }])];

function record(c: Company, rng: Rng, id: string): Record<string, unknown> {
  const a = c.address;
  const names: Record<string, unknown>[] = [{ name: c.name, type: '1', registrationDate: c.previousNames[0]?.changedOn ?? c.incorporatedOn, version: 1, source: '1' }];
  for (const [k, p] of c.previousNames.entries()) names.push({ name: `${p.name.charAt(0)}${p.name.slice(1).toLowerCase()} Oy`, type: '1', registrationDate: c.incorporatedOn, endDate: p.changedOn, version: k + 2, source: '1' });
  if (c.tradingName !== undefined) names.push({ name: c.tradingName, type: '3', registrationDate: c.incorporatedOn, version: 1, source: '1' });
  const street = { type: 1, street: a.street, buildingNumber: a.houseNumber, postCode: a.postcode, postOffices: [{ city: a.city, languageCode: '1', municipalityCode: String(rng.between(1, 999)).padStart(3, '0') }], registrationDate: c.incorporatedOn, source: '0' };
  const postal = { type: 2, street: '', postOfficeBox: String(rng.between(1, 999)), postCode: a.postcode, postOffices: [{ city: a.city, languageCode: '1', municipalityCode: '091' }], registrationDate: c.incorporatedOn, source: '0' };
  return {
    businessId: { value: id, registrationDate: c.incorporatedOn, source: '3' },
    euId: { value: `FIFPRO.${id}`, source: '1' },
    names,
    mainBusinessLine: { type: `${c.activity.nace.replace('.', '')}${rng.int(10)}`, descriptions: [{ languageCode: '3', description: c.activity.text.en }], typeCodeSet: 'TOIMI4', registrationDate: c.incorporatedOn, source: '2' },
    ...(c.website === undefined ? {} : { website: rng.chance(0.5) ? { url: c.website, registrationDate: c.incorporatedOn, source: '0' } : c.website }),
    companyForms: [{ type: c.legalForm.code, descriptions: described(c.legalForm.text), registrationDate: c.incorporatedOn, version: 1, source: '1' }],
    addresses: rng.chance(0.3) ? [postal, street] : [street],
    tradeRegisterStatus: c.status === 'active' ? '1' : '4',
    status: c.status === 'active' ? '2' : '1',
    registrationDate: c.incorporatedOn,
    ...(c.status === 'active' ? {} : { endDate: c.ceasedOn ?? '2020-01-01' }),
    lastModified: '2026-10-30T07:49:26',
  };
}

async function writeFiPrh(ctx: RegisterContext): Promise<WrittenFile[]> {
  const out = await OutputFile.open(join(ctx.outDir, 'fi-prh', FI_FILE), { encoding: 'utf8' });
  await out.write('[\n');
  let pending = false;
  let broken = 0;
  for (let i = 0; i < ctx.plan.size; i++) {
    const c = companyAt(ctx.plan, i);
    const rng = rngFor(ctx.plan.seed, 'fi-record', i);
    if (c.person !== undefined) await ctx.truth.naturalPerson('fi-prh', c.id, c.name);
    let id = c.id;
    // A malformed record: its business ID's check digit is off by one — never a person's (their IDs are
    // not reported): a slot that falls on one passes to the next company. A file has at least one.
    pending ||= isMalformedRow(ctx, FI_FILE, i, ctx.plan.size) || (broken === 0 && i === Math.floor(ctx.plan.size / 2));
    if (pending && c.person === undefined && i < ctx.plan.size - 1) {
      pending = false;
      broken++;
      id = `${c.id.slice(0, 8)}${(Number(c.id[8]) + 1) % 10}`;
      await ctx.truth.malformed('fi-prh', FI_FILE, out.lines + 1, id, 'businessId check digit');
    }
    await out.write(`${JSON.stringify(record(c, rng, id))}${i < ctx.plan.size - 1 ? ',' : ''}\n`);
  }
  await out.write(']\n');
  return [await out.close()];
}

/** This register in the synthetic world (`ipreg generate`). */
export const world = nationalWorld('fi-prh', writeFiPrh);
