/**
 * UK Companies House, BasicCompanyData: one CSV, every value quoted, dates dd/mm/yyyy, some header
 * names with a leading blank (trimmed by readCsvHeader). Only companies are registered here, so no
 * natural person is in the file; the care-of and PO box fields (which can name a person) are not read.
 */
import { csvSource, stagedCsv } from '../../registers/csv.js';
import { elfSql } from '../../registers/legal-forms.js';
import type { RegisterAdapter } from '../../registers/register.js';

const FILE = 'BasicCompanyDataAsOneFile.csv';

const REQUIRED = [
  'CompanyName',
  'CompanyNumber',
  'RegAddress.AddressLine1',
  'RegAddress.AddressLine2',
  'RegAddress.PostTown',
  'RegAddress.County',
  'RegAddress.Country',
  'RegAddress.PostCode',
  'CompanyCategory',
  'CompanyStatus',
  'DissolutionDate',
  'IncorporationDate',
  'SICCode.SicText_1',
];

const PREVIOUS_NAMES = Array.from({ length: 10 }, (_, i) => `PreviousName_${i + 1}.CompanyName`);
const SIC = ['SICCode.SicText_1', 'SICCode.SicText_2', 'SICCode.SicText_3', 'SICCode.SicText_4'];

/** Every column of the 2026 file, so that columns added later are recognised as new. */
const KNOWN = [
  ...REQUIRED,
  'RegAddress.CareOf',
  'RegAddress.POBox',
  'CountryOfOrigin',
  'Accounts.AccountRefDay',
  'Accounts.AccountRefMonth',
  'Accounts.NextDueDate',
  'Accounts.LastMadeUpDate',
  'Accounts.AccountCategory',
  'Returns.NextDueDate',
  'Returns.LastMadeUpDate',
  'Mortgages.NumMortCharges',
  'Mortgages.NumMortOutstanding',
  'Mortgages.NumMortPartSatisfied',
  'Mortgages.NumMortSatisfied',
  ...SIC,
  'LimitedPartnerships.NumGenPartners',
  'LimitedPartnerships.NumLimPartners',
  'URI',
  ...PREVIOUS_NAMES,
  ...Array.from({ length: 10 }, (_, i) => `PreviousName_${i + 1}.CONDATE`),
  'ConfStmtNextDueDate',
  'ConfStmtLastMadeUpDate',
];

/** The companies status of a Companies House status text. */
function status(column: string): string {
  return `CASE WHEN ${column} IS NULL THEN NULL WHEN ${column} ILIKE 'active%' THEN 'active' WHEN ${column} ILIKE '%dissolved%' OR ${column} ILIKE '%closed%' THEN 'dissolved' ELSE 'inactive' END`;
}

export const adapter: RegisterAdapter = {
  id: 'gb-companies-house',
  dialect: { delimiter: ',' },
  async query(files) {
    const { file, header, h } = await stagedCsv(this, files, FILE, REQUIRED, KNOWN);
    const text = (column: string) => h.text(column);
    const previous = PREVIOUS_NAMES.filter((c) => h.has(c));
    const sic = SIC.filter((c) => h.has(c));
    const otherNames = previous.length === 0 ? '[]::VARCHAR[]' : `list_filter([${previous.map(text).join(', ')}], lambda x: x IS NOT NULL)`;
    const codes = `list_filter([${sic.map((c) => `nullif(regexp_extract(${h.col(c)}, '^\\s*(\\d{4,5})', 1), '')`).join(', ')}], lambda x: x IS NOT NULL)`;
    const sql = `
      SELECT
        ${text('CompanyNumber')} AS register_id,
        'GB' AS country,
        ${text('CompanyName')} AS name,
        ${otherNames} AS other_names,
        list_transform(${otherNames}, lambda x: 'previous') AS other_name_types,
        ${text('CompanyCategory')} AS legal_form,
        NULL::VARCHAR AS legal_form_text,
        ${elfSql('gb-companies-house', { text: text('CompanyCategory') })} AS legal_form_elf,
        ${status(text('CompanyStatus'))} AS status,
        ${text('CompanyStatus')} AS status_published,
        try_strptime(${text('IncorporationDate')}, '%d/%m/%Y')::DATE AS incorporated,
        try_strptime(${text('DissolutionDate')}, '%d/%m/%Y')::DATE AS dissolved,
        nullif(concat_ws(', ', ${text('RegAddress.AddressLine1')}, ${text('RegAddress.AddressLine2')}), '') AS street,
        ${text('RegAddress.PostCode')} AS postcode,
        ${text('RegAddress.PostTown')} AS city,
        ${text('RegAddress.County')} AS region,
        ${text('RegAddress.Country')} AS address_country,
        'SIC2007' AS industry_scheme,
        ${codes} AS industry_codes,
        -- UK SIC 2007 is NACE Rev. 2 with a fifth digit; 99999 (dormant) and 74990 (non-trading) have no class.
        list_transform(list_filter(${codes}, lambda c: length(c) = 5 AND c NOT IN ('99999', '74990')), lambda c: substr(c, 1, 2) || '.' || substr(c, 3, 2)) AS nace_codes,
        NULL::VARCHAR AS website,
        NULL::VARCHAR AS domain,
        NULL::VARCHAR AS lei,
        CASE WHEN ${text('CompanyNumber')} IS NULL THEN 'no company number' WHEN ${text('CompanyName')} IS NULL THEN 'no name' END AS _drop,
        NULL::VARCHAR AS _bad
      FROM ${csvSource(file.path, header, this.dialect)}`;
    return { sql, records: FILE, added: { [FILE]: h.added } };
  },
};
