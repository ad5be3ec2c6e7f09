import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRegister } from '../../test/support/register-build.js';
import type { IpregError } from '../errors.js';
import { useTempDir } from '../../test/support/temp-dir.js';
import { EE_FILE, adapter as eeRik } from '../sources/ee-rik/register.js';
import { BRREG_FILE, adapter as brreg } from '../sources/no-brreg/register.js';

const WORLD = new URL('../../data-samples/ee-rik/ettevotja_rekvisiidid__lihtandmed.csv', import.meta.url);
const BRREG_WORLD = new URL('../../data-samples/no-brreg/enheter.csv.gz', import.meta.url);
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

describe('a register file that did not arrive whole', () => {
  /** Builds the Estonian register from `text`; the error it fails with, or undefined. */
  const buildFrom = async (name: string, text: string): Promise<unknown> => {
    const dir = join(tempDir(), name);
    await mkdir(dir, { recursive: true });
    const csv = join(dir, 'input.csv');
    await writeFile(csv, text);
    return buildRegister(eeRik, { [EE_FILE]: csv }, join(dir, 'out')).then(() => undefined, (err: unknown) => err);
  };

  it('fails naming the file, the line and why: cut mid-row, cut to fewer fields, only a header, an unterminated quote at the end', async () => {
    const text = await readFile(WORLD, 'utf8');
    const lines = text.trimEnd().split('\n');
    const half = text.slice(0, Math.floor(text.length / 2));
    const cutRow = half.slice(0, half.lastIndexOf('\n') + 1) + (lines[Math.floor(lines.length / 2)] as string).split(';').slice(0, 3).join(';') + '\n';
    const cases: [string, string, RegExp][] = [
      ['mid-row', half, new RegExp(`${EE_FILE} line ${half.split('\n').length}: the last line has no line end — the file was cut short at byte ${Buffer.byteLength(half)}`)],
      ['fewer-fields', cutRow, new RegExp(`${EE_FILE} line ${cutRow.split('\n').length - 1}: the last record does not parse \\(.+\\) — the file was cut short, or ends inside a quote`)],
      ['header-only', `${lines[0] as string}\n`, new RegExp(`${EE_FILE} has no data rows, only its header`)],
      ['open-quote', `${text}"Katkenud OÜ;1234\n`, /line \d+: the last record does not parse/],
    ];
    for (const [name, input, message] of cases) {
      const err = await buildFrom(name, input);
      expect({ name, code: (err as IpregError | undefined)?.code, message: (err as Error | undefined)?.message }).toMatchObject({ name, code: 'FILE_TRUNCATED', message: expect.stringMatching(message) as unknown });
    }
    // The whole file builds; a malformed line in the middle is a bad record (counted), not a cut file.
    expect(await buildFrom('whole', text)).toBeUndefined();
    expect(await buildFrom('bad-middle-line', [lines[0], lines[1], 'not;a;record', ...lines.slice(2)].join('\n') + '\n')).toBeUndefined();
  });

  it('reads a gzip file to its end: cut short, it fails by zlib\'s own check; only a header, it has no data rows', async () => {
    const whole = await readFile(BRREG_WORLD);
    for (const [name, bytes, message] of [
      ['gz-cut', whole.subarray(0, Math.floor(whole.length / 2)), /the gzip stream breaks off after \d+ bytes/],
      ['gz-header-only', gzipSync(`${gunzipSync(whole).toString('utf8').split('\n')[0] as string}\n`), /has no data rows, only its header/],
    ] as const) {
      const dir = join(tempDir(), name);
      await mkdir(dir, { recursive: true });
      const gz = join(dir, 'enheter.csv.gz');
      await writeFile(gz, bytes);
      const err = await buildRegister(brreg, { [BRREG_FILE]: gz }, join(dir, 'out')).then(() => undefined, (e: unknown) => e);
      expect({ name, code: (err as IpregError | undefined)?.code, message: (err as Error | undefined)?.message }).toMatchObject({ name, code: 'FILE_TRUNCATED', message: expect.stringMatching(message) as unknown });
    }
  });
});
