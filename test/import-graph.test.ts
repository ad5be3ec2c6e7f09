/**
 * The layers hold: the address code, the lake and the table definitions import nothing above them
 * (no feature — registers, links, index build, resolver, CLI — and no pipeline), so that each can be
 * read, tested and reused alone. Every relative import of every module is resolved and checked;
 * tests are not modules and may import across layers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every TypeScript module (not a test) below `dir`, relative to the repository. */
function modules(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** The repository paths a module imports (static, re-exported and dynamic), relative imports only. */
export function importsOf(module: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  return specifiers.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(ROOT, dirname(module), s)).replace(/\.js$/, '.ts'));
}

/** What a layer may import besides itself: the modules every layer shares (errors, logging, the store, digests). */
const SHARED = ['src/errors.ts', 'src/log.ts', 'src/file-digest.ts', 'src/output-file.ts', 'src/worker-thread.ts', 'src/store/'];

const LAYERS: { layer: string; may: string[] }[] = [
  { layer: 'src/ip/', may: ['src/ip/'] },
  { layer: 'src/lake/', may: ['src/lake/', 'src/ip/', 'schemas/', ...SHARED] },
  { layer: 'schemas/', may: ['schemas/', 'src/lake/', 'src/ip/'] },
];

describe('the import graph', () => {
  it('finds the imports it checks (static, type-only, re-exported, dynamic)', () => {
    const text = "import { a } from './a.js';\nimport type { B } from '../b/b.js';\nexport { c } from './c.js';\nconst d = await import('./d.js');\nimport './e.js';\nimport fs from 'node:fs';";
    expect(importsOf('src/lake/x.ts', text)).toEqual(['src/lake/a.ts', 'src/b/b.ts', 'src/lake/c.ts', 'src/lake/d.ts', 'src/lake/e.ts']);
  });

  it.each(LAYERS)('$layer imports nothing above it', ({ layer, may }) => {
    const found = modules(layer);
    expect(found.length).toBeGreaterThan(0);
    const upward: string[] = [];
    for (const module of found) {
      for (const target of importsOf(module, readFileSync(join(ROOT, module), 'utf8'))) {
        if (!may.some((allowed) => (allowed.endsWith('/') ? target.startsWith(allowed) : target === allowed))) upward.push(`${module} → ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
