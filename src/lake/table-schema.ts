/**
 * One definition per lake table — columns with their types and descriptions, and the Hive partition
 * columns — from which the Parquet writer, the Athena DDL and the docs are all made, so they cannot drift.
 */

/** Column types, named as DuckDB names them; athenaType() gives the Athena (Hive) name. */
export type ColumnType = 'VARCHAR' | 'BIGINT' | 'INTEGER' | 'TINYINT' | 'DOUBLE' | 'BLOB' | 'DATE' | 'TIMESTAMP' | 'BOOLEAN' | 'VARCHAR[]';

/** One column. */
export interface Column {
  name: string;
  type: ColumnType;
  description: string;
}

/** One table of the lake. */
export interface TableSchema {
  name: string;
  description: string;
  columns: readonly Column[];
  /** Hive partition columns, in path order (always strings). */
  partitions: readonly Column[];
}

const ATHENA_TYPES: Record<ColumnType, string> = {
  VARCHAR: 'string',
  BIGINT: 'bigint',
  INTEGER: 'int',
  TINYINT: 'tinyint',
  DOUBLE: 'double',
  BLOB: 'binary',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  BOOLEAN: 'boolean',
  'VARCHAR[]': 'array<string>',
};

/** The Athena type of a column type. */
export function athenaType(type: ColumnType): string {
  return ATHENA_TYPES[type];
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The table properties of a table at `location` (Glue's table parameters): partition projection on
 * its partition columns, where each partition is, the compression.
 */
export function athenaTableProperties(table: TableSchema, location: string, projection: Record<string, string>): Record<string, string> {
  return {
    'projection.enabled': 'true',
    ...Object.fromEntries(Object.entries(projection).map(([k, v]) => [`projection.${k}`, v])),
    'storage.location.template': `${location.replace(/\/$/, '')}/${table.partitions.map((p) => `${p.name}=\${${p.name}}`).join('/')}`,
    'parquet.compression': 'ZSTD',
  };
}

/**
 * Athena DDL for a table at `location` (an s3:// URL ending in the table folder), with partition
 * projection on the partition columns so no crawler or MSCK REPAIR is needed.
 */
export function athenaDdl(table: TableSchema, location: string, projection: Record<string, string>): string {
  const columns = table.columns.map((c) => `  \`${c.name}\` ${athenaType(c.type)} COMMENT ${sqlString(c.description)}`).join(',\n');
  const partitions = table.partitions.map((c) => `  \`${c.name}\` string COMMENT ${sqlString(c.description)}`).join(',\n');
  const properties = Object.entries(athenaTableProperties(table, location, projection)).map(([k, v]) => `${sqlString(k)}=${sqlString(v)}`);
  return `CREATE EXTERNAL TABLE IF NOT EXISTS \`${table.name}\` (
${columns}
)
COMMENT ${sqlString(table.description)}
PARTITIONED BY (
${partitions}
)
STORED AS PARQUET
LOCATION ${sqlString(`${location.replace(/\/$/, '')}/`)}
TBLPROPERTIES (
  ${properties.join(',\n  ')}
);
`;
}

/**
 * `query`'s rows with exactly the table's columns, in order, each cast to its type: what DuckDB infers
 * for an expression (a DECIMAL for 0.95, a BIGINT for a count) is not what the table declares.
 */
export function castToSchema(table: TableSchema, query: string): string {
  return `SELECT ${table.columns.map((c) => `CAST("${c.name}" AS ${c.type}) AS "${c.name}"`).join(', ')} FROM (${query})`;
}
