/**
 * Belgium, KBO/BCE open data: one CSV per table (enterprise, establishment, branch, denomination,
 * address, contact, activity, code), joined by entity number. A monthly update set sits beside the
 * full set — per table a `_delete` file (the key only) and an `_insert` file — and is applied here as
 * the publisher specifies: every row of a deleted key goes, then the inserted rows come in.
 *
 * Natural-person enterprises (TypeOfEnterprise 1) are dropped with a counted reason; their names,
 * addresses and establishments are never joined. Of contact.csv only WEB values are read (never
 * e-mail, phone or fax). The address is the seat (REGO) not struck off; the industry the MAIN
 * activities in NACE-BEL 2008; the website the enterprise's first WEB contact.
 */
import { csvSource, stagedCsv, type StagedCsv } from '../../registers/csv.js';
import { MALFORMED, type LocalFile, type RegisterAdapter } from '../../registers/register.js';
import { elfSql } from '../../registers/legal-forms.js';
import { domainSql, websiteSql } from '../../registers/web.js';

/** The tables of a KBO set, their key column and the columns this version reads. */
const TABLES = {
  enterprise: { key: 'EnterpriseNumber', columns: ['EnterpriseNumber', 'Status', 'JuridicalSituation', 'TypeOfEnterprise', 'JuridicalForm', 'JuridicalFormCAC', 'StartDate'] },
  establishment: { key: 'EstablishmentNumber', columns: ['EstablishmentNumber', 'StartDate', 'EnterpriseNumber'] },
  branch: { key: 'Id', columns: ['Id', 'StartDate', 'EnterpriseNumber'] },
  denomination: { key: 'EntityNumber', columns: ['EntityNumber', 'Language', 'TypeOfDenomination', 'Denomination'] },
  address: {
    key: 'EntityNumber',
    columns: ['EntityNumber', 'TypeOfAddress', 'CountryNL', 'CountryFR', 'Zipcode', 'MunicipalityNL', 'MunicipalityFR', 'StreetNL', 'StreetFR', 'HouseNumber', 'Box', 'ExtraAddressInfo', 'DateStrikingOff'],
  },
  contact: { key: 'EntityNumber', columns: ['EntityNumber', 'EntityContact', 'ContactType', 'Value'] },
  activity: { key: 'EntityNumber', columns: ['EntityNumber', 'ActivityGroup', 'NaceVersion', 'NaceCode', 'Classification'] },
} as const;
type Table = keyof typeof TABLES;

const CODE_COLUMNS = ['Category', 'Code', 'Language', 'Description'];

/** The landed name of a table's file in the full set and in the update set. */
export const kboFile = (table: Table | 'code') => `full/${table}.csv`;
export const kboUpdateFile = (table: Table, change: 'delete' | 'insert') => `update/${table}_${change}.csv`;

/** A table as the update set leaves it: full rows whose key was not deleted, then the inserted rows. */
async function tableSql(adapter: RegisterAdapter, files: ReadonlyMap<string, LocalFile>, table: Table, added: Record<string, string[]>): Promise<string> {
  const { key, columns } = TABLES[table];
  const read = async (name: string, required: readonly string[]): Promise<StagedCsv> => {
    const staged = await stagedCsv(adapter, files, name, required, required);
    added[name] = staged.h.added;
    return staged;
  };
  const source = (s: StagedCsv) => `(SELECT ${columns.map((c) => `${s.h.text(c)} AS ${c}`).join(', ')} FROM ${csvSource(s.file.path, s.header, adapter.dialect)})`;
  const full = source(await read(kboFile(table), columns));
  if (!files.has(kboUpdateFile(table, 'delete')) && !files.has(kboUpdateFile(table, 'insert'))) return full;
  const deleted = await read(kboUpdateFile(table, 'delete'), [key]);
  const inserted = source(await read(kboUpdateFile(table, 'insert'), columns));
  return `(SELECT * FROM ${full} f WHERE NOT EXISTS (SELECT 1 FROM (SELECT ${deleted.h.text(key)} AS k FROM ${csvSource(deleted.file.path, deleted.header, adapter.dialect)}) d WHERE d.k = f.${key})
      UNION ALL SELECT * FROM ${inserted})`;
}

/** Enterprise numbers: 10 digits written nnnn.nnn.nnn, the last two 97 minus the first eight mod 97. */
function enterpriseNumberValid(column: string): string {
  const digits = `replace(${column}, '.', '')`;
  return `(regexp_full_match(${column}, '[0-9]{4}\\.[0-9]{3}\\.[0-9]{3}') AND 97 - CAST(substr(${digits}, 1, 8) AS BIGINT) % 97 = CAST(substr(${digits}, 9, 2) AS INTEGER))`;
}

/** Why an enterprise (row `e`, with the `den` stage written) is left out, or null to keep it. */
function enterpriseDrop(): string {
  return `CASE
        WHEN NOT coalesce(${enterpriseNumberValid('e.EnterpriseNumber')}, false) THEN '${MALFORMED}EnterpriseNumber: not nnnn.nnn.nnn with a valid mod-97 check'
        WHEN e.TypeOfEnterprise = '1' THEN 'natural person (TypeOfEnterprise 1)'
        WHEN NOT EXISTS (SELECT 1 FROM $stage:den den WHERE den.EntityNumber = e.EnterpriseNumber AND den.TypeOfDenomination = '001' AND den.Denomination IS NOT NULL) THEN 'no name'
      END`;
}

/** Denomination languages in the order one is chosen as the registered name: Dutch, French, German, English, unknown. */
const LANGUAGE_ORDER = `CASE Language WHEN '2' THEN 1 WHEN '1' THEN 2 WHEN '3' THEN 3 WHEN '4' THEN 4 ELSE 5 END`;

export const adapter: RegisterAdapter = {
  id: 'be-kbo',
  dialect: { delimiter: ',' },
  async query(files) {
    const added: Record<string, string[]> = {};
    const t = {} as Record<Table, string>;
    for (const table of Object.keys(TABLES) as Table[]) t[table] = await tableSql(this, files, table, added);
    const codes = await stagedCsv(this, files, kboFile('code'), CODE_COLUMNS, CODE_COLUMNS);
    added[kboFile('code')] = codes.h.added;
    const code = `(SELECT ${CODE_COLUMNS.map((c) => `${codes.h.text(c)} AS ${c}`).join(', ')} FROM ${csvSource(codes.file.path, codes.header, this.dialect)})`;

    // Each table once, as the update set leaves it, and each per-enterprise aggregate, staged to Parquet
    // in turn: one query joining them all holds too much at once (full scale: out of memory at 1 GB).
    const stages = [
      { name: 'den', sql: `SELECT * FROM ${t.denomination}` },
      { name: 'est', sql: `SELECT * FROM ${t.establishment}` },
      { name: 'ent', sql: `SELECT *, ${enterpriseDrop()} AS _drop FROM ${t.enterprise} e` },
      // Names of kept enterprises and the trading names of their establishments, ranked.
      {
        name: 'name_sets',
        sql: `WITH kept AS (SELECT EnterpriseNumber FROM $stage:ent WHERE _drop IS NULL),
          names AS (
            SELECT EntityNumber AS owner, Denomination AS n, TypeOfDenomination AS type, Language,
              row_number() OVER (PARTITION BY EntityNumber, TypeOfDenomination ORDER BY ${LANGUAGE_ORDER}, Denomination) AS rank
            FROM $stage:den WHERE Denomination IS NOT NULL AND EntityNumber IN (SELECT EnterpriseNumber FROM kept)
            UNION ALL
            SELECT s.EnterpriseNumber, d.Denomination, '003', d.Language, 100 + row_number() OVER (PARTITION BY s.EnterpriseNumber ORDER BY d.Denomination)
            FROM $stage:den d JOIN $stage:est s ON s.EstablishmentNumber = d.EntityNumber
            WHERE d.Denomination IS NOT NULL AND d.TypeOfDenomination = '003' AND s.EnterpriseNumber IN (SELECT EnterpriseNumber FROM kept))
          SELECT owner,
            max(n) FILTER (type = '001' AND rank = 1) AS name,
            max(Language) FILTER (type = '001' AND rank = 1) AS language,
            list(struct_pack(n := n, t := CASE type WHEN '001' THEN 'other language' WHEN '002' THEN 'abbreviation' WHEN '004' THEN 'branch' ELSE 'trading' END) ORDER BY type, rank)
              FILTER (NOT (type = '001' AND rank = 1)) AS others
          FROM names GROUP BY owner`,
      },
      {
        name: 'seats',
        sql: `SELECT * EXCLUDE (rank) FROM (
            SELECT EntityNumber AS owner, StreetNL, StreetFR, HouseNumber, Box, Zipcode, MunicipalityNL, MunicipalityFR, coalesce(CountryNL, CountryFR) AS country,
              row_number() OVER (PARTITION BY EntityNumber ORDER BY Zipcode, StreetNL) AS rank
            FROM ${t.address} WHERE TypeOfAddress = 'REGO' AND DateStrikingOff IS NULL) WHERE rank = 1`,
      },
      {
        name: 'activities',
        sql: `SELECT EntityNumber AS owner, list(DISTINCT NaceCode ORDER BY NaceCode) AS codes
          FROM ${t.activity} WHERE Classification = 'MAIN' AND NaceVersion = '2008' AND NaceCode IS NOT NULL GROUP BY EntityNumber`,
      },
      { name: 'webs', sql: `SELECT EntityNumber AS owner, min(Value) AS web FROM ${t.contact} WHERE ContactType = 'WEB' AND EntityContact = 'ENT' GROUP BY EntityNumber` },
    ];
    // Address rows whose entity is in no table: counted as malformed.
    const drops = `SELECT _drop, CASE WHEN starts_with(_drop, '${MALFORMED}') AND coalesce(TypeOfEnterprise, '') <> '1' THEN EnterpriseNumber END AS _bad, '${kboFile('enterprise')}' AS _file FROM $stage:ent
      UNION ALL
      SELECT '${MALFORMED}EntityNumber: unknown entity number', EntityNumber, '${kboFile('address')}' FROM ${t.address} a
      WHERE NOT EXISTS (SELECT 1 FROM $stage:ent ent WHERE ent.EnterpriseNumber = a.EntityNumber)
        AND NOT EXISTS (SELECT 1 FROM $stage:est est WHERE est.EstablishmentNumber = a.EntityNumber)
        AND NOT EXISTS (SELECT 1 FROM ${t.branch} bra WHERE bra.Id = a.EntityNumber)`;
    // A code's description in the language of the enterprise's name (French for French names, Dutch
    // otherwise), else in any: joined from one row per code, not looked up per enterprise (a
    // correlated subquery per row took 75 s on the full world).
    const label = (alias: string) => `coalesce(CASE WHEN nm.language = '1' THEN ${alias}.fr ELSE ${alias}.nl END, ${alias}.any_text)`;
    const frenchFirst = (nl: string, fr: string) => `CASE WHEN nm.language = '1' THEN coalesce(a.${fr}, a.${nl}) ELSE coalesce(a.${nl}, a.${fr}) END`;
    const others = `coalesce(list_filter(nm.others, lambda o: o.n <> nm.name), [])`;
    const sql = `WITH labels AS MATERIALIZED (
        SELECT Category, Code, max(Description) FILTER (Language = 'FR') AS fr, max(Description) FILTER (Language = 'NL') AS nl, max(Description) AS any_text
        FROM ${code} GROUP BY Category, Code),
      kept AS (SELECT * FROM $stage:ent WHERE _drop IS NULL)
      SELECT
        e.EnterpriseNumber AS register_id,
        'BE' AS country,
        nm.name AS name,
        list_transform(${others}, lambda o: o.n) AS other_names,
        list_transform(${others}, lambda o: o.t) AS other_name_types,
        e.JuridicalForm AS legal_form,
        ${label('jf')} AS legal_form_text,
        ${elfSql('be-kbo', { text: label('jf') })} AS legal_form_elf,
        CASE WHEN e.Status = 'AC' AND e.JuridicalSituation = '000' THEN 'active' WHEN e.Status = 'AC' THEN 'inactive' ELSE 'dissolved' END AS status,
        coalesce(${label('js')}, e.JuridicalSituation) AS status_published,
        try_strptime(e.StartDate, '%d-%m-%Y')::DATE AS incorporated,
        NULL::DATE AS dissolved,
        nullif(concat_ws(' ', ${frenchFirst('StreetNL', 'StreetFR')}, a.HouseNumber, a.Box), '') AS street,
        a.Zipcode AS postcode,
        ${frenchFirst('MunicipalityNL', 'MunicipalityFR')} AS city,
        NULL::VARCHAR AS region,
        a.country AS address_country,
        'NACEBEL2008' AS industry_scheme,
        coalesce(ac.codes, []) AS industry_codes,
        -- NACE-BEL 2008 is NACE Rev. 2 with a fifth, national digit: nnnnn → nn.nn.
        list_transform(list_filter(coalesce(ac.codes, []), lambda c: regexp_full_match(c, '[0-9]{5}')), lambda c: substr(c, 1, 2) || '.' || substr(c, 3, 2)) AS nace_codes,
        ${websiteSql('w.web')} AS website,
        ${domainSql('w.web')} AS domain,
        NULL::VARCHAR AS lei,
        e._drop,
        NULL::VARCHAR AS _bad
      FROM kept e
      LEFT JOIN $stage:name_sets nm ON nm.owner = e.EnterpriseNumber
      LEFT JOIN $stage:seats a ON a.owner = e.EnterpriseNumber
      LEFT JOIN $stage:activities ac ON ac.owner = e.EnterpriseNumber
      LEFT JOIN $stage:webs w ON w.owner = e.EnterpriseNumber
      LEFT JOIN labels jf ON jf.Category = 'JuridicalForm' AND jf.Code = e.JuridicalForm
      LEFT JOIN labels js ON js.Category = 'JuridicalSituation' AND js.Code = e.JuridicalSituation`;
    return { sql, drops, stages, records: kboFile('enterprise'), added };
  },
};
