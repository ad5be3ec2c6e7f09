import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndexFileError, loadIndex, openIndex, readWhole } from './load.js';

const cases = new URL('../../test/index-cases/', import.meta.url);

/** The modules `ipreg/reader` loads, following relative imports from its entry. */
async function importGraph(entry: URL): Promise<{ modules: string[]; external: string[] }> {
  const seen = new Set<string>();
  const external = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const url = queue.pop() as URL;
    if (seen.has(url.pathname)) continue;
    seen.add(url.pathname);
    const source = await readFile(url, 'utf8');
    for (const [, spec] of source.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
      if (spec === undefined) continue;
      if (spec.startsWith('.')) queue.push(new URL(spec.replace(/\.js$/, '.ts'), url));
      else external.add(spec);
    }
  }
  return { modules: [...seen], external: [...external] };
}

describe('ipreg/reader', () => {
  it('is exported as its own entry point', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, { default: string }> };
    expect(pkg.exports['./reader']?.default).toBe('./dist/src/index-file/load.js');
  });

  it('needs nothing but Node, its own folder and the address code (src/ip): no dependency, nothing of the pipeline side', async () => {
    const { modules, external } = await importGraph(new URL('./load.ts', import.meta.url));
    const folders = [new URL('.', import.meta.url).pathname, new URL('../ip/', import.meta.url).pathname];
    expect(modules.filter((m) => !folders.some((f) => m.startsWith(f)))).toEqual([]);
    expect(external.filter((e) => !e.startsWith('node:'))).toEqual([]);
    expect(modules.length).toBeGreaterThanOrEqual(4);
  });
});

describe('loadIndex', () => {
  it('reads a file whole, byte for byte as readFile does, and opens it', async () => {
    const path = new URL('good.idx', cases).pathname;
    const expected = await readFile(path);
    expect(Buffer.compare(await readWhole(path), expected)).toBe(0);
    const [loaded, opened] = [await loadIndex(path), openIndex(expected)];
    expect(loaded.meta()).toEqual(opened.meta());
    expect([...loaded.ranges(4)]).toEqual([...opened.ranges(4)]);
  });

  it('rejects a truncated file with the named error', async () => {
    const path = new URL('corrupt/truncated-at-record.class.idx', cases).pathname;
    await expect(loadIndex(path)).rejects.toSatisfy((e) => e instanceof IndexFileError && e.code === 'INDEX_TRUNCATED');
  });

  it('refuses a device before reading it (/dev/zero never ends), and a file longer than its header says without reading it all', async () => {
    await expect(loadIndex('/dev/zero')).rejects.toSatisfy((e) => e instanceof IndexFileError && e.code === 'INDEX_NOT_A_FILE' && e.message.includes('/dev/zero'));
    const dir = await mkdtemp(join(tmpdir(), 'ipreg-reader-'));
    try {
      const longer = join(dir, 'longer.idx');
      await writeFile(longer, Buffer.concat([await readFile(new URL('good.idx', cases)), Buffer.alloc(1 << 20)]));
      await expect(loadIndex(longer)).rejects.toSatisfy((e) => e instanceof IndexFileError && e.code === 'INDEX_LENGTH');
      const text = join(dir, 'not-an-index.idx');
      await writeFile(text, 'not an index file, and long enough to hold a header of sixty-four bytes or more');
      await expect(loadIndex(text)).rejects.toSatisfy((e) => e instanceof IndexFileError && e.code === 'INDEX_BAD_MAGIC');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the path of a file that is not there', async () => {
    await expect(loadIndex('/nonexistent/ipreg.idx')).rejects.toThrow(/ipreg\.idx/);
  });
});
