import fc from 'fast-check';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../test/support/duckdb.js';
import { nameKey } from './name-key.js';
import { withNameKey } from './name-key-sql.js';
import { sqlString } from '../lake/sql.js';

let duck: DuckDBConnection;
beforeAll(async () => {
  duck = await openDuckDb();
});
afterAll(() => {
  duck.closeSync();
});

/** The SQL form's answers for many (name, country) pairs in one query, in order. */
async function sqlKeys(pairs: readonly (readonly [string, string | null])[]): Promise<{ key: string; legalForm: string | null }[]> {
  if (pairs.length === 0) return [];
  const values = pairs.map(([name, country], i) => `(${i}, ${sqlString(name)}, ${country === null ? 'NULL' : sqlString(country)})`).join(', ');
  const rows = await queryRows(duck, `${withNameKey(`SELECT * FROM (VALUES ${values}) AS t(i, name, country)`, 'name', 'country')} ORDER BY i`);
  return rows.map((r) => ({ key: r['name_key'] as string, legalForm: (r['name_legal_form'] as string | null) ?? null }));
}

describe('the name key', () => {
  it('reduces names as linking needs, per country', () => {
    expect(nameKey('ACME LIMITED', 'GB')).toEqual({ key: 'acme', legalForm: 'limited' });
    expect(nameKey('Acme Ltd.', 'GB')).toEqual({ key: 'acme', legalForm: 'limited' });
    expect(nameKey('The Coffee & Tea Company Limited', 'GB')).toEqual({ key: 'coffee tea company', legalForm: 'limited' });
    expect(nameKey("McDonald's Restaurants LLP", 'GB')).toEqual({ key: 'mcdonalds restaurants', legalForm: 'llp' });
    expect(nameKey('Example Limited Liability Partnership', 'GB')).toEqual({ key: 'example', legalForm: 'llp' });
    expect(nameKey('S.A.S. Boulangerie Dupont', 'FR')).toEqual({ key: 'boulangerie dupont', legalForm: 'sas' });
    expect(nameKey('Société Générale', 'FR')).toEqual({ key: 'societe generale', legalForm: null });
    expect(nameKey('Ærø Øst A/S', 'NO')).toEqual({ key: 'aero ost', legalForm: 'as' });
    expect(nameKey('Bakkerij Janssens BVBA', 'BE')).toEqual({ key: 'bakkerij janssens', legalForm: 'bv' });
    expect(nameKey('Õismäe Kaubandus OÜ', 'EE')).toEqual({ key: 'oismae kaubandus', legalForm: 'ou' });
    // The same spelling is another form elsewhere: "Oy" is Estonian OÜ to WHOIS writers there, Finnish Oy otherwise.
    expect(nameKey('Example OY', 'EE').legalForm).toBe('ou');
    expect(nameKey('Example OY', 'FI').legalForm).toBe('oy');
    expect(nameKey('Straße Bau GmbH', null)).toEqual({ key: 'strasse bau', legalForm: 'gmbh' });
    // A name that is nothing but a form or noise keeps what it has.
    expect(nameKey('Limited', 'GB')).toEqual({ key: 'limited', legalForm: null });
    expect(nameKey('The And Ltd', 'GB')).toEqual({ key: 'the and', legalForm: 'limited' });
    expect(nameKey('  ---  ', 'GB')).toEqual({ key: '', legalForm: null });
  });

  it('gives the same answers in SQL as in JavaScript on names of every register and script', async () => {
    const names = [
      'ACME LIMITED', 'Acme Ltd.', 'The Coffee & Tea Company Limited', "McDonald's Restaurants LLP", 'S.A.S. Boulangerie Dupont',
      'Société Générale', 'Ærø Øst A/S', 'Bakkerij Janssens BVBA', 'Õismäe Kaubandus OÜ', 'Example OY', 'Straße Bau GmbH',
      'Limited', 'The And Ltd', '  ---  ', '', 'ΣΟΦΊΑΣ Α.Ε.', 'İstanbul Ticaret A.Ş.', 'ŁÓDŹ Sp. z o.o.', 'Þór ehf', 'ООО «Ромашка»',
      '株式会社トヨタ', 'Kõik Õige MTÜ', 'Nordic Semiconductor ASA', 'Crédit Agricole S.A.', 'Coöperatieve Rabobank U.A.', 'ﬁne ½ co',
    ];
    const pairs = names.flatMap((n) => ['GB', 'FR', 'NO', 'BE', 'EE', 'DE', null].map((c) => [n, c] as const));
    expect(await sqlKeys(pairs)).toEqual(pairs.map(([n, c]) => nameKey(n, c)));
  });

  it('gives the same answers in SQL as in JavaScript on random text (property)', async () => {
    const alphabet = fc.constantFrom(...'aAbcdeéèëÉfghiİıjklmnoöøØpqrsßtuüvwxyzæœÆŒþÞðđłς Σ  ..,,\'’-/&()«»0123456789ÕõŠšŽžÅåÄäαβγ日本ㅎЖж\t'.split(''));
    const word = fc.oneof(fc.constantFrom('ltd', 'Limited', 'LLP', 'A/S', 'as', 'S.A.R.L.', 'sas', 'OÜ', 'oy', 'bvba', 'GmbH', 'the', 'and', 'og', 'sp. z o.o.'), fc.array(alphabet, { minLength: 1, maxLength: 8 }).map((a) => a.join('')));
    const name = fc.array(word, { minLength: 0, maxLength: 5 }).map((w) => w.join(' '));
    const country = fc.constantFrom('GB', 'FR', 'NO', 'BE', 'EE', 'FI', null);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, country), { minLength: 1, maxLength: 40 }), async (pairs) => {
        expect(await sqlKeys(pairs)).toEqual(pairs.map(([n, c]) => nameKey(n, c)));
      }),
      { numRuns: 60 },
    );
  });
});
