/**
 * KBO/BCE open data: a full extract (meta, code, enterprise, establishment, branch, denomination,
 * address, contact, activity) and a monthly update (`<table>_delete.csv` with the key column, then
 * `<table>_insert.csv`; deletes apply before inserts). Strings quoted, dates dd-mm-yyyy and empty
 * values unquoted. Natural-person enterprises (TypeOfEnterprise 1) carry no name or address.
 */
import { join } from 'node:path';
import { companyAt, dateBetween, type Company } from '../../world/companies.js';
import { kboNumber } from '../../world/identifiers.js';
import { OutputFile, quoted, type WrittenFile } from '../../output-file.js';
import { Permutation, rngFor, type Rng } from '../../world/random.js';
import { ACTIVITIES } from '../../world/vocabulary.js';
import { LEGAL_FORMS } from '../../world/legal-forms.js';
import { KBO_HEADERS } from './world-headers.js';
import { dashDate, isMalformedRow, type RegisterContext, type RegisterWriter, nationalWorld } from '../../world/register-writer.js';

const DATA_TABLES = ['enterprise', 'establishment', 'branch', 'denomination', 'address', 'contact', 'activity'] as const;
type DataTable = (typeof DATA_TABLES)[number];

/** A KBO field: a value to quote, or a date / empty value written bare. */
type Field = string | { bare: string };

function line(fields: readonly Field[]): string {
  return `${fields.map((f) => (typeof f === 'string' ? (f === '' ? '' : quoted(f)) : f.bare)).join(',')}\n`;
}

/** The rows of every table for one enterprise. */
type Rows = Record<DataTable, Field[][]>;

const emptyRows = (): Rows => ({ enterprise: [], establishment: [], branch: [], denomination: [], address: [], contact: [], activity: [] });

export const writeKbo: RegisterWriter = async (ctx) => {
  const files = [...(await writeFull(ctx)), ...(await writeUpdate(ctx))];
  return files;
};

async function openTables(dir: string, names: readonly string[], headers: Record<string, readonly string[]>) {
  const out: Record<string, OutputFile> = {};
  for (const name of names) {
    out[name] = await OutputFile.open(join(dir, `${name}.csv`), { encoding: 'utf8' });
    await out[name].write(`${headers[name]!.map(quoted).join(',')}\n`);
  }
  return out;
}

async function writeFull(ctx: RegisterContext): Promise<WrittenFile[]> {
  const dir = join(ctx.outDir, 'be-kbo', 'full');
  const tables = await openTables(dir, ['meta', 'code', ...DATA_TABLES], KBO_HEADERS);
  await writeMeta(tables['meta']!, ctx, 'full');
  await writeCodes(tables['code']!);
  for (let i = 0; i < ctx.plan.size; i++) {
    const c = companyAt(ctx.plan, i);
    if (c.person !== undefined) await ctx.truth.naturalPerson('be-kbo', c.id, `${c.person.given} ${c.person.family}`);
    const rows = enterpriseRows(ctx, c);
    for (const table of DATA_TABLES) {
      for (const row of rows[table]) {
        const file = tables[table]!;
        if (table === 'address' && isMalformedRow(ctx, 'address.csv', i, ctx.plan.size)) {
          await ctx.truth.malformed('be-kbo', 'full/address.csv', file.lines + 1, c.id, 'unknown entity number');
          await file.write(line([orphanNumber(c.id), ...row.slice(1)]));
          continue;
        }
        await file.write(line(row));
      }
    }
  }
  return Promise.all(Object.values(tables).map((t) => t.close()));
}

/** An enterprise number no enterprise has (valid check digits, unused base). */
function orphanNumber(id: string): string {
  return kboNumber(1_000_000 + (Number(id.replace(/\./g, '').slice(0, 8)) % 999_999), 'enterprise');
}

const ESTABLISHMENT_NUMBERS = new Map<number, Permutation>();

/** Establishment `n` of enterprise `i`: 2.xxx.xxx.xxx, unique (each enterprise owns four slots). */
function establishmentNumber(seed: number, i: number, n: number): string {
  let p = ESTABLISHMENT_NUMBERS.get(seed);
  if (p === undefined) ESTABLISHMENT_NUMBERS.set(seed, (p = new Permutation(10_000_000, seed ^ 0x2e57)));
  return kboNumber(20_000_000 + p.at((i * 4 + n) % 10_000_000), 'establishment');
}

function enterpriseRows(ctx: RegisterContext, c: Company): Rows {
  const rng = rngFor(ctx.plan.seed, 'kbo-rows', c.index);
  const rows = emptyRows();
  const natural = c.person !== undefined;
  const language = /[éèàç]|^(Rue|Avenue)/.test(c.brand) ? '1' : rng.pick(['1', '2', '2', '0']);
  rows.enterprise.push([c.id, 'AC', '000', natural ? '1' : '2', natural ? { bare: '' } : c.legalForm.code, { bare: '' }, { bare: dashDate(c.incorporatedOn) }]);
  rows.activity.push(...activityRows(c.id, c, rng, natural ? ['001'] : ['001', '006']));
  const establishments = natural ? 1 : rng.weighted([[0, 4], [1, 4], [2, 1], [3, 1]]);
  for (let n = 0; n < establishments; n++) {
    const number = establishmentNumber(ctx.plan.seed, c.index, n);
    rows.establishment.push([number, { bare: dashDate(c.incorporatedOn) }, c.id]);
    rows.activity.push(...activityRows(number, c, rng, ['001']).filter((r) => r[4] === 'MAIN'));
    if (!natural) {
      rows.address.push(addressRow(number, 'BAET', c, rng));
      if (rng.chance(0.2)) rows.denomination.push([number, language, '003', `${c.brand} ${c.address.city}`]);
    }
  }
  if (natural) return rows;
  rows.denomination.push([c.id, language, '001', c.name]);
  if (rng.chance(0.15)) rows.denomination.push([c.id, language, '002', c.brand.split(' ').map((w) => w[0]).join('').toUpperCase()]);
  if (c.tradingName !== undefined) rows.denomination.push([c.id, language, '003', c.tradingName]);
  rows.address.push(addressRow(c.id, 'REGO', c, rng));
  if (c.website !== undefined) rows.contact.push([c.id, 'ENT', 'WEB', rng.chance(0.5) ? `www.${c.website}` : `${c.website}/`]);
  if (rng.chance(0.3)) rows.contact.push([c.id, 'ENT', 'EMAIL', `info@${c.website ?? 'example.be'}`]);
  if (rng.chance(0.2)) rows.contact.push([c.id, 'ENT', 'TEL', `0${rng.between(2, 9)} ${rng.between(100, 999)} ${rng.between(10, 99)} ${rng.between(10, 99)}`]);
  if (rng.chance(0.003)) rows.branch.push([`9.${String(rng.between(0, 999)).padStart(3, '0')}.${String(rng.between(0, 999)).padStart(3, '0')}.${String(rng.between(0, 999)).padStart(3, '0')}`, { bare: dashDate(c.incorporatedOn) }, c.id]);
  return rows;
}

function addressRow(entity: string, type: 'REGO' | 'BAET', c: Company, rng: Rng): Field[] {
  const a = c.address;
  const struck = rng.chance(0.01) ? dashDate(dateBetween(rng, 2020, 2025)) : '';
  return [entity, type, { bare: '' }, { bare: '' }, a.postcode, a.city, a.city, a.street, a.street, a.houseNumber, rng.chance(0.1) ? `b${rng.between(1, 9)}` : '', '', { bare: struck }];
}

/** Activity rows in every NACE version, per activity group; MAIN, and now and then a SECO. */
function activityRows(entity: string, c: Company, rng: Rng, groups: readonly string[]): Field[][] {
  const rows: Field[][] = [];
  const secondary = rng.chance(0.3) ? rng.pick(ACTIVITIES) : undefined;
  for (const group of groups) {
    for (const [version, code] of [['2025', c.activity.kbo2025], ['2003', c.activity.kbo2003], ['2008', c.activity.kbo2008]] as const) {
      rows.push([entity, group, version, code, 'MAIN']);
      if (secondary !== undefined) {
        const seco = version === '2025' ? secondary.kbo2025 : version === '2003' ? secondary.kbo2003 : secondary.kbo2008;
        rows.push([entity, group, version, seco, 'SECO']);
      }
    }
  }
  return rows;
}

async function writeMeta(file: OutputFile, ctx: RegisterContext, type: 'full' | 'update'): Promise<void> {
  const [y, m, d] = ctx.snapshot.split('-');
  await file.write(line(['SnapshotDate', `${d}-${m}-${y}`]));
  await file.write(line(['ExtractTimestamp', `${d}-${m}-${y} 07:07:49`]));
  await file.write(line(['ExtractType', type]));
  await file.write(line(['ExtractNumber', type === 'full' ? '154' : '155']));
  await file.write(line(['Version', '1.0.0']));
}

async function writeCodes(file: OutputFile): Promise<void> {
  const fixed: [string, string, string, string][] = [
    ['ActivityGroup', '001', 'Activités TVA', 'BTW-activiteiten'],
    ['ActivityGroup', '006', 'Activités ONSS', 'RSZ-activiteiten'],
    ['Classification', 'MAIN', 'Activité principale', 'Hoofdactiviteit'],
    ['Classification', 'SECO', 'Activité secondaire', 'Nevenactiviteit'],
    ['ContactType', 'EMAIL', 'Adresse e-mail', 'E-mailadres'],
    ['ContactType', 'TEL', 'Numéro de téléphone', 'Telefoonnummer'],
    ['ContactType', 'WEB', 'Adresse web', 'Webadres'],
    ['EntityContact', 'ENT', 'Entreprise', 'Onderneming'],
    ['JuridicalSituation', '000', 'Situation normale', 'Normale toestand'],
    ['Language', '0', 'inconnu', 'Onbekend'],
    ['Language', '1', 'français', 'Frans'],
    ['Language', '2', 'néerlandais', 'Nederlands'],
    ['Status', 'AC', 'Actif', 'Actief'],
    ['TypeOfAddress', 'BAET', "Unité d'établissement", 'Vestigingseenheid'],
    ['TypeOfAddress', 'REGO', 'Siège', 'Zetel'],
    ['TypeOfDenomination', '001', 'Dénomination', 'Naam'],
    ['TypeOfDenomination', '002', 'Abréviation', 'Afkorting'],
    ['TypeOfDenomination', '003', 'Dénomination commerciale', 'Commerciële naam'],
    ['TypeOfEnterprise', '1', 'Personne physique', 'Natuurlijk Persoon'],
    ['TypeOfEnterprise', '2', 'Personne morale', 'Rechtspersoon'],
  ];
  for (const form of LEGAL_FORMS['be-kbo']) if (form.code !== '') fixed.push(['JuridicalForm', form.code, form.text, form.text]);
  for (const a of ACTIVITIES) {
    fixed.push(['Nace2003', a.kbo2003, a.text.fr, a.text.nl], ['Nace2008', a.kbo2008, a.text.fr, a.text.nl], ['Nace2025', a.kbo2025, a.text.fr, a.text.nl]);
  }
  for (const [category, code, fr, nl] of fixed) {
    await file.write(line([category, code, 'FR', fr]));
    await file.write(line([category, code, 'NL', nl]));
  }
}

/**
 * The update set: renamed and moved enterprises (delete their rows, insert the new ones), struck-off
 * enterprises (deletes only) and new enterprises (inserts only).
 */
async function writeUpdate(ctx: RegisterContext): Promise<WrittenFile[]> {
  const dir = join(ctx.outDir, 'be-kbo', 'update');
  const names = DATA_TABLES.flatMap((t) => [`${t}_delete`, `${t}_insert`]);
  const headers: Record<string, readonly string[]> = { meta: KBO_HEADERS.meta };
  for (const t of DATA_TABLES) {
    headers[`${t}_delete`] = [KBO_HEADERS[t][0]];
    headers[`${t}_insert`] = KBO_HEADERS[t];
  }
  const tables = await openTables(dir, ['meta', ...names], headers);
  await writeMeta(tables['meta']!, ctx, 'update');
  const changes = Math.max(6, Math.round(ctx.plan.size * 0.005));
  for (let k = 0; k < changes; k++) {
    const rng = rngFor(ctx.plan.seed, 'kbo-update', k);
    const kind = k % 3 === 0 ? 'new' : k % 3 === 1 ? 'changed' : 'struck-off';
    // New enterprises take indices far past the register, clear of those WHOIS uses for companies that left it.
    const index = kind === 'new' ? ctx.plan.size * 2 + k : rng.int(ctx.plan.size);
    const before = companyAt(ctx.plan, index);
    if (before.person !== undefined && kind !== 'new') continue;
    const rows = enterpriseRows(ctx, before);
    if (kind !== 'new') {
      for (const table of DATA_TABLES) {
        const keys = new Set(rows[table].map((r) => r[0] as string));
        for (const key of keys) await tables[`${table}_delete`]!.write(line([key]));
      }
    }
    if (kind === 'struck-off') continue;
    const after = kind === 'changed' ? { ...before, name: `${before.name} ${rng.pick(['Group', 'Services', 'International'])}` } : before;
    const inserted = enterpriseRows(ctx, after);
    for (const table of DATA_TABLES) for (const row of inserted[table]) await tables[`${table}_insert`]!.write(line(row));
  }
  return Promise.all(Object.values(tables).map((t) => t.close()));
}

/** This register in the synthetic world (`ipreg generate`). */
export const world = nationalWorld('be-kbo', writeKbo);
