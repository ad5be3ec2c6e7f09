/**
 * Taking one member out of a publisher's zip (SIRENE, KBO, the Estonian register, GLEIF ship their
 * files zipped). yauzl reads the central directory (zip64 included), so a truncated download fails
 * here; the member is streamed out with its size (yauzl) and CRC-32 (here) checked, and hashed on the way, so what
 * lands in raw/ is the member's bytes with their own sha256 and md5.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { IpregError } from '../errors.js';
import { RetryableFetchError } from './download.js';

/** What was taken out of a zip. */
export interface ExtractedMember {
  /** The member's name inside the zip. */
  name: string;
  bytes: number;
  sha256: string;
  md5: string;
}

/** A member glob ("*" any run of characters, no other specials) as a regular expression. */
export function memberPattern(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, zip) => (err === null ? resolve(zip) : reject(err)));
  });
}

/** Every entry of an open zip. */
function entriesOf(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err === null ? resolve(stream) : reject(err))));
}

/**
 * Writes the one member of the zip at `zipPath` whose name (without folders) matches `glob` to
 * `outPath`. A zip that cannot be read, or a member whose CRC or size is wrong, is a retryable
 * failure (the download was broken); no matching member, or several, is a FETCH_FAILED naming the
 * members there are (the publisher changed the archive).
 */
export async function extractMember(zipPath: string, glob: string, outPath: string, url: string): Promise<ExtractedMember> {
  let zip: ZipFile;
  try {
    zip = await openZip(zipPath);
  } catch (err) {
    throw new RetryableFetchError(`GET ${url} gave a zip that cannot be read: ${(err as Error).message}`, url, { cause: err });
  }
  try {
    let entries: Entry[];
    try {
      entries = await entriesOf(zip);
    } catch (err) {
      throw new RetryableFetchError(`GET ${url} gave a broken zip: ${(err as Error).message}`, url, { cause: err });
    }
    const pattern = memberPattern(glob);
    const files = entries.filter((e) => !e.fileName.endsWith('/'));
    const matching = files.filter((e) => pattern.test(e.fileName.split('/').pop() ?? e.fileName));
    if (matching.length !== 1) {
      const listed = files.slice(0, 20).map((e) => e.fileName).join(', ');
      throw new IpregError(
        'FETCH_FAILED',
        `${url}: ${matching.length === 0 ? 'no member' : `${matching.length} members`} named like "${glob}" in the zip (it holds: ${listed}${files.length > 20 ? ', …' : ''})`,
        { url, field: 'archive.member', value: glob },
      );
    }
    const entry = matching[0] as Entry;
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    let bytes = 0;
    let crc = 0;
    const hash = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sha256.update(chunk);
        md5.update(chunk);
        crc = crc32(chunk, crc);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(await openEntry(zip, entry), hash, createWriteStream(outPath));
    } catch (err) {
      throw new RetryableFetchError(`GET ${url} gave a zip whose member ${entry.fileName} is broken: ${(err as Error).message}`, url, { cause: err });
    }
    // yauzl checks sizes, not the CRC-32: a member whose bytes changed in transit is caught here.
    if (crc >>> 0 !== entry.crc32 >>> 0) {
      throw new RetryableFetchError(`GET ${url} gave a zip whose member ${entry.fileName} fails its CRC-32 check`, url);
    }
    return { name: entry.fileName, bytes, sha256: sha256.digest('hex'), md5: md5.digest('hex') };
  } finally {
    zip.close();
  }
}
