/**
 * The published header(s) of this register's files, column for column as the publisher writes them.
 * The adapter reads by name; the world generator (world.ts) writes these exactly.
 */

/** Estonian e-Business Register basic data: 17 columns, ";"-separated, after a byte-order mark. */
export const EE_LIHTANDMED_HEADER = [
  "nimi",
  "ariregistri_kood",
  "ettevotja_oiguslik_vorm",
  "ettevotja_oigusliku_vormi_alaliik",
  "kmkr_nr",
  "ettevotja_staatus",
  "ettevotja_staatus_tekstina",
  "ettevotja_esmakande_kpv",
  "ettevotja_aadress",
  "asukoht_ettevotja_aadressis",
  "asukoha_ehak_kood",
  "asukoha_ehak_tekstina",
  "indeks_ettevotja_aadressis",
  "ads_adr_id",
  "ads_ads_oid",
  "ads_normaliseeritud_taisaadress",
  "teabesysteemi_link",
] as const;
