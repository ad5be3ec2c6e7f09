/**
 * The published header(s) of this register's files, column for column as the publisher writes them.
 * The adapter reads by name; the world generator (world.ts) writes these exactly.
 */

/** Latvian Register of Enterprises `register.csv`: 21 columns, ";"-separated (fixtures/PROVENANCE.md). */
export const LV_REGISTER_HEADER = [
  "regcode",
  "sepa",
  "name",
  "name_before_quotes",
  "name_in_quotes",
  "name_after_quotes",
  "without_quotes",
  "regtype",
  "regtype_text",
  "type",
  "type_text",
  "registered",
  "terminated",
  "closed",
  "address",
  "index",
  "addressid",
  "region",
  "city",
  "atvk",
  "reregistration_term",
] as const;
