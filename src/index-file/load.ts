/**
 * The reader's entry point for services (`ipreg/reader`): open an index file from disk or from a
 * buffer, then look addresses up. Depends on nothing but Node's own modules.
 */
import { readFile } from 'node:fs/promises';
import { openIndex, type IndexReader } from './read.js';

export { openIndex, IndexReader, IndexFileError, InvalidAddressError } from './read.js';
export type { IndexCompany, IndexRecord, IndexRange } from './read.js';
export type { IndexMeta, RangeClass, SourceAttribution } from './layout.js';

/** Reads the index file at `path` whole and opens it (checks first; throws IndexFileError). */
export async function loadIndex(path: string): Promise<IndexReader> {
  return openIndex(await readFile(path));
}
