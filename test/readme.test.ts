/**
 * The README and docs/ stay in step with the code and with each other: every setting and variable is
 * documented, the quick start is two commands, every link between the pages goes somewhere, and the
 * repository stands alone (nothing it runs refers to a path outside it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../src/config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('README and docs', () => {
  it('documents every setting and every variable that sets it (docs/configuration.md)', async () => {
    const reference = await readFile(join(ROOT, 'docs/configuration.md'), 'utf8');
    for (const s of SETTINGS) {
      expect(reference, `setting ${s.path}`).toContain(`| \`${s.path}\` |`);
      for (const v of s.env) expect(reference, `variable ${v}`).toContain(`\`${v}\``);
    }
  });

  it('has a quick start of exactly two commands, and stays a front door (at most about 15,000 characters)', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(block.trim().split('\n')).toHaveLength(2);
    expect(readme.length).toBeLessThanOrEqual(15_500);
  });

  it.each(pages)('%s: every relative link names a file of the repository', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '').filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#'));
    const missing = targets.map((t) => t.split('#')[0] ?? '').filter((t) => !existsSync(resolve(ROOT, dirname(page), t)));
    expect(missing).toEqual([]);
  });

  it('links every page of docs/ from docs/README.md', () => {
    const index = readFileSync(join(ROOT, 'docs/README.md'), 'utf8');
    for (const page of pages.filter((p) => p.startsWith('docs/') && p !== 'docs/README.md')) expect(index, page).toContain(`(${relative('docs', page)})`);
  });

  it('nothing in src/, test/, bench/ or scripts/ refers to a path outside the repository', () => {
    // Built from parts, so that this file does not find itself.
    const outside = ['..', 'shared'].join('/');
    const found: string[] = [];
    for (const dir of ['src', 'test', 'bench', 'scripts']) {
      for (const e of readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
        if (!e.isFile() || e.parentPath.includes('fixtures')) continue;
        const path = join(e.parentPath, e.name);
        if (readFileSync(path, 'utf8').includes(outside)) found.push(relative(ROOT, path));
      }
    }
    expect(found).toEqual([]);
  });
});
