/** What every register writer gets, and the helpers they share. */
import type { RegisterPlan } from '../companies.js';
import type { WrittenFile } from '../output.js';
import { rngFor } from '../random.js';
import type { Truth } from '../truth.js';

/** The context of one register writer. */
export interface RegisterContext {
  plan: RegisterPlan;
  outDir: string;
  truth: Truth;
  snapshot: string;
  /** Share of rows replaced by a malformed one. */
  malformedRate: number;
}

/** A register writer: writes its files, returns them. */
export type RegisterWriter = (ctx: RegisterContext) => Promise<WrittenFile[]>;

/** A row from values keyed by column name, in header order; absent columns are empty. */
export function rowOf(header: readonly string[], values: Record<string, string | undefined>, quote: (v: string, column: string) => string, separator = ','): string {
  let line = '';
  for (let i = 0; i < header.length; i++) {
    const column = header[i] as string;
    if (i > 0) line += separator;
    line += quote(values[column.trim()] ?? '', column);
  }
  return `${line}\n`;
}

/** Whether row `index` of a file is replaced by a malformed one (at least two per file, for small worlds). */
export function isMalformedRow(ctx: RegisterContext, file: string, index: number, rows: number): boolean {
  const rate = Math.max(ctx.malformedRate, 2 / Math.max(rows, 1));
  return index > 0 && rngFor(ctx.plan.seed, `malformed:${file}`, index).chance(rate);
}

/** dd/mm/yyyy from an ISO date (Companies House). */
export function slashDate(iso: string | undefined): string {
  return iso === undefined || iso === '' ? '' : `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** dd-mm-yyyy from an ISO date (KBO). */
export function dashDate(iso: string | undefined): string {
  return iso === undefined || iso === '' ? '' : `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;
}

/** dd.mm.yyyy from an ISO date (Estonia). */
export function dotDate(iso: string | undefined): string {
  return iso === undefined || iso === '' ? '' : `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}
