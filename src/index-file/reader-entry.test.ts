import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

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

  it('needs nothing but Node and its own folder: no dependency, nothing of the pipeline side', async () => {
    const { modules, external } = await importGraph(new URL('./load.ts', import.meta.url));
    const folder = new URL('.', import.meta.url).pathname;
    expect(modules.filter((m) => !m.startsWith(folder))).toEqual([]);
    expect(external.filter((e) => !e.startsWith('node:'))).toEqual([]);
    expect(modules.length).toBeGreaterThanOrEqual(4);
  });
});
