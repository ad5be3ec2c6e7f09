/** The README stays in step with the code: every setting and variable is documented. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../src/config.js';

describe('README', () => {
  it('documents every setting and every variable that sets it', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.split('## Configuration')[1]?.split('\n## ')[0] ?? '';
    for (const s of SETTINGS) {
      expect(section, `setting ${s.path}`).toContain(`| \`${s.path}\` |`);
      for (const v of s.env) expect(section, `variable ${v}`).toContain(`\`${v}\``);
    }
  });

  it('has a quick start of exactly two commands', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(block.trim().split('\n')).toHaveLength(2);
  });
});
