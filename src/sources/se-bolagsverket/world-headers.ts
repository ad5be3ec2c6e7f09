/**
 * The published header(s) of this register's files, column for column as the publishers write them.
 * The adapter reads by name; the world generator (world.ts) writes these exactly.
 */

/** Bolagsverket's `bolagsverket_bulkfil.txt`: 11 columns, ";"-separated (fixtures/PROVENANCE.md). */
export const SE_BOLAGSVERKET_HEADER = [
  "organisationsidentitet",
  "namnskyddslopnummer",
  "registreringsland",
  "organisationsnamn",
  "organisationsform",
  "avregistreringsdatum",
  "avregistreringsorsak",
  "pagandeAvvecklingsEllerOmstruktureringsforfarande",
  "registreringsdatum",
  "verksamhetsbeskrivning",
  "postadress",
] as const;

/** SCB's `scb_bulkfil_JE_<timestamp>.txt`: 34 columns, tab-separated, Latin-1 (fixtures/PROVENANCE.md). */
export const SE_SCB_HEADER = [
  "ForAndrTyp",
  "COAdress",
  "Foretagsnamn",
  "FtgStat",
  "Gatuadress",
  "JEStat",
  "JurForm",
  "Namn",
  "Ng1",
  "Ng2",
  "Ng3",
  "Ng4",
  "Ng5",
  "PeOrgNr",
  "PostNr",
  "PostOrt",
  "RegDatKtid",
  "Reklamsparrtyp",
  "mCOAdress",
  "mForetagsnamn",
  "mFtgStat",
  "mGatuadress",
  "mJEStat",
  "mJurForm",
  "mNamn",
  "mNg1",
  "mNg2",
  "mNg3",
  "mNg4",
  "mNg5",
  "mPostNr",
  "mPostOrt",
  "mRegDatKtid",
  "mReklamsparrtyp",
] as const;
