// The data files the built code reads beside itself: every source's source.json and value tables
// (src/sources/<id>/*.json) into dist/src/sources/<id>/. tsc copies only the JSON a module imports;
// the catalog discovers these at run time. Fixtures (tests only) are not copied.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const from = 'src/sources';
const to = 'dist/src/sources';
let copied = 0;
for (const folder of readdirSync(from, { withFileTypes: true })) {
  if (!folder.isDirectory()) continue;
  for (const file of readdirSync(join(from, folder.name), { withFileTypes: true })) {
    if (!file.isFile() || !file.name.endsWith('.json')) continue;
    mkdirSync(join(to, folder.name), { recursive: true });
    copyFileSync(join(from, folder.name, file.name), join(to, folder.name, file.name));
    copied++;
  }
}
if (copied === 0) throw new Error(`no source data found in ${from}`);
