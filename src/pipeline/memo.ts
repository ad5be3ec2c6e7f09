/**
 * Step memos: what a step read and what was published from it, kept in the store
 * (`state/<snapshot>/<pipeline>/<step>.json`) once its outputs are published. A rerun of the snapshot
 * skips a step whose inputs are the same (raw files by sha256, lake objects by ETag, the ipreg version)
 * and whose published outputs are all still there as they were written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ObjectStore } from '../store/store.js';
import type { StepResult } from './runner.js';
import { memoKey } from '../lake/paths.js';

/** What a step reads, by name: a raw file's sha256, a lake object's ETag and size, a rule version. */
export type Fingerprint = Record<string, string>;

/** An output as published: the object and its ETag then. */
export interface MemoOutput {
  key: string;
  etag: string;
  bytes: number;
}

/** The memo of one step of one snapshot. */
export interface StepMemo {
  unit: string;
  snapshot: string;
  /** The run that made and published the outputs. */
  runId: string;
  version: string;
  fingerprint: Fingerprint;
  outputs: MemoOutput[];
  /** The step's result in that run (its rows, counts, gates, inputs): a skipped step reports it again. */
  result: Omit<StepResult, 'outputs'>;
}

/** The version in ipreg's package.json, found above this module (in src/ when run from source, in dist/src/ when built). */
function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

/** The ipreg version: a new version makes every step again. */
export const IPREG_VERSION: string = packageVersion();


/** The memo of a step, or undefined (none, or unreadable: the step then runs). */
export async function readMemo(store: ObjectStore, snapshot: string, unit: string): Promise<StepMemo | undefined> {
  try {
    return JSON.parse((await store.getBytes(memoKey(snapshot, unit))).toString('utf8')) as StepMemo;
  } catch {
    return undefined;
  }
}

export async function writeMemo(store: ObjectStore, memo: StepMemo): Promise<void> {
  await store.put(memoKey(memo.snapshot, memo.unit), `${JSON.stringify(memo, null, 2)}\n`);
}

/** The same inputs: the same names with the same digests, in any order. */
export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

/**
 * Why a memo does not let its step be skipped, or undefined when it does: the inputs differ, the
 * version differs, or an output is gone or was replaced since.
 */
export async function whyNotSkipped(store: ObjectStore, memo: StepMemo | undefined, fingerprint: Fingerprint): Promise<string | undefined> {
  if (memo === undefined) return 'no memo of an earlier run';
  if (memo.version !== IPREG_VERSION) return `made by ipreg ${memo.version}`;
  if (!sameFingerprint(memo.fingerprint, fingerprint)) {
    const changed = [...new Set([...Object.keys(memo.fingerprint), ...Object.keys(fingerprint)])].filter((k) => memo.fingerprint[k] !== fingerprint[k]);
    return `inputs changed: ${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''}`;
  }
  if (memo.outputs.length === 0) return 'no outputs recorded';
  for (const o of memo.outputs) {
    const now = await store.head(o.key);
    if (now === undefined) return `output ${o.key} is gone`;
    if (now.etag !== o.etag || now.sizeBytes !== o.bytes) return `output ${o.key} was replaced`;
  }
  return undefined;
}

/** The outputs of a memo: each key with its ETag and size now (just after they were published). */
export async function outputsOf(store: ObjectStore, keys: readonly string[]): Promise<MemoOutput[]> {
  const outputs: MemoOutput[] = [];
  for (const key of new Set(keys)) {
    const info = await store.head(key);
    if (info !== undefined) outputs.push({ key, etag: info.etag, bytes: info.sizeBytes });
  }
  return outputs;
}
