/**
 * The published header(s) of this register's files, column for column as the publisher writes them.
 * The adapter reads by name; the world generator (world.ts) writes these exactly.
 */

/** ČSÚ `res_data.csv`: 25 columns, comma-separated, CRLF (the order as documented, fixtures/PROVENANCE.md). */
export const CZ_RES_HEADER = [
  "ICO",
  "OKRESLAU",
  "DDATVZN",
  "DDATZAN",
  "ZPZAN",
  "DDATPAKT",
  "FORMA",
  "ROSFORMA",
  "KATPO",
  "NACE",
  "NACE2025",
  "ICZUJ",
  "FIRMA",
  "CISS2010",
  "KODADM",
  "TEXTADR",
  "PSC",
  "OBEC_TEXT",
  "COBCE_TEXT",
  "ULICE_TEXT",
  "TYPCDOM",
  "CDOM",
  "COR",
  "DATPLAT",
  "PRIZNAK",
] as const;
