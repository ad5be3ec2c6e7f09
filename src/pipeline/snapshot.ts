/**
 * A run's snapshot: the date (YYYY-MM-DD) its data is of. Parsed and defaulted here only: an explicit
 * `--snapshot`, else the snapshot of the generated world that `--sources` names (its world.json), else
 * today in UTC.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IpregError } from '../errors.js';

/** Whether `value` is a real calendar date written YYYY-MM-DD. */
export function isSnapshot(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over into March: the date must read back as written.
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

/** A snapshot given on the command line; throws USAGE naming the value otherwise. */
export function parseSnapshot(value: string): string {
  if (!isSnapshot(value)) throw new IpregError('USAGE', `snapshot "${value}" is not a date written YYYY-MM-DD`);
  return value;
}

/** Today's date in UTC. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The snapshot of the generated world in `folder` (its world.json), or undefined when the folder is no
 * generated world (a mirror of real files, say).
 */
export async function worldSnapshot(folder: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(folder, 'world.json'), 'utf8');
  } catch {
    return undefined;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (err) {
    throw new IpregError('USAGE', `${join(folder, 'world.json')} is not JSON: ${(err as Error).message}`);
  }
  const snapshot = (manifest as { snapshot?: unknown } | null)?.snapshot;
  if (typeof snapshot !== 'string' || !isSnapshot(snapshot)) {
    throw new IpregError('USAGE', `${join(folder, 'world.json')} names no snapshot date (field "snapshot": ${JSON.stringify(snapshot)})`);
  }
  return snapshot;
}

/** Where a run's snapshot came from, for the log and the run record. */
export type SnapshotOrigin = 'option' | 'world' | 'today';

/**
 * The snapshot of a run: `explicit` when given, else the world's when `sources` is a folder holding a
 * generated world, else today (UTC).
 */
export async function resolveSnapshot(explicit: string | undefined, sources: string | undefined, now: Date = new Date()): Promise<{ snapshot: string; origin: SnapshotOrigin }> {
  if (explicit !== undefined) return { snapshot: parseSnapshot(explicit), origin: 'option' };
  if (sources !== undefined && sources !== '' && !/^https?:\/\//i.test(sources)) {
    const world = await worldSnapshot(sources);
    if (world !== undefined) return { snapshot: world, origin: 'world' };
  }
  return { snapshot: todayUtc(now), origin: 'today' };
}
