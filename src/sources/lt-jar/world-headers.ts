/**
 * The published header(s) of this register's files, column for column as the publisher writes them.
 * The adapter reads by name; the world generator (world.ts) writes these exactly.
 */

/** Lithuanian Register of Legal Entities `JAR_IREGISTRUOTI.csv`: 10 columns, "|"-separated (fixtures/PROVENANCE.md). */
export const LT_JAR_HEADER = [
  "ja_kodas",
  "ja_pavadinimas",
  "adresas",
  "ja_reg_data",
  "form_kodas",
  "form_pavadinimas",
  "stat_kodas",
  "stat_pavadinimas",
  "stat_data_nuo",
  "formavimo_data",
] as const;
