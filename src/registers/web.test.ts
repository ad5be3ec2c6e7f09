import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, queryRows } from '../../test/support/duckdb.js';
import { sqlString } from '../lake/sql.js';
import { domainSql } from './web.js';

let duck: DuckDBConnection;
beforeAll(async () => {
  duck = await openDuckDb();
});
afterAll(() => duck.closeSync());

async function domainOf(value: string | null): Promise<unknown> {
  const [row] = await queryRows(duck, `SELECT ${domainSql(value === null ? 'NULL::VARCHAR' : sqlString(value))} AS d`);
  return row!['d'];
}

describe('domainSql', () => {
  it.each([
    ['www.sandnes-elektriske.no', 'sandnes-elektriske.no'],
    ['http://www.Example.be/', 'example.be'],
    ['https://shop.example.co.uk:8443/a?b=c', 'shop.example.co.uk'],
    ['  WWW2.firma.ee  ', 'firma.ee'],
    ['example.ee/pood', 'example.ee'],
    ['bjørnøya.no', 'bjørnøya.no'],
    ['example.no.', 'example.no'],
  ])('%s → %s', async (value, domain) => {
    expect(await domainOf(value)).toBe(domain);
  });

  it.each([null, '', 'n/a', 'post@example.no', 'www', 'two words.no'])('%s → no domain', async (value) => {
    expect(await domainOf(value)).toBeNull();
  });
});
