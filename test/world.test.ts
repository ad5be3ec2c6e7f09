/**
 * The generated world, read by independent readers: its headers equal the publishers' real headers
 * in the sources' real fixtures (src/sources/<id>/fixtures) byte for byte, DuckDB reads every CSV with the expected columns and rejects
 * exactly the rows the truth lists as malformed, and the truth points at the lines it describes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { isBrregValid, isEstonianValid, isKboValid, isLeiValid, isLuhnValid } from '../src/world/identifiers.js';
import { generateWorld, type WorldManifest } from '../src/world/generate.js';
import { KBO_HEADERS } from '../src/sources/be-kbo/world-headers.js';
import { openDuckDb, readCsvStrictly } from './support/duckdb.js';

const log = createLogger({ level: 'silent', stream: 'stderr' });

let dir: string;
let world: string;
let manifest: WorldManifest;
let duck: DuckDBConnection;
let malformed: { source: string; file: string; line: number; record: string; reason: string }[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipreg-world-'));
  world = join(dir, 'world');
  manifest = await generateWorld({ seed: 7, scale: 'small', snapshot: '2026-11-01', outDir: world, log });
  duck = await openDuckDb();
  malformed = (await readFile(join(world, 'truth/malformed.csv'), 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [source, file, line, record, reason] = l.split(',');
      return { source: source!, file: file!, line: Number(line), record: record!, reason: reason! };
    });
}, 120_000);

afterAll(async () => {
  duck?.closeSync();
  await rm(dir, { recursive: true, force: true });
});

/** The first line of a file, as bytes decoded to text (a BOM stays visible). */
async function firstLine(path: string): Promise<string> {
  const raw = await readFile(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  return text.slice(0, text.search(/\r?\n/));
}

const file = (rel: string) => join(world, rel);
/** A real excerpt, kept in its source's fixtures: `<source id>/<file>`. */
const real = (rel: string) => fileURLToPath(new URL(`../src/sources/${rel.replace('/', '/fixtures/')}`, import.meta.url));

describe('register headers equal the publishers\' real headers', () => {
  const pairs: [string, string][] = [
    ['gb-companies-house/BasicCompanyDataAsOneFile-2026-11-01.csv', 'gb-companies-house/BasicCompanyDataAsOneFile-2021-07-01.excerpt.csv'],
    ['fr-sirene/StockUniteLegale_utf8.csv', 'fr-sirene/StockUniteLegale-2026.sample.csv'],
    ['no-brreg/enheter.csv.gz', 'no-brreg/enheter-2026.header-only.csv'],
    ['no-brreg/enheter-2024.csv.gz', 'no-brreg/enheter-2024.head.csv'],
    ['ee-rik/ettevotja_rekvisiidid__lihtandmed.csv', 'ee-rik/ettevotja_rekvisiidid__lihtandmed.sample.csv'],
    ['be-kbo/full/enterprise.csv', 'be-kbo/enterprise.head.csv'],
    ['be-kbo/full/establishment.csv', 'be-kbo/establishment.head.csv'],
    ['be-kbo/full/branch.csv', 'be-kbo/branch.head.csv'],
    ['be-kbo/full/denomination.csv', 'be-kbo/denomination.head.csv'],
    ['be-kbo/full/address.csv', 'be-kbo/address.head.csv'],
    ['be-kbo/full/contact.csv', 'be-kbo/contact.head.csv'],
    ['be-kbo/full/activity.csv', 'be-kbo/activity.head.csv'],
    ['be-kbo/full/code.csv', 'be-kbo/code.excerpt.csv'],
    ['be-kbo/full/meta.csv', 'be-kbo/meta.csv'],
    ['be-kbo/update/address_delete.csv', 'be-kbo/update-address_delete.head.csv'],
  ];
  it.each(pairs)('%s', async (generated, publisher) => {
    expect(await firstLine(file(generated))).toBe(await firstLine(real(publisher)));
  });

  it.each([
    ['lei2', 228],
    ['rr', 54],
  ])('GLEIF %s: the same %i column names (official files quote them; the 2019 excerpts were rewritten without quotes)', async (kind, count) => {
    const names = (line: string) => line.split(',').map((n) => n.replace(/^"|"$/g, ''));
    const generated = names(await firstLine(file(`gleif-lei/20261101-0800-gleif-goldencopy-${kind}-golden-copy.csv`)));
    expect(generated).toEqual(names(await firstLine(real(`gleif-lei/${kind}-golden-copy-2019.first400.csv`))));
    expect(generated).toHaveLength(count);
  });

  it('the Estonian file starts with a byte-order mark, as the publisher\'s does', async () => {
    const bytes = await readFile(file('ee-rik/ettevotja_rekvisiidid__lihtandmed.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});

describe('DuckDB reads every register CSV and rejects exactly the malformed rows', () => {
  const csvs: [string, string, number, string][] = [
    ['gb-companies-house', 'BasicCompanyDataAsOneFile-2026-11-01.csv', 55, ''],
    ['fr-sirene', 'StockUniteLegale_utf8.csv', 35, ''],
    ['fr-sirene', 'StockEtablissement_utf8.csv', 54, ''],
    ['no-brreg', 'enheter.csv.gz', 90, ''],
    ['no-brreg', 'enheter-2024.csv.gz', 54, ''],
    ['ee-rik', 'ettevotja_rekvisiidid__lihtandmed.csv', 17, ", delim=';'"],
    ['gleif-lei', '20261101-0800-gleif-goldencopy-lei2-golden-copy.csv', 228, ''],
    ['gleif-lei', '20261101-0800-gleif-goldencopy-rr-golden-copy.csv', 54, ''],
    ...Object.entries(KBO_HEADERS).map(([t, h]) => ['be-kbo', `full/${t}.csv`, h.length, ''] as [string, string, number, string]),
  ];
  it.each(csvs)('%s %s', async (source, name, columns, options) => {
    const path = file(`${source}/${name}`);
    const read = await readCsvStrictly(duck, path, options);
    const entry = manifest.files.find((f) => f.path === `${source}/${name}`)!;
    const structural = malformed.filter((m) => m.source === source && m.file === name && m.reason === 'column count');
    expect(read.columns).toHaveLength(columns);
    expect(read.rejectedLines).toEqual(structural.map((m) => m.line));
    // Every line is a row, except the header and the rejected ones (Brreg free text may span lines).
    if (source !== 'no-brreg') expect(read.rows).toBe(entry.lines - 1 - structural.length);
    else expect(read.rows).toBeGreaterThan(0);
  });
});

describe('identifiers carry valid check digits, except where the truth says they do not', () => {
  it('every register id in the files passes its check, and each broken one is listed as malformed', async () => {
    const broken = new Set(malformed.map((m) => m.record));
    const checks: [string, number, string, (id: string) => boolean][] = [
      ['fr-sirene/StockUniteLegale_utf8.csv', 0, ',', (id) => isLuhnValid(id) && id.length === 9],
      ['ee-rik/ettevotja_rekvisiidid__lihtandmed.csv', 1, ';', isEstonianValid],
      ['be-kbo/full/enterprise.csv', 0, ',', (id) => isKboValid(id.replace(/"/g, ''))],
      ['gleif-lei/20261101-0800-gleif-goldencopy-lei2-golden-copy.csv', 0, ',', (id) => isLeiValid(id.replace(/"/g, ''))],
    ];
    for (const [rel, column, separator, valid] of checks) {
      const lines = (await readFile(file(rel), 'utf8')).trim().split('\n').slice(1);
      const bad = lines.map((l) => l.split(separator)[column]!.replace(/"/g, '')).filter((id) => !valid(id));
      for (const id of bad) expect(broken.has(id), `${rel}: ${id}`).toBe(true);
    }
    const brreg = gunzipSync(await readFile(file('no-brreg/enheter.csv.gz'))).toString('utf8').split('\n').slice(1).filter((l) => /^"\d/.test(l));
    for (const l of brreg) {
      const id = l.slice(1, 10);
      if (!isBrregValid(id)) expect(broken.has(id), id).toBe(true);
    }
  });
});

describe('the truth', () => {
  it('points every WHOIS object at the line where that object starts', async () => {
    const truth = gunzipSync(await readFile(file('truth/whois-objects.csv.gz'))).toString('utf8').trim().split('\n').slice(1);
    const byFile = new Map<string, string[]>();
    let checked = 0;
    for (const row of truth) {
      const [source, name, line, objectClass, key] = row.split(',');
      const rel = `${source}/${name}`;
      if (!byFile.has(rel)) byFile.set(rel, gunzipSync(await readFile(file(rel))).toString('latin1').split('\n'));
      const text = byFile.get(rel)![Number(line) - 1]!;
      expect(text.startsWith(`${objectClass}:`), `${rel}:${line} ${text}`).toBe(true);
      if (objectClass === 'inetnum' || objectClass === 'inet6num') expect(text.slice(16)).toBe(key);
      checked++;
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('lists as many good objects as the dumps hold, malformed ones apart', async () => {
    for (const prefix of ['ripe', 'apnic', 'afrinic', 'lacnic']) {
      for (const cls of ['inetnum', 'inet6num', 'organisation', 'aut-num']) {
        const name = `${prefix}.db.${cls}.gz`;
        const text = gunzipSync(await readFile(file(`${prefix}-rpsl/${name}`))).toString('latin1');
        const inFile = text.split('\n').filter((l) => l.startsWith(`${cls}:`)).length;
        const bad = malformed.filter((m) => m.file === name).length;
        const truth = gunzipSync(await readFile(file('truth/whois-objects.csv.gz'))).toString('utf8');
        const listed = truth.split('\n').filter((l) => l.includes(`,${name},`) && l.split(',')[3] === cls).length;
        expect(listed, name).toBe(inFile - bad);
      }
    }
  });

  it('places every sample address inside the object it names', async () => {
    const rows = (await readFile(file('truth/sample-addresses.csv'), 'utf8')).trim().split('\n').slice(1);
    expect(rows.length).toBeGreaterThan(200);
    const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    for (const row of rows) {
      const [address, family, , , , , , key] = row.split(',');
      if (family !== '4' || key === undefined) continue;
      const [from, to] = key.includes('/')
        ? [toInt(key.split('/')[0]!), toInt(key.split('/')[0]!) + 2 ** (32 - Number(key.split('/')[1])) - 1]
        : key.split(' - ').map(toInt);
      expect(toInt(address!)).toBeGreaterThanOrEqual(from!);
      expect(toInt(address!)).toBeLessThanOrEqual(to!);
    }
  });

  it('names natural persons that are in the register files', async () => {
    const persons = gunzipSync(await readFile(file('truth/natural-persons.csv.gz'))).toString('utf8').trim().split('\n').slice(1);
    expect(persons.length).toBeGreaterThan(500);
    const sirene = await readFile(file('fr-sirene/StockUniteLegale_utf8.csv'), 'utf8');
    const french = persons.filter((p) => p.startsWith('fr-sirene,'));
    expect(french.length).toBeGreaterThan(100);
    for (const p of french.slice(0, 50)) expect(sirene).toContain(`${p.split(',')[1]},`);
  });

  it('keeps WHOIS personal objects (person, role) only in AFRINIC\'s all-classes dump, and lists them', async () => {
    const truth = gunzipSync(await readFile(file('truth/whois-objects.csv.gz'))).toString('utf8');
    expect(truth).toMatch(/afrinic\.db\.inetnum\.gz,\d+,person,/);
    const ripe = gunzipSync(await readFile(file('ripe-rpsl/ripe.db.inetnum.gz'))).toString('latin1');
    expect(ripe).not.toMatch(/^person:/m);
    expect(ripe).not.toMatch(/^(admin-c|tech-c):\s+(?!\s|DUMY-RIPE)/m);
  });
});

describe('the delegated files', () => {
  it('have the registry\'s header, summaries that count each type, and an .md5 that matches', async () => {
    for (const rir of ['ripencc', 'arin', 'apnic', 'lacnic', 'afrinic']) {
      const path = file(`${rir}-delegated/delegated-${rir}-extended-latest`);
      const bad = new Set(malformed.filter((m) => m.source === `${rir}-delegated`).map((m) => m.line));
      const lines = (await readFile(path, 'utf8')).split('\n').filter((l, i) => l !== '' && !l.startsWith('#') && !bad.has(i + 1));
      const [version, registry, , total] = lines[0]!.split('|');
      expect(['2', '2.3']).toContain(version);
      expect(registry).toBe(rir);
      const records = lines.slice(1).filter((l) => !l.endsWith('|summary'));
      expect(records).toHaveLength(Number(total));
      for (const summary of lines.slice(1).filter((l) => l.endsWith('|summary'))) {
        const type = summary.split('|')[2];
        expect(records.filter((r) => r.split('|')[2] === type).length).toBe(Number(summary.split('|')[4]));
      }
      const text = await readFile(path, 'utf8');
      const all = text.split('\n');
      for (const line of bad) expect(all[line - 1]).toMatch(new RegExp(`^${rir}\\|`));
      const md5 = (await readFile(`${path}.md5`, 'utf8')).match(/[0-9a-f]{32}/)?.[0];
      const { createHash } = await import('node:crypto');
      expect(md5).toBe(createHash('md5').update(await readFile(path)).digest('hex'));
    }
  });

  it('include IPv4 counts that are not powers of two, and LACNIC free space in seven fields', async () => {
    const arin = await readFile(file('arin-delegated/delegated-arin-extended-latest'), 'utf8');
    const counts = arin.split('\n').filter((l) => l.split('|')[2] === 'ipv4' && !l.endsWith('summary')).map((l) => Number(l.split('|')[4]));
    expect(counts.some((n) => Number.isInteger(n) && (n & (n - 1)) !== 0)).toBe(true);
    const lacnic = await readFile(file('lacnic-delegated/delegated-lacnic-extended-latest'), 'utf8');
    const free = lacnic.split('\n').filter((l) => /\|(available|reserved)$/.test(l));
    for (const l of free) expect(l.split('|')).toHaveLength(7);
  });
});

describe('generation', () => {
  it('is byte-identical for the same seed, and different for another', async () => {
    const again = await generateWorld({ seed: 7, scale: 'small', snapshot: '2026-11-01', outDir: join(dir, 'again'), log });
    expect(again.files).toEqual(manifest.files);
    const other = await generateWorld({ seed: 8, scale: 'small', snapshot: '2026-11-01', outDir: join(dir, 'other'), log });
    expect(other.files.find((f) => f.path.startsWith('gb-'))!.sha256).not.toBe(manifest.files.find((f) => f.path.startsWith('gb-'))!.sha256);
  }, 60_000);

  it('the committed data-samples/ are exactly what `npm run samples` makes', async () => {
    const committed = JSON.parse(await readFile(new URL('../data-samples/world.json', import.meta.url), 'utf8')) as WorldManifest;
    const fresh = await generateWorld({ seed: committed.seed, scale: 'small', snapshot: committed.snapshot, outDir: join(dir, 'samples'), log });
    expect(fresh.files).toEqual(committed.files);
    for (const f of committed.files.slice(0, 5)) {
      const { createHash } = await import('node:crypto');
      const bytes = await readFile(new URL(`../data-samples/${f.path}`, import.meta.url));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
    }
  }, 60_000);
});
