/** The README written into every generated world: what is where, how big, and how to make it again. */
import type { WorldManifest } from './generate.js';

const SOURCES: readonly (readonly [string, string])[] = [
  ['gb-companies-house/', 'UK Companies House BasicCompanyData (one CSV, the exact 55-column header)'],
  ['fr-sirene/', 'INSEE SIRENE StockUniteLegale and StockEtablissement (natural persons and "P" units included)'],
  ['no-brreg/', 'Brønnøysund enheter: current file (2026 columns) and a 2024 snapshot (2024 columns), gzipped'],
  ['be-kbo/full/, be-kbo/update/', 'KBO/BCE open data: the full extract and an update set (deletes before inserts)'],
  ['ee-rik/', 'Estonian e-Business Register basic data (";", byte-order mark)'],
  ['lv-ur/', 'Latvian Register of Enterprises register.csv (";", the legal form leading the name)'],
  ['lt-jar/', 'Lithuanian Register of Legal Entities JAR_IREGISTRUOTI.csv ("|")'],
  ['cz-res/', 'Czech Statistical Office business register res_data.csv (CRLF, natural persons included)'],
  ['ie-cro/', 'Irish Companies Registration Office companies.csv (dissolved companies kept, a renamed company on a row per name)'],
  ['fi-prh/', 'Finnish PRH all_companies JSON array (names with their history, sole traders included)'],
  ['se-bolagsverket/', 'Bolagsverket\'s bulk file (";", values packed with "$") and SCB\'s business register file (tab, Latin-1), sole traders included'],
  ['gleif-lei/', 'GLEIF golden copy: LEI records (lei2) and relationship records (rr)'],
  ['<rir>-delegated/', 'the five RIRs\' delegated-extended statistics, each with its .md5'],
  ['ripe-rpsl/, apnic-rpsl/, afrinic-rpsl/, lacnic-rpsl/', 'RPSL split dumps (inetnum, inet6num, organisation, aut-num), gzipped latin-1'],
  ['truth/', 'the answers: whois-objects.csv.gz, malformed.csv, natural-persons.csv.gz, sample-addresses.csv, suppression.csv'],
];

/** README.md for a generated world. */
export function worldReadme(m: WorldManifest): string {
  const rows = m.files.map((f) => `| \`${f.path}\` | ${f.lines.toLocaleString('en')} | ${f.bytes.toLocaleString('en')} |`);
  return `# A synthetic world (seed ${m.seed}, scale ${m.scale}, snapshot ${m.snapshot})

Made by \`ipreg generate --seed ${m.seed} --scale ${m.scale} --snapshot ${m.snapshot} --out <dir>\`
(generator version ${m.generator.version}). Everything here is invented: the companies, people, networks
and addresses come from one seeded model and are rendered into each source's published format. The
same command makes the same bytes; \`world.json\` lists every file with its sha256.

## What is where

| folder | what |
| --- | --- |
${SOURCES.map(([f, d]) => `| \`${f}\` | ${d} |`).join('\n')}

## The truth

- \`truth/whois-objects.csv.gz\`: every WHOIS object (source, file, line, class, key) with the class of
  its range, the register company or LEI it belongs to (or why none: access provider, left the register,
  not for publication, natural person, no register for its country, holder hidden), the name it was
  written under and the noise applied to it.
- \`truth/malformed.csv\`: every deliberately malformed record, by source, file and line, with the reason.
- \`truth/natural-persons.csv.gz\`: the natural persons the registers hold; none may reach the lake.
- \`truth/sample-addresses.csv\`: addresses with the answer the index must give (most specific range wins).
- \`truth/suppression.csv\`: a sample suppression list (objections under GDPR Art. 21).

## Files

| file | lines | bytes |
| --- | ---: | ---: |
${rows.join('\n')}
`;
}
