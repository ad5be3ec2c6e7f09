/**
 * The catalogue of sources: every source's metadata (publisher, real URLs, licence and attribution,
 * cadence, expected record counts, skip budget), read from the source.json beside its code. The
 * pipelines learn of sources from this list, never by importing a source by name.
 */
import { IpregError } from '../errors.js';
import afrinicDelegated from './afrinic-delegated/source.json' with { type: 'json' };
import afrinicRpsl from './afrinic-rpsl/source.json' with { type: 'json' };
import apnicDelegated from './apnic-delegated/source.json' with { type: 'json' };
import apnicRpsl from './apnic-rpsl/source.json' with { type: 'json' };
import arinDelegated from './arin-delegated/source.json' with { type: 'json' };
import lacnicDelegated from './lacnic-delegated/source.json' with { type: 'json' };
import lacnicRpsl from './lacnic-rpsl/source.json' with { type: 'json' };
import ripeRpsl from './ripe-rpsl/source.json' with { type: 'json' };
import ripenccDelegated from './ripencc-delegated/source.json' with { type: 'json' };
import beKbo from './be-kbo/source.json' with { type: 'json' };
import eeRik from './ee-rik/source.json' with { type: 'json' };
import frSirene from './fr-sirene/source.json' with { type: 'json' };
import gbCompaniesHouse from './gb-companies-house/source.json' with { type: 'json' };
import gleifLei from './gleif-lei/source.json' with { type: 'json' };
import noBrreg from './no-brreg/source.json' with { type: 'json' };

/**
 * One file a source publishes: where it is, and which files of the generated world stand for it.
 * `url`, `world` and `archive.member` may hold {snapshot} (YYYY-MM-DD), {month} (YYYY-MM) and
 * {compact} (YYYYMMDD), filled in for a run's snapshot by fileForSnapshot().
 */
export interface SourceFile {
  /** The name it lands under in raw/<source>/<snapshot>/. */
  name: string;
  url: string;
  md5Url?: string;
  gzip: boolean;
  /** The publisher ships it inside a zip: the member to take (a glob: * for any run of characters). */
  archive?: { format: 'zip'; member: string };
  /** Files of a generated world that, concatenated, are this file (as landed: never zipped). */
  world: string[];
}

/** A source's metadata. */
export interface SourceMeta {
  id: string;
  kind: 'ip-allocation' | 'register';
  format: string;
  publisher: string;
  licence: string;
  attribution: string;
  cadence: string;
  encoding: 'ascii' | 'latin1' | 'utf8';
  files: SourceFile[];
  /** RPSL: attributes every dump of a class carries; one missing from a whole file means the format changed. */
  requiredAttributes?: Record<string, string[]>;
  expectedRecords: { min: number; max: number };
  /** The share of records that may be skipped as malformed before a run fails … */
  skipBudget: number;
  /** … or this many, whichever allows more (small files). */
  skipBudgetMinimum: number;
  notes?: string;
}

/** Every source, in the order pipelines take them. */
export const SOURCES: readonly SourceMeta[] = [
  ripenccDelegated,
  arinDelegated,
  apnicDelegated,
  lacnicDelegated,
  afrinicDelegated,
  ripeRpsl,
  apnicRpsl,
  afrinicRpsl,
  lacnicRpsl,
  gbCompaniesHouse,
  frSirene,
  noBrreg,
  beKbo,
  eeRik,
  gleifLei,
] as SourceMeta[];

/** A file's URL, world paths and archive member for a snapshot (YYYY-MM-DD). */
export function fileForSnapshot(file: SourceFile, snapshot: string): SourceFile {
  const fill = (text: string) => text.replaceAll('{snapshot}', snapshot).replaceAll('{month}', snapshot.slice(0, 7)).replaceAll('{compact}', snapshot.replaceAll('-', ''));
  return { ...file, url: fill(file.url), world: file.world.map(fill), ...(file.archive === undefined ? {} : { archive: { ...file.archive, member: fill(file.archive.member) } }) };
}

/** The source with this id; throws USAGE naming the known ones. */
export function sourceById(id: string): SourceMeta {
  const found = SOURCES.find((s) => s.id === id);
  if (found === undefined) {
    throw new IpregError('USAGE', `unknown source "${id}" (known: ${SOURCES.map((s) => s.id).join(', ')})`, { source: id });
  }
  return found;
}
