import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../test/support/duckdb.js';
import { sqlString } from '../lake/sql.js';
import { REGISTERS } from '../sources/catalog.js';
import { elfSql, legalForms, legalFormSql } from './legal-forms.js';

let duck: DuckDBConnection;
beforeAll(async () => {
  duck = await openDuckDb();
});
afterAll(() => duck.closeSync());

async function value(sql: string): Promise<unknown> {
  const [row] = await queryRows(duck, `SELECT ${sql} AS v`);
  return row!['v'];
}

describe('legal forms and their ELF codes', () => {
  it('holds well-formed tables in each register\'s folder: four-character codes, one entry per name, its source named', () => {
    const withTables = REGISTERS.filter((r) => legalForms(r.id).elf !== undefined || legalForms(r.id).codes !== undefined);
    // Every national register publishes a legal form (GLEIF gives the ELF code itself).
    expect(withTables.map((r) => r.id).sort()).toEqual(REGISTERS.filter((r) => r.register.country !== null).map((r) => r.id).sort());
    for (const { id } of withTables) {
      const table = legalForms(id);
      expect(table.source, id).toMatch(/ELF/);
      const entries = table.elf ?? [];
      const names = entries.flatMap((e) => e.names.map((n) => n.toLowerCase()));
      expect(new Set(names).size, id).toBe(names.length);
      for (const e of entries) expect(e.elf).toMatch(/^[0-9A-Z]{4}$/);
      const forms = table.codes ?? [];
      expect(new Set(forms.map((f) => f.code)).size).toBe(forms.length);
      for (const f of forms) if (f.elf !== undefined) expect(f.elf).toMatch(/^[0-9A-Z]{4}$/);
    }
  });

  it('finds a form by its words in any language of the list, or by an abbreviation only one form has', async () => {
    const no = (text: string | null, code: string | null) => value(elfSql('no-brreg', { text: text === null ? 'NULL' : sqlString(text), code: code === null ? 'NULL' : sqlString(code) }));
    expect(await no(' aksjeselskap ', null)).toBe('YI42');
    expect(await no(null, 'asa')).toBe('IQGE');
    expect(await no('Ansvarlig selskap med delt ansvar', 'DA')).toBe('CF5L');
    // NUF: the list ended it (a branch, not a legal form).
    expect(await no('Norskregistrert utenlandsk foretak', 'NUF')).toBeNull();
    expect(await value(elfSql('be-kbo', { text: sqlString('Société anonyme') }))).toBe('R85P');
    expect(await value(elfSql('ee-rik', { text: sqlString('Osaühing') }))).toBe('JC0Y');
    expect(await value(elfSql('gb-companies-house', { text: sqlString('Private Limited Company') }))).toBe('H0PO');
    expect(await value(elfSql('gb-companies-house', { text: sqlString('PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)') }))).toBe('4GJI');
    expect(await value(elfSql('gb-companies-house', { text: sqlString('Private Unlimited Company') }))).toBeNull();
  });

  it('maps SIRENE catégories juridiques by code, text and ELF', async () => {
    expect(await value(legalFormSql('fr-sirene', sqlString('5710'), 'elf'))).toBe('6CHY');
    expect(await value(legalFormSql('fr-sirene', sqlString('5499'), 'text'))).toBe('Société à responsabilité limitée (sans autre indication)');
    expect(await value(legalFormSql('fr-sirene', sqlString('9999'), 'elf'))).toBeNull();
  });
});
