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

/** One file a source publishes: where it is, and which files of the generated world stand for it. */
export interface SourceFile {
  name: string;
  url: string;
  md5Url?: string;
  gzip: boolean;
  /** Files of a generated world that, concatenated, are this file. */
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
] as SourceMeta[];

/** The source with this id; throws USAGE naming the known ones. */
export function sourceById(id: string): SourceMeta {
  const found = SOURCES.find((s) => s.id === id);
  if (found === undefined) {
    throw new IpregError('USAGE', `unknown source "${id}" (known: ${SOURCES.map((s) => s.id).join(', ')})`, { source: id });
  }
  return found;
}
