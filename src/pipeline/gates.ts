/**
 * Quality gates the steps declare: records read against the range a source should have, and null
 * shares of key columns. (Rows against the partition published for an earlier snapshot are the
 * runner's: StepResult.partitions.) A gate that fails stops the run before its publish step, naming the
 * gate, the value and the limit, unless the run was started with `--force`.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SourceLocation } from '../fetch/source-location.js';
import { declaredRecords, worldDeclaration } from '../fetch/world-declaration.js';
import { sqlString } from '../lake/sql.js';
import type { SourceMeta } from '../sources/catalog.js';
import type { GateCheck } from './runner.js';

/**
 * A source's records within the range its files should hold: far outside points at a file cut short
 * or a changed format. From the publishers or a mirror, the range the real publisher's files usually
 * hold (the catalogue's expectedRecords); from a generated world, the counts its world.json declares;
 * from a folder without world.json (real files), the real range again. It holds on every run, the
 * first one too, when no earlier partition exists to compare with; only `--force` passes over it.
 */
export async function expectedRangeGate(source: SourceMeta, records: number, location: SourceLocation, snapshot: string): Promise<GateCheck[]> {
  let range: { min: number; max: number; basis: string } = { ...source.expectedRecords, basis: 'its usual range' };
  if (location.kind === 'folder') {
    const declaration = await worldDeclaration(location.path);
    if (declaration !== undefined) {
      const declared = declaredRecords(declaration, source, snapshot);
      if (declared === undefined) return [];
      range = declared;
    }
  }
  const { min, max, basis } = range;
  return [{ gate: `${source.id}: records read`, value: records, limit: `${min.toLocaleString('en')} to ${max.toLocaleString('en')} (${basis})`, passed: records >= min && records <= max }];
}

/** A column's null (or empty) share may not pass `max`. */
export interface NullLimit {
  column: string;
  max: number;
}

function ident(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** The null shares of key columns in Parquet files, each against its limit. */
export async function nullShareGates(duck: DuckDBConnection, label: string, files: readonly string[], limits: readonly NullLimit[]): Promise<GateCheck[]> {
  if (files.length === 0 || limits.length === 0) return [];
  const shares = limits.map((l) => `coalesce(avg(CASE WHEN ${ident(l.column)} IS NULL OR CAST(${ident(l.column)} AS VARCHAR) = '' THEN 1.0 ELSE 0.0 END), 0)`).join(', ');
  const row = (await duck.runAndReadAll(`SELECT ${shares} FROM read_parquet([${files.map(sqlString).join(', ')}])`)).getRows()[0] ?? [];
  return limits.map((l, i) => {
    const value = Number(row[i] ?? 0);
    return { gate: `${label}: share of rows without ${l.column}`, value: Math.round(value * 1e6) / 1e6, limit: `≤ ${l.max}`, passed: value <= l.max };
  });
}
