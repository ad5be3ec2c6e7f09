/** `npm run index-cases`: writes test/index-cases/good.idx and corrupt/*.idx from source.json. */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { corruptCases, goodFile } from '../test/index-cases/cases.js';

const folder = new URL('../test/index-cases/', import.meta.url);
const good = goodFile();
await writeFile(new URL('good.idx', folder), good);
await rm(new URL('corrupt/', folder), { recursive: true, force: true });
await mkdir(new URL('corrupt/', folder));
const cases = corruptCases(good);
for (const c of cases) await writeFile(new URL(`corrupt/${c.name}.idx`, folder), c.bytes);
await writeFile(new URL('corrupt/expected.json', folder), `${JSON.stringify(Object.fromEntries(cases.map((c) => [c.name, c.code])), null, 2)}\n`);
process.stdout.write(`wrote good.idx and ${cases.length} corrupt files in test/index-cases/\n`);
