/**
 * What a register's world writer (src/sources/<id>/world.ts) gets from the generator, and the helpers
 * the writers share.
 */
import type { RegisterPlan } from './companies.js';
import type { RegisterId } from './legal-forms.js';
import type { GleifPlan } from './parties.js';
import type { WrittenFile } from '../output-file.js';
import { hashString, mixSeed } from './random.js';
import type { Truth } from './truth.js';

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

/** Formats rows of one file: values keyed by column name, in header order; absent columns are empty. */
export class RowFormat {
  private readonly names: string[];
  private readonly compiled: (values: Record<string, string | undefined>, quote: (v: string) => string) => string;

  constructor(
    header: readonly string[],
    private readonly quote: (v: string) => string,
    private readonly separator = ',',
  ) {
    this.names = header.map((c) => c.trim());
    // Millions of rows: a straight-line accessor per header lets V8 cache each property lookup.
    const body = this.names.map((n) => `q(v[${JSON.stringify(n)}] ?? '')`).join(` + ${JSON.stringify(separator)} + `);
    this.compiled = new Function('v', 'q', `return ${body} + '\\n';`) as typeof this.compiled;
  }

  /** One line, newline included. */
  format(values: Record<string, string | undefined>): string {
    return this.compiled(values, this.quote);
  }
}

/** Whether row `index` of a file is replaced by a malformed one (at least two per file, for small worlds). */
export function isMalformedRow(ctx: RegisterContext, file: string, index: number, rows: number): boolean {
  const rate = Math.max(ctx.malformedRate, 2 / Math.max(rows, 1));
  return index > 0 && mixSeed(ctx.plan.seed, hashOf(file), index) / 0x100000000 < rate;
}

const FILE_HASHES = new Map<string, number>();

function hashOf(file: string): number {
  let h = FILE_HASHES.get(file);
  if (h === undefined) FILE_HASHES.set(file, (h = hashString(`malformed:${file}`)));
  return h;
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

/** What the generator hands a register's world module. */
export interface WorldContext {
  /** The world's plans: each national register's size, GLEIF's size and crosswalk share. */
  plans: { registers: Record<RegisterId, RegisterPlan>; gleif: GleifPlan };
  outDir: string;
  truth: Truth;
  snapshot: string;
  malformedRate: number;
  /** The GLEIF registration authority (RA id) a national company's LEI record names, by its register and number. */
  gleifAuthority(register: RegisterId, registerId: string): string;
}

/**
 * What a register's folder exports as `world` from its world.ts: the writer of its files in the
 * synthetic world, and (when a register has several) the GLEIF registration authority of a number.
 */
export interface WorldModule {
  write(ctx: WorldContext): Promise<WrittenFile[]>;
  gleifAuthority?(registerId: string): string;
}

/** The world module of a national register: its writer run on its own plan. */
export function nationalWorld(register: RegisterId, write: RegisterWriter, gleifAuthority?: (registerId: string) => string): WorldModule {
  return {
    write: (ctx) => write({ plan: ctx.plans.registers[register], outDir: ctx.outDir, truth: ctx.truth, snapshot: ctx.snapshot, malformedRate: ctx.malformedRate }),
    ...(gleifAuthority === undefined ? {} : { gleifAuthority }),
  };
}
