/**
 * The names of the pipelines `ipreg run` knows, in the order its help lists them — apart from the
 * pipelines themselves so that the CLI can describe them without loading DuckDB, Parquet and the
 * parsers (a resolver runs the same CLI and should not carry them).
 */
export const PIPELINE_NAMES = ['ip-allocations', 'registers', 'links', 'index', 'nightly'] as const;
