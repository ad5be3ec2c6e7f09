/**
 * Quality gates the steps declare: counts against the range a source usually has, and null shares of
 * key columns. (Counts against the last good snapshot are the runner's: StepResult.counts.) A gate that
 * fails stops the run before its publish step, naming the gate, the value and the limit.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SourceLocation } from '../fetch/source-location.js';
import { sqlString } from '../lake/sql.js';
import type { SourceMeta } from '../sources/catalog.js';
import type { GateCheck } from './runner.js';

/**
 * A source's records within the range its publisher's files usually hold (the catalogue's
 * expectedRecords): far outside points at a file cut short or a changed format. Not checked on a
 * generated world, small by design.
 */
export function expectedRangeGate(source: SourceMeta, records: number, location: SourceLocation, enabled = true): GateCheck[] {
  if (location.kind === 'folder' || !enabled) return [];
  const { min, max } = source.expectedRecords;
  return [{ gate: `${source.id}: records read`, value: records, limit: `${min.toLocaleString('en')} to ${max.toLocaleString('en')} (its usual range)`, passed: records >= min && records <= max }];
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
