/**
 * Index builds in the store and the pointer resolvers follow. A build is an immutable folder
 * `index/builds/<build-id>/` (ipreg.idx, manifest.json, the ip_ranges parts); it is verified after
 * upload, byte for byte against its manifest and against every invariant of the format. Publishing
 * passes the data-quality gates, replaces `index/latest.json` with a compare-and-swap, so two
 * publishers never both win, and only then puts the build's ip_ranges in the lake's shared `tables/`:
 * a publisher that lost touches nothing shared.
 */
import { createHash } from 'node:crypto';
import { IpregError, PreconditionFailedError } from '../errors.js';
import { INDEX_FILE, readJson, readLatest, readManifest, type BuildManifest, type LatestPointer, type ManifestObject } from '../index-file/pointer.js';
import { verifyIndex } from '../index-file/verify.js';
import type { IndexMeta } from '../index-file/layout.js';
import { partKey, type WrittenPart } from '../lake/parquet.js';
import { etagIfStored, listAll, type ObjectStore } from '../store/store.js';
import { LATEST_KEY, buildFolder, partitionFolder } from '../lake/paths.js';

export { INDEX_FILE, readLatest, readManifest, type BuildCounts, type BuildManifest, type LatestPointer, type ManifestObject } from '../index-file/pointer.js';

/** The sha256 of bytes, as hex. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Uploads a build — the index file, then its ip_ranges parts, then the manifest last (a build without
 * a manifest is incomplete and never published) — and verifies the index as stored. A build id that
 * exists already with the same index bytes is left as it is (rebuilding is idempotent; `writeIpRanges`
 * is then not called); with other bytes it is an error (builds are immutable). Either way the stored
 * index is verified before this returns.
 */
export async function uploadBuild(
  store: ObjectStore,
  file: Uint8Array,
  writeIpRanges: (folder: string) => Promise<WrittenPart[]>,
  manifest: Omit<BuildManifest, 'index' | 'ipRanges'>,
): Promise<BuildManifest> {
  const folder = buildFolder(manifest.buildId);
  const index: ManifestObject = { key: `${folder}/${INDEX_FILE}`, bytes: file.byteLength, sha256: sha256Of(file) };
  const existing = await readJson<BuildManifest>(store, `${folder}/manifest.json`);
  if (existing !== undefined) {
    if (existing.value.index.sha256 !== index.sha256) {
      throw new IpregError('INTERNAL', `index build ${manifest.buildId} exists with other bytes (sha256 ${existing.value.index.sha256}, now ${index.sha256}): the build is not deterministic`, { key: index.key });
    }
    await verifyStored(store, existing.value.index);
    return existing.value;
  }
  await store.put(index.key, file, { contentType: 'application/octet-stream' });
  await verifyStored(store, index);
  const ipRanges = (await writeIpRanges(`${folder}/ip_ranges`)).map((p) => ({ key: p.key, rows: p.rows, bytes: p.bytes, sha256: p.sha256 }));
  const full: BuildManifest = { ...manifest, index, ipRanges };
  await store.put(`${folder}/manifest.json`, `${JSON.stringify(full, null, 2)}\n`, { contentType: 'application/json' });
  return full;
}

/** Reads a stored index back and checks its size, sha256 and every invariant; returns its metadata. */
export async function verifyStored(store: ObjectStore, object: ManifestObject): Promise<{ meta: IndexMeta; checks: readonly string[] }> {
  const bytes = await store.getBytes(object.key);
  if (bytes.byteLength !== object.bytes) throw new IpregError('STORE_IO', `${object.key}: ${bytes.byteLength} bytes in the store, ${object.bytes} expected`, { key: object.key });
  const digest = sha256Of(bytes);
  if (digest !== object.sha256) throw new IpregError('STORE_IO', `${object.key}: sha256 ${digest} in the store, ${object.sha256} expected`, { key: object.key });
  const { reader, checks } = verifyIndex(bytes);
  return { meta: reader.meta(), checks };
}

/** Why a build may not replace the published one, or undefined when it may. */
export function gateProblem(candidate: BuildManifest, published: BuildManifest | undefined, maxDropShare: number): string | undefined {
  if (published === undefined) return undefined;
  const problems: string[] = [];
  for (const [name, label] of [['answeredRanges', 'answered ranges'], ['linkedCompanies', 'linked companies']] as const) {
    const [now, before] = [candidate.counts[name], published.counts[name]];
    if (before > 0 && now < before * (1 - maxDropShare)) {
      problems.push(`${now.toLocaleString('en')} ${label}, ${(100 * (1 - now / before)).toFixed(1)} % fewer than the published build ${published.buildId}'s ${before.toLocaleString('en')}`);
    }
  }
  if (problems.length === 0) return undefined;
  return `index build ${candidate.buildId} has ${problems.join(' and ')} (the limit is ${(maxDropShare * 100).toFixed(1)} %): not published; check the inputs, or publish it anyway with \`ipreg index publish ${candidate.buildId} --force\``;
}

/** What publishing did. */
export interface PublishResult {
  pointer: LatestPointer;
  ipRanges: string[];
  /** Forced: the gate it failed and was published past (gateProblem's words). */
  overridden?: string;
}

/**
 * Publishes a stored build: verifies it (unless the caller just did), applies the gates (unless forced
 * or rolling back), swaps the pointer if nobody else changed it meanwhile, and then puts the ip_ranges
 * of whichever build the pointer names in the lake for its snapshot. A build the pointer already names
 * is not published again: the call completes what a run that died after the swap left undone.
 */
export async function publishBuild(
  store: ObjectStore,
  buildId: string,
  options: { maxDropShare: number; force?: boolean; rollback?: boolean; now?: () => Date; verifiedJustNow?: boolean },
): Promise<PublishResult> {
  const manifest = await readManifest(store, buildId);
  // The pipeline's upload step read the build back and verified it a moment ago: no third read of it.
  if (options.verifiedJustNow !== true) await verifyStored(store, manifest.index);
  const latest = await readLatest(store);
  let pointer: LatestPointer;
  let overridden: string | undefined;
  if (latest?.value.buildId === buildId && options.rollback !== true) {
    pointer = latest.value;
  } else {
    if (options.rollback !== true) {
      const published = latest === undefined ? undefined : await readManifest(store, latest.value.buildId);
      const problem = gateProblem(manifest, published, options.maxDropShare);
      if (problem !== undefined && options.force !== true) throw new IpregError('BUDGET_EXCEEDED', problem, { key: LATEST_KEY });
      overridden = problem;
    }
    pointer = {
      buildId,
      snapshot: manifest.snapshot,
      index: manifest.index,
      manifest: `${buildFolder(buildId)}/manifest.json`,
      publishedAt: (options.now?.() ?? new Date()).toISOString(),
      previous: latest?.value.buildId ?? null,
      ...(options.force === true ? { forced: true } : {}),
      ...(options.rollback === true ? { rollback: true } : {}),
    };
    await swapPointer(store, pointer, latest?.etag);
  }
  return { pointer, ipRanges: await copyPublishedIpRanges(store, manifest), ...(overridden === undefined ? {} : { overridden }) };
}

/** Replaces the pointer if it is still what was read (etag; undefined: absent), or says another publisher won. */
async function swapPointer(store: ObjectStore, pointer: LatestPointer, etag: string | undefined): Promise<void> {
  const body = `${JSON.stringify(pointer, null, 2)}\n`;
  try {
    if (etag === undefined) await store.putIfAbsent(LATEST_KEY, body);
    else await store.putIfMatch(LATEST_KEY, body, etag);
  } catch (err) {
    if (!(err instanceof PreconditionFailedError)) throw err;
    // Refused — or a retry of a write that went through, whose first answer was lost: the pointer says which.
    if ((await etagIfStored(store, LATEST_KEY, body)) !== undefined) return;
    throw new IpregError('STORE_PRECONDITION_FAILED', `${LATEST_KEY} changed while publishing ${pointer.buildId} (another publisher won): nothing replaced; run the publish again`, { key: LATEST_KEY }, { cause: err });
  }
}

/**
 * Puts the ip_ranges of the build the pointer names into the lake, after the swap. Two publishers that
 * each won a swap in turn may copy at the same time: each looks at the pointer again once done and
 * copies the build it names, so the one that finishes last leaves the tables as the pointer says.
 */
async function copyPublishedIpRanges(store: ObjectStore, manifest: BuildManifest): Promise<string[]> {
  let copied = manifest;
  for (let round = 0; ; round++) {
    const keys = await copyIpRanges(store, copied);
    const now = await readLatest(store);
    if (now === undefined || now.value.buildId === copied.buildId || round === 4) return keys;
    const current = await readManifest(store, now.value.buildId);
    if (current.snapshot !== manifest.snapshot) return keys; // the pointer moved to another snapshot's build: its own publisher fills that partition
    copied = current;
  }
}

/** Copies a build's ip_ranges parts to tables/ip_ranges/snapshot=<snapshot>/ (stale parts of the folder removed). */
async function copyIpRanges(store: ObjectStore, manifest: BuildManifest): Promise<string[]> {
  const folder = partitionFolder('ip_ranges', [['snapshot', manifest.snapshot]]);
  const keys: string[] = [];
  for (const [i, part] of manifest.ipRanges.entries()) {
    const key = partKey(folder, i);
    await store.put(key, await store.get(part.key));
    keys.push(key);
  }
  for await (const o of listAll(store, `${folder}/`)) if (!keys.includes(o.key)) await store.delete(o.key);
  return keys;
}
