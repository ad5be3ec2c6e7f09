/**
 * The published pointer (`index/latest.json`) and the builds' manifests, as resolvers and publishers
 * read them. Kept apart from publishing, which needs the lake's Parquet code: a resolver loads this
 * and nothing heavier.
 */
import { IpregError } from '../errors.js';
import type { ObjectStore } from '../store/store.js';
import { buildFolder, LATEST_KEY } from '../lake/paths.js';

export const INDEX_FILE = 'ipreg.idx';

/** An object a manifest names, with its digest. */
export interface ManifestObject {
  key: string;
  bytes: number;
  sha256: string;
}

/** The counts a build reports and the gates compare. */
export interface BuildCounts extends Record<string, unknown> {
  v4Ranges: number;
  v6Ranges: number;
  records: number;
  answeredRanges: number;
  linkedRanges: number;
  linkedCompanies: number;
  suppressedRanges: number;
  byClass: Record<string, number>;
}

/** `index/builds/<id>/manifest.json`. */
export interface BuildManifest {
  buildId: string;
  snapshot: string;
  format: string;
  builtAt: string;
  index: ManifestObject;
  ipRanges: (ManifestObject & { rows: number })[];
  inputs: ManifestObject[];
  counts: BuildCounts;
  checks: readonly string[];
}

/** `index/latest.json`: the published build. */
export interface LatestPointer {
  buildId: string;
  snapshot: string;
  index: ManifestObject;
  manifest: string;
  publishedAt: string;
  previous: string | null;
  forced?: boolean;
  rollback?: boolean;
}

/** Reads a JSON object from the store, or undefined when absent. */
export async function readJson<T>(store: ObjectStore, key: string): Promise<{ value: T; etag: string } | undefined> {
  const head = await store.head(key);
  if (head === undefined) return undefined;
  return { value: JSON.parse((await store.getBytes(key)).toString('utf8')) as T, etag: head.etag };
}

/** The published pointer, or undefined before the first publish. */
export async function readLatest(store: ObjectStore): Promise<{ value: LatestPointer; etag: string } | undefined> {
  return readJson<LatestPointer>(store, LATEST_KEY);
}

/** The manifest of a build; throws naming the build when there is none. */
export async function readManifest(store: ObjectStore, buildId: string): Promise<BuildManifest> {
  const found = await readJson<BuildManifest>(store, `${buildFolder(buildId)}/manifest.json`);
  if (found === undefined) throw new IpregError('USAGE', `no index build ${buildId} in the store (no ${buildFolder(buildId)}/manifest.json)`, { key: `${buildFolder(buildId)}/manifest.json` });
  return found.value;
}

