import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRegister } from '../../test/support/register-build.js';
import { useTempDir } from '../../test/support/temp-dir.js';
import { EE_FILE, adapter as eeRik } from '../sources/ee-rik/register.js';

const WORLD = new URL('../../data-samples/ee-rik/ettevotja_rekvisiidid__lihtandmed.csv', import.meta.url);
const tempDir = useTempDir('build');

/** The world's Estonian register with a number repeated: the second copy of a company renamed. */
async function withRepeatedNumbers(): Promise<{ header: string; lines: string[] }> {
  const [header, ...lines] = (await readFile(WORLD, 'utf8')).trimEnd().split('\n') as [string, ...string[]];
  const repeated = lines.slice(0, 40).map((line) => `Teine ${line}`);
  return { header, lines: [...lines, ...repeated] };
}

describe('buildCompanies', () => {
  it('writes the same bytes whatever order the register lists its records in, numbers repeated or not', async () => {
    const { header, lines } = await withRepeatedNumbers();
    let run = 0;
    const bytesOf = async (order: readonly string[]) => {
      const dir = join(tempDir(), `run-${run++}`);
      await mkdir(dir, { recursive: true });
      const csv = join(dir, 'input.csv');
      await writeFile(csv, `${header}\n${order.join('\n')}\n`);
      const built = await buildRegister(eeRik, { [EE_FILE]: csv }, join(dir, 'out'));
      return Promise.all(built.parts.map((p) => readFile(p.path)));
    };
    const reference = await bytesOf(lines);
    expect(reference.length).toBeGreaterThan(0);
    // The renamed copies first: a build ordering by the number alone writes them first too.
    expect(await bytesOf([...lines].reverse())).toEqual(reference);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length }), async (shuffled) => {
        expect(await bytesOf(shuffled)).toEqual(reference);
      }),
      { numRuns: 4 },
    );
  });
});
