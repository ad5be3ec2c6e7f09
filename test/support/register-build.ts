/** Building one register's companies partition from files on disk, as the pipeline's step does. */
import { copyFile, mkdir, readFile, readdir } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { buildCompanies, type BuildOptions, type RegisterBuild } from '../../src/registers/build.js';
import { openBuildDuckDb } from '../../src/lake/duckdb.js';
import type { LocalFile, RegisterAdapter } from '../../src/registers/register.js';
import { queryRows } from './duckdb.js';
import { fillSqlTemplate, sourceById } from '../../src/sources/catalog.js';
import { sqlString } from '../../src/lake/sql.js';

/**
 * Builds `adapter`'s partition in `dir` from `files` (source file name → path): each file is copied
 * into `dir` first, as the pipeline stages it.
 */
export async function buildRegister(adapter: RegisterAdapter, files: Record<string, string>, dir: string, options: BuildOptions = {}): Promise<RegisterBuild> {
  await mkdir(join(dir, 'staged'), { recursive: true });
  const staged = new Map<string, LocalFile>();
  for (const [name, path] of Object.entries(files)) {
    const local = join(dir, 'staged', name.replaceAll('/', '__'));
    await copyFile(path, local);
    staged.set(name, { name, path: local });
  }
  const duck = await openBuildDuckDb(join(dir, 'build'));
  try {
    return await buildCompanies(adapter, staged, join(dir, 'build'), duck, options);
  } finally {
    duck.closeSync();
  }
}

/**
 * Every row of every Parquet file a build left in its folder (`dir` of buildRegister) — the output,
 * its stages and anything else it wrote — as one text, to look for what must not be there.
 */
export async function everythingWritten(reader: DuckDBConnection, dir: string): Promise<string> {
  const build = join(dir, 'build');
  const files = (await readdir(build, { recursive: true })).filter((f) => f.endsWith('.parquet')).sort();
  if (files.length === 0) throw new Error(`${build}: no Parquet files: nothing to look into`);
  const texts: string[] = [];
  for (const file of files) texts.push(`${file}: ${JSON.stringify(await queryRows(reader, `SELECT * FROM read_parquet(${sqlString(join(build, file))})`))}`);
  return texts.join('\n');
}

/** Every row a build wrote, ordered by register number. */
export function rowsOf(reader: DuckDBConnection, parts: readonly { path: string }[]): Promise<Record<string, unknown>[]> {
  if (parts.length === 0) return Promise.resolve([]);
  return queryRows(reader, `SELECT * FROM read_parquet([${parts.map((p) => `'${p.path}'`).join(', ')}]) ORDER BY register_id`);
}

/** A register number as the register's canonicalId (source.json) writes it: its own form, or null. */
export async function canonicalId(reader: DuckDBConnection, register: string, value: string): Promise<unknown> {
  const [row] = await queryRows(reader, `SELECT ${fillSqlTemplate(sourceById(register).register!.canonicalId!, sqlString(value))} AS id`);
  return row!['id'];
}

/** The malformed records the world's truth lists for one source: file, line, record, reason. */
export function malformedTruth(csv: string, source: string): { file: string; line: number; record: string; reason: string }[] {
  return csv
    .split('\n')
    .filter((l) => l.startsWith(`${source},`))
    .map((l) => {
      const [, file, line, record, reason] = l.split(',');
      return { file: file as string, line: Number(line), record: record as string, reason: reason as string };
    });
}

/** The natural persons of the small world's truth (register, register_id, name), of one register or all. */
export async function naturalPersonsTruth(register?: string): Promise<{ register: string; id: string; name: string }[]> {
  const text = gunzipSync(await readFile(new URL('../../data-samples/truth/natural-persons.csv.gz', import.meta.url))).toString('utf8');
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => {
      const [r, id, name] = l.split(',');
      return { register: r as string, id: id as string, name: name as string };
    })
    .filter((p) => register === undefined || p.register === register);
}
