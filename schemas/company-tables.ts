/**
 * The register side of the lake: `companies`, one row per registered company (legal person) of every
 * register, normalized to one shape. Partitioned register=…/snapshot=… and written as zstd Parquet.
 * Natural persons never appear here (see pipelines/registers.ts).
 */
import type { TableSchema } from '../src/lake/table-schema.js';

export const COMPANIES: TableSchema = {
  name: 'companies',
  description: 'registered companies (legal persons only) of every register, normalized, with the name key used for linking',
  columns: [
    { name: 'register_id', type: 'VARCHAR', description: "the register's number for the company, as text (leading zeros kept): CRN, SIREN, organisasjonsnummer, KBO number, registrikood" },
    { name: 'country', type: 'VARCHAR', description: 'ISO 3166 alpha-2 country of the register' },
    { name: 'name', type: 'VARCHAR', description: 'registered name as published' },
    { name: 'name_key', type: 'VARCHAR', description: 'the name key for linking: folded, transliterated, legal form and noise words removed (src/names)' },
    { name: 'name_legal_form', type: 'VARCHAR', description: 'the legal form the name itself carries, as its canonical word (limited, sas, as, ou …); null if none' },
    { name: 'other_names', type: 'VARCHAR[]', description: 'other names: previous, trading, abbreviations, other languages' },
    { name: 'other_name_types', type: 'VARCHAR[]', description: 'the kind of each other name (previous, trading, abbreviation, …), in the same order' },
    { name: 'legal_form', type: 'VARCHAR', description: 'legal form as the register publishes it (code or text)' },
    { name: 'legal_form_text', type: 'VARCHAR', description: "the register's text for the legal form, where it publishes a code" },
    { name: 'legal_form_elf', type: 'VARCHAR', description: 'ISO 20275 ELF code of the legal form, where the mapping is known' },
    { name: 'status', type: 'VARCHAR', description: 'active, inactive or dissolved' },
    { name: 'status_published', type: 'VARCHAR', description: 'status as the register publishes it' },
    { name: 'incorporated', type: 'DATE', description: 'date of incorporation or registration; null when absent or invalid' },
    { name: 'dissolved', type: 'DATE', description: 'date of dissolution or closure, where published' },
    { name: 'street', type: 'VARCHAR', description: 'street address of the registered office (lines joined with ", ")' },
    { name: 'postcode', type: 'VARCHAR', description: 'postcode of the registered office' },
    { name: 'city', type: 'VARCHAR', description: 'city of the registered office' },
    { name: 'region', type: 'VARCHAR', description: 'county, region or municipality, as published' },
    { name: 'address_country', type: 'VARCHAR', description: 'country of the registered office as published (registers leave it empty for domestic addresses)' },
    { name: 'industry_scheme', type: 'VARCHAR', description: 'scheme of industry_codes: SIC2007, NAFRev2, NACE2008, SN2007, EMTAK' },
    { name: 'industry_codes', type: 'VARCHAR[]', description: 'industry codes as published, main first' },
    { name: 'nace_codes', type: 'VARCHAR[]', description: 'the same codes mapped to NACE Rev. 2 classes (nn.nn), where the mapping is known' },
    { name: 'website', type: 'VARCHAR', description: 'website as published (KBO, Brreg)' },
    { name: 'domain', type: 'VARCHAR', description: 'the registrable host of the website, lower case, without www.' },
    { name: 'lei', type: 'VARCHAR', description: 'LEI: GLEIF rows their own; a national company the LEI whose record crosswalks to it (same_as_register, same_as_id), when GLEIF was read in the same run' },
    { name: 'marketing_opt_out', type: 'BOOLEAN', description: "the register says the company wants no marketing (SCB's advertising opt-out, CVR's advertising protection): treated as an objection, never linked, never in an answer; null where the register publishes no such field" },
    { name: 'registration_authority', type: 'VARCHAR', description: 'GLEIF rows: the registration authority (GLEIF RA list code, e.g. RA000189 for SIRENE)' },
    { name: 'registration_authority_id', type: 'VARCHAR', description: "GLEIF rows: the entity's number at that authority, as the LEI record gives it" },
    { name: 'same_as_register', type: 'VARCHAR', description: 'GLEIF rows: the register of this lake the authority is (gb-companies-house, fr-sirene, no-brreg, be-kbo, ee-rik)' },
    { name: 'same_as_id', type: 'VARCHAR', description: "GLEIF rows: the number normalised to that register's register_id form — the crosswalk key" },
  ],
  partitions: [
    { name: 'register', type: 'VARCHAR', description: 'register id: gb-companies-house, fr-sirene, no-brreg, be-kbo, ee-rik, gleif-lei' },
    { name: 'snapshot', type: 'VARCHAR', description: 'snapshot date (YYYY-MM-DD) of the register files' },
  ],
};

export const COMPANY_TABLES: readonly TableSchema[] = [COMPANIES];
