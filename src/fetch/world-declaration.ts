/**
 * What a folder of source files declares about itself. A generated world's `world.json` is its
 * publisher's word: every file's size, lines and sha256, and the record counts it was made to. A
 * file that differs from it was cut short or changed after it was written, and is refused when it
 * is landed (like a download whose MD5 differs from the RIR's `.md5`); the counts are the floor a
 * source with no history in the lake is held to. A folder without world.json (real files someone
 * downloaded) declares nothing: its files are held to the `.md5` beside them, where there is one,
 * and its sources to the range the real publisher's files usually hold.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IpregError } from '../errors.js';
import { fileForSnapshot, type SourceMeta } from '../sources/catalog.js';
import type { WorldCounts } from '../world/scale.js';

/** One file as world.json declares it. */
export interface DeclaredFile {
  path: string;
  bytes: number;
  lines: number;
  sha256: string;
}

/** What world.json declares: its files by path (relative to the folder) and its record counts. */
export interface WorldDeclaration {
  folder: string;
  files: ReadonlyMap<string, DeclaredFile>;
  counts: WorldCounts | undefined;
}

/**
 * The declaration of a folder, or undefined when it has no world.json. Read each time it is asked
 * for (a small file): a long-running `ipreg schedule` must see a world written again since.
 */
export async function worldDeclaration(folder: string): Promise<WorldDeclaration | undefined> {
  const path = join(folder, 'world.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let manifest: { files?: unknown; counts?: unknown };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch (err) {
    throw new IpregError('USAGE', `${path} is not JSON: ${(err as Error).message}`, { file: path });
  }
  const files = new Map<string, DeclaredFile>();
  for (const [i, f] of (Array.isArray(manifest.files) ? (manifest.files as unknown[]) : []).entries()) {
    const file = f as Partial<DeclaredFile> | null;
    if (typeof file?.path !== 'string' || typeof file.bytes !== 'number' || typeof file.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(file.sha256)) {
      throw new IpregError('USAGE', `${path}: files[${i}] lacks a path, a size in bytes or a sha256: ${JSON.stringify(f).slice(0, 200)}`, { file: path, field: `files[${i}]` });
    }
    files.set(file.path, { path: file.path, bytes: file.bytes, lines: typeof file.lines === 'number' ? file.lines : 0, sha256: file.sha256 });
  }
  const counts = typeof manifest.counts === 'object' && manifest.counts !== null ? (manifest.counts as WorldCounts) : undefined;
  return { folder, files, counts };
}

/** The RPSL registry of world.json's counts that an RPSL source's dumps come from. */
const RPSL_KEYS: Record<string, keyof WorldCounts['rpsl']> = { 'ripe-rpsl': 'ripencc', 'apnic-rpsl': 'apnic', 'afrinic-rpsl': 'afrinic', 'lacnic-rpsl': 'lacnic' };

/**
 * The records a source of a generated world should read, as a range: within a fifth of the count the
 * world was made to (malformed lines, people's records and objects outside the counted classes move
 * it a little), or, for the files the world derives without a count of their own (the RIRs' delegated
 * files, routing data), between half their declared lines and all of them. Undefined when the
 * declaration says nothing of the source.
 */
export function declaredRecords(declaration: WorldDeclaration, source: SourceMeta, snapshot: string): { min: number; max: number; basis: string } | undefined {
  const counts = declaration.counts;
  const around = (n: number, what: string) => ({ min: Math.floor(n * 0.8), max: Math.ceil(n * 1.25), basis: `${n.toLocaleString('en')} ${what} in world.json, ± a fifth` });
  if (counts !== undefined) {
    const register = (counts.registers as Record<string, number | undefined>)[source.id];
    if (register !== undefined) return around(register, 'records');
    if (source.id === 'gleif-lei') return around(counts.gleifEntities, 'entities');
    if (source.id === 'arin-delegated') return around(counts.arinDelegatedRecords, 'records');
    const rir = RPSL_KEYS[source.id];
    const rpsl = rir === undefined ? undefined : counts.rpsl[rir];
    if (rpsl !== undefined) return around(rpsl.inetnum + rpsl.inet6num + rpsl.organisation + rpsl.autNum, 'objects');
  }
  const lines = source.files.flatMap((f) => fileForSnapshot(f, snapshot).world).reduce((n, w) => n + (declaration.files.get(w)?.lines ?? 0), 0);
  if (lines === 0) return undefined;
  return { min: Math.floor(lines / 2), max: lines, basis: `half to all of the ${lines.toLocaleString('en')} lines world.json declares` };
}
