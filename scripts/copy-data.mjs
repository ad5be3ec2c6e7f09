// The data files the built code reads beside itself: every source's source.json and value tables
// (src/sources/<id>/*.json) into dist/src/sources/<id>/, and the class lists (src/links/data/*.csv)
// into dist/src/links/data/. tsc copies only the JSON a module imports; the catalog and the class
// evidence find these at run time. Fixtures (tests only) are not copied.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

let copied = 0;
/** Copies the files of `from` whose names end in `suffix` to `to`. */
function copyFiles(from, to, suffix) {
  let n = 0;
  for (const file of readdirSync(from, { withFileTypes: true })) {
    if (!file.isFile() || !file.name.endsWith(suffix)) continue;
    mkdirSync(to, { recursive: true });
    copyFileSync(join(from, file.name), join(to, file.name));
    n++;
  }
  return n;
}

for (const folder of readdirSync('src/sources', { withFileTypes: true })) {
  if (folder.isDirectory()) copied += copyFiles(join('src/sources', folder.name), join('dist/src/sources', folder.name), '.json');
}
if (copied === 0) throw new Error('no source data found in src/sources');
if (copyFiles('src/links/data', 'dist/src/links/data', '.csv') === 0) throw new Error('no class lists found in src/links/data');
