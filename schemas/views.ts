/**
 * Views over the lake's tables, the same columns in both engines: Athena (Trino) and DuckDB differ in
 * how they unnest two arrays side by side, so each view has one SELECT per engine.
 */

export interface LakeView {
  name: string;
  description: string;
  columns: readonly { name: string; description: string }[];
  athena: string;
  duckdb: string;
}

const NAME_KEYS = 'register, register_id, snapshot, country';

export const COMPANY_NAMES: LakeView = {
  name: 'company_names',
  description: 'every name of every company, one row each: the registered name and its other names (previous, trading, abbreviations, other languages)',
  columns: [
    { name: 'register', description: 'register id (partition of companies)' },
    { name: 'register_id', description: "the company's number in that register" },
    { name: 'snapshot', description: 'snapshot date (YYYY-MM-DD) of the register files' },
    { name: 'country', description: 'ISO 3166 alpha-2 country of the register' },
    { name: 'name', description: 'the name' },
    { name: 'name_type', description: 'registered, or the kind of other name: previous, trading, abbreviation …' },
  ],
  athena: `SELECT ${NAME_KEYS}, name, 'registered' AS name_type FROM companies
UNION ALL
SELECT c.register, c.register_id, c.snapshot, c.country, u.name, u.name_type
FROM companies c CROSS JOIN UNNEST(c.other_names, c.other_name_types) AS u(name, name_type)`,
  duckdb: `SELECT ${NAME_KEYS}, name, 'registered' AS name_type FROM companies
UNION ALL
SELECT ${NAME_KEYS}, unnest(other_names) AS name, unnest(other_name_types) AS name_type FROM companies`,
};

export const VIEWS: readonly LakeView[] = [COMPANY_NAMES];

/** Athena DDL of a view (Athena views are made by a CREATE VIEW query). */
export function viewDdl(view: LakeView): string {
  return `CREATE OR REPLACE VIEW ${view.name} AS\n${view.athena}\n`;
}
