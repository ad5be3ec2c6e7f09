/**
 * The Athena DDL of every table, with partition projection: `npm run schemas` writes it to
 * schemas/<table>.athena.sql (for a placeholder lake location), and a test fails if a committed file
 * and the table definitions disagree. `ipreg athena ddl` prints the same for a real location.
 */
import { athenaDdl, type TableSchema } from '../src/lake/table-schema.js';
import { SOURCES } from '../src/sources/catalog.js';
import { COMPANY_TABLES } from './company-tables.js';
import { IP_ALLOCATION_TABLES } from './ip-allocation-tables.js';
import { INDEX_TABLES } from './index-tables.js';
import { LINK_TABLES } from './link-tables.js';
import { jsonTableDdl, RUNS } from './run-tables.js';
import { VIEWS, viewDdl } from './views.js';

/** Every table of the lake. */
export const TABLES: readonly TableSchema[] = [...IP_ALLOCATION_TABLES, ...COMPANY_TABLES, ...LINK_TABLES, ...INDEX_TABLES];

/** Where committed DDL points: replace with the lake's real location. */
export const PLACEHOLDER_LAKE = 's3://your-lake-bucket/lake';

/** The DDL of one table for a lake location. */
export function tableDdl(table: TableSchema, lake: string): string {
  const partition = table.partitions[0]?.name ?? 'source';
  const sources = SOURCES.filter((s) => (table.name === 'companies' ? s.kind === 'register' : table.name === 'ip_delegations' ? s.format === 'delegated' : s.format === 'rpsl')).map((s) => s.id);
  // A table partitioned by source (or register) first projects its sources; company_links has the snapshot only.
  const byName = partition === 'snapshot' ? {} : { [`${partition}.type`]: 'enum', [`${partition}.values`]: sources.join(',') };
  return athenaDdl(table, `${lake.replace(/\/$/, '')}/tables/${table.name}`, {
    ...byName,
    'snapshot.type': 'date',
    'snapshot.format': 'yyyy-MM-dd',
    'snapshot.range': '2020-01-01,NOW',
    'snapshot.interval': '1',
    'snapshot.interval.unit': 'DAYS',
  });
}

/**
 * Every statement that makes the lake's Athena tables, in order: the Parquet tables, the run records,
 * then the views over them (a view needs its tables). One statement each: Athena runs one per query.
 */
export function lakeDdl(lake: string): { name: string; sql: string }[] {
  return [...TABLES.map((t) => ({ name: t.name, sql: tableDdl(t, lake) })), { name: RUNS.name, sql: jsonTableDdl(RUNS, lake) }, ...VIEWS.map((v) => ({ name: v.name, sql: viewDdl(v) }))];
}
