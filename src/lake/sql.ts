/**
 * SQL text: the one place a value becomes a SQL literal. Every query the project sends to DuckDB or
 * Athena quotes its strings here.
 */

/** A SQL string literal: `text` in single quotes, each quote doubled. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
