/**
 * The published header(s) of this register's files, column for column as the publisher writes them.
 * The adapter reads by name; the world generator (world.ts) writes these exactly.
 */

/** The CRO's `companies.csv`: 21 columns, comma-separated (a real header quoted in a public project's test, fixtures/PROVENANCE.md). */
export const IE_CRO_HEADER = [
  "company_num",
  "company_name",
  "company_status_code",
  "company_status",
  "company_type_code",
  "company_type",
  "company_reg_date",
  "last_ar_date",
  "company_address_1",
  "company_address_2",
  "company_address_3",
  "company_address_4",
  "comp_dissolved_date",
  "nard",
  "last_accounts_date",
  "company_status_date",
  "nace_v2_code",
  "eircode",
  "company_name_eff_date",
  "company_type_eff_date",
  "princ_object_code",
] as const;
