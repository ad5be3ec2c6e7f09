/**
 * What a register's world writer (src/sources/<id>/world.ts) gets from the generator, and the helpers
 * the writers share.
 */
import { join } from 'node:path';
import { companyAt, type Company, type RegisterPlan } from './companies.js';
import type { RegisterId } from './legal-forms.js';
import type { GleifPlan } from './parties.js';
import { OutputFile, type WrittenFile } from '../output-file.js';
import { hashString, mixSeed, rngFor, type Rng } from './random.js';
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

/** A register published as one CSV file, one row per company: how its rows are made. */
export interface SingleFileRegister {
  register: RegisterId;
  file: string;
  header: readonly string[];
  quote: (v: string) => string;
  separator: string;
  bom?: boolean;
  /** Its line end (default "\n"; the Czech file's is CRLF). */
  lineEnd?: string;
  /** The name of the random stream its rows draw from. */
  stream: string;
  /** A company's row, by column name (`snapshot`: the world's day, for a file's extract-date column). */
  values(c: Company, rng: Rng, snapshot: string): Record<string, string>;
  /** A row made malformed: cut short of its last fields (the CSV reader rejects it). */
  cut(row: string): string;
}

/** The writer of a one-file register: the header, then each company's row, natural persons and malformed rows recorded in the truth. */
export function singleFileWriter(spec: SingleFileRegister): RegisterWriter {
  const rows = new RowFormat(spec.header, spec.quote, spec.separator);
  return async (ctx) => {
    const out = await OutputFile.open(join(ctx.outDir, spec.register, spec.file), { encoding: 'utf8', ...(spec.bom === true ? { bom: true } : {}) });
    const end = spec.lineEnd ?? '\n';
    await out.write(`${spec.header.join(spec.separator)}${end}`);
    for (let i = 0; i < ctx.plan.size; i++) {
      const c = companyAt(ctx.plan, i);
      if (c.person !== undefined) await ctx.truth.naturalPerson(spec.register, c.id, c.name);
      const line = rows.format(spec.values(c, rngFor(ctx.plan.seed, spec.stream, i), ctx.snapshot));
      const row = end === '\n' ? line : `${line.slice(0, -1)}${end}`;
      if (isMalformedRow(ctx, spec.file, i, ctx.plan.size)) {
        await ctx.truth.malformed(spec.register, spec.file, out.lines + 1, c.id, 'column count');
        await out.write(spec.cut(row));
        continue;
      }
      await out.write(row);
    }
    return [await out.close()];
  };
}

/** Whether row `index` of a file is replaced by a malformed one (at least two per file, for small worlds). */
export function isMalformedRow(ctx: RegisterContext, file: string, index: number, rows: number): boolean {
  const rate = Math.max(ctx.malformedRate, 2 / Math.max(rows, 1));
  // Never the first row, nor the last: a file whose last record does not parse was cut short, which is another fault.
  return index > 0 && index < rows - 1 && mixSeed(ctx.plan.seed, hashOf(file), index) / 0x100000000 < rate;
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
