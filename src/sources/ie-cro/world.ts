/**
 * The CRO's `companies.csv` in the synthetic world: comma-separated, names in capitals with their
 * form's words, dissolved companies kept (about half the file), a few renamed companies on a row per
 * name (the earlier names dated before the current one), the NACE class written as a float, the
 * address in four lines or the CRO's placeholder.
 */
import { join } from 'node:path';
import { companyAt, type Company } from '../../world/companies.js';
import { minimallyQuoted, OutputFile, type WrittenFile } from '../../output-file.js';
import { rngFor, type Rng } from '../../world/random.js';
import { IE_CRO_HEADER } from './world-headers.js';
import { isMalformedRow, nationalWorld, RowFormat, type RegisterContext } from '../../world/register-writer.js';

export const IE_FILE = 'companies.csv';

/** Status codes: 1158 Dissolved (seen with that text), 1156 Strike Off Listed (seen), 1100 assumed for Normal. */
function statusOf(c: Company, rng: Rng): { code: string; text: string; dissolved: string } {
  if (c.status === 'active') return { code: '1100', text: rng.chance(0.05) ? 'Normal ' : 'Normal', dissolved: '' };
  if (rng.chance(0.15)) return { code: '1156', text: 'Strike Off Listed', dissolved: '' };
  return { code: '1158', text: 'Dissolved', dissolved: c.ceasedOn ?? '' };
}

function row(c: Company, rng: Rng, name: string, nameFrom: string): Record<string, string> {
  const a = c.address;
  const status = statusOf(c, rng);
  const lines = rng.chance(0.03)
    ? ['********NO ADDRESS DETAILS*******', '', '', '']
    : rng.chance(0.5)
      ? [`${a.houseNumber} ${a.street}`, a.city, `${a.city}, ${a.region.replace(/^CO\. /, '')}`, '']
      : [`UNIT ${a.houseNumber}`, a.street, a.city, a.region];
  return {
    company_num: c.id,
    company_name: name,
    company_status_code: status.code,
    company_status: status.text,
    company_type_code: c.legalForm.code,
    company_type: c.legalForm.text,
    company_reg_date: c.incorporatedOn,
    last_ar_date: rng.chance(0.7) ? '2025-09-30' : '',
    company_address_1: lines[0] as string,
    company_address_2: lines[1] as string,
    company_address_3: lines[2] as string,
    company_address_4: lines[3] as string,
    comp_dissolved_date: status.dissolved,
    nard: '2026-09-30',
    last_accounts_date: rng.chance(0.6) ? '2024-12-31' : '',
    company_status_date: status.code === '1100' ? '' : (c.ceasedOn ?? ''),
    nace_v2_code: rng.chance(0.31) ? `${c.activity.nace.replace('.', '')}.0` : '',
    eircode: rng.chance(0.35) ? (rng.chance(0.5) ? a.postcode : a.postcode.replace(' ', '')) : '',
    company_name_eff_date: nameFrom,
    company_type_eff_date: c.incorporatedOn,
    princ_object_code: rng.chance(0.5) ? String(rng.between(1000, 9999)) : '',
  };
}

async function writeIeCro(ctx: RegisterContext): Promise<WrittenFile[]> {
  const out = await OutputFile.open(join(ctx.outDir, 'ie-cro', IE_FILE), { encoding: 'utf8' });
  const rows = new RowFormat(IE_CRO_HEADER, (v) => minimallyQuoted(v, ','), ',');
  await out.write(`${IE_CRO_HEADER.join(',')}\n`);
  for (let i = 0; i < ctx.plan.size; i++) {
    const c = companyAt(ctx.plan, i);
    const rng = rngFor(ctx.plan.seed, 'ie-row', i);
    // A renamed company on a row per name now and then (1,704 numbers of 815 k in the real file).
    const earlier = c.previousNames.length > 0 && rng.chance(0.1) ? c.previousNames : [];
    for (const previous of earlier) await out.write(rows.format(row(c, rng, previous.name, c.incorporatedOn)));
    const values = row(c, rng, c.name, earlier[0]?.changedOn ?? c.incorporatedOn);
    if (isMalformedRow(ctx, IE_FILE, i, ctx.plan.size)) {
      await ctx.truth.malformed('ie-cro', IE_FILE, out.lines + 1, c.id, 'column count');
      await out.write(rows.format(values).replace(/(,[^,]*){4}\n$/, '\n'));
      continue;
    }
    await out.write(rows.format(values));
  }
  return [await out.close()];
}

/** This register in the synthetic world (`ipreg generate`). */
export const world = nationalWorld('ie-cro', writeIeCro);
