/**
 * GLEIF LEI golden copy (lei2): one row per LEI, dotted LEI-CDF column names, repeated elements
 * flattened .1 … .5. Sole proprietors (EntityCategory SOLE_PROPRIETOR) are natural persons and are
 * dropped with a counted reason, as are annulled and duplicate registrations; an LEI failing its
 * ISO 17442 check digits (mod 97) is a malformed record. The registration authority and the entity's number there are kept, and where the
 * authority is a register of this lake the number is normalised to that register's form
 * (same_as_register, same_as_id): the crosswalk that gives national companies their LEI.
 */
import { csvSource, stagedCsv } from '../../registers/csv.js';
import { MALFORMED, type RegisterAdapter } from '../../registers/register.js';
import { fillSqlTemplate, REGISTERS, sourceById } from '../catalog.js';
import { sqlString } from '../../lake/sql.js';

export const GLEIF_FILE = 'lei2-golden-copy.csv';

const NAMES = [1, 2, 3, 4, 5].map((i) => `Entity.OtherEntityNames.OtherEntityName.${i}`);
const TRANSLITERATED = [1, 2, 3, 4, 5].map((i) => `Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.${i}`);
const ADDRESS_LINES = [1, 2, 3].map((i) => `Entity.LegalAddress.AdditionalAddressLine.${i}`);

const REQUIRED = [
  'LEI',
  'Entity.LegalName',
  'Entity.LegalAddress.FirstAddressLine',
  'Entity.LegalAddress.City',
  'Entity.LegalAddress.Region',
  'Entity.LegalAddress.Country',
  'Entity.LegalAddress.PostalCode',
  'Entity.RegistrationAuthority.RegistrationAuthorityID',
  'Entity.RegistrationAuthority.RegistrationAuthorityEntityID',
  'Entity.LegalJurisdiction',
  'Entity.EntityCategory',
  'Entity.LegalForm.EntityLegalFormCode',
  'Entity.LegalForm.OtherLegalForm',
  'Entity.EntityStatus',
  'Registration.RegistrationStatus',
];

/** Every column of the LEI-CDF 2.1 flattening (repeated elements .1 … .5), so new ones are recognised. */
const KNOWN = (() => {
  const address = ['xmllang', 'FirstAddressLine', 'AddressNumber', 'AddressNumberWithinBuilding', 'MailRouting', 'AdditionalAddressLine.1', 'AdditionalAddressLine.2', 'AdditionalAddressLine.3', 'City', 'Region', 'Country', 'PostalCode'];
  const n = [1, 2, 3, 4, 5];
  return [
    ...REQUIRED,
    'Entity.LegalName.xmllang',
    ...[...NAMES, ...TRANSLITERATED].flatMap((c) => [c, `${c}.xmllang`, `${c}.type`]),
    ...['Entity.LegalAddress', 'Entity.HeadquartersAddress'].flatMap((a) => address.map((f) => `${a}.${f}`)),
    ...n.flatMap((i) => ['type', ...address].map((f) => `Entity.OtherAddresses.OtherAddress.${i}.${f}`)),
    ...n.flatMap((i) => ['type', ...address].map((f) => `Entity.TransliteratedOtherAddresses.TransliteratedOtherAddress.${i}.${f}`)),
    'Entity.RegistrationAuthority.OtherRegistrationAuthorityID',
    ...['type', 'AssociatedLEI', 'AssociatedEntityName', 'AssociatedEntityName.xmllang'].map((f) => `Entity.AssociatedEntity.${f}`),
    'Entity.EntityExpirationDate',
    'Entity.EntityExpirationReason',
    ...['SuccessorLEI', 'SuccessorEntityName', 'SuccessorEntityName.xmllang'].map((f) => `Entity.SuccessorEntity.${f}`),
    ...['InitialRegistrationDate', 'LastUpdateDate', 'NextRenewalDate', 'ManagingLOU', 'ValidationSources'].map((f) => `Registration.${f}`),
    ...['ValidationAuthorityID', 'OtherValidationAuthorityID', 'ValidationAuthorityEntityID'].map((f) => `Registration.ValidationAuthority.${f}`),
    ...n.flatMap((i) => ['ValidationAuthorityID', 'OtherValidationAuthorityID', 'ValidationAuthorityEntityID'].map((f) => `Registration.OtherValidationAuthorities.OtherValidationAuthority.${i}.${f}`)),
    'Entity.EntityCreationDate',
  ];
})();

/**
 * The registration authorities (GLEIF RA list) of the registers this lake reads, each register's own
 * (its source.json's `gleifAuthorities`): Companies House has three (England and Wales, Scotland,
 * Northern Ireland).
 */
export const REGISTRATION_AUTHORITIES: Readonly<Record<string, string>> = Object.fromEntries(REGISTERS.flatMap((r) => (r.register.gleifAuthorities ?? []).map((ra) => [ra, r.id])));

/** A number as the register writes it, from the way an LEI record gives it (SQL; null if it cannot be). */
function registerNumber(register: string, expression: string): string {
  const template = sourceById(register).register?.canonicalId;
  return template === undefined ? 'NULL::VARCHAR' : fillSqlTemplate(template, expression);
}

/**
 * ISO 17442: 20 characters, letters as 10–35, the whole number mod 97 is 1. The remainder is folded
 * over the characters' codes (a letter shifts it two digits, a digit one): 26 nested replace() calls
 * building the number took 8 s of the full world's 2.9 million LEIs, this 1.4 s. Any text is safe
 * here (no cast to fail); the pattern decides the rest.
 */
export function leiValid(column: string): string {
  const remainder = `list_reduce(list_transform(string_split(${column}, ''), lambda c: ord(c)), lambda acc, o: CASE WHEN o >= 65 THEN (acc * 100 + o - 55) % 97 ELSE (acc * 10 + o - 48) % 97 END, 0)`;
  return `(regexp_full_match(${column}, '[0-9A-Z]{18}[0-9]{2}') AND ${remainder} = 1)`;
}

/** The companies kind of an LEI-CDF OtherEntityName type (SQL over `type`). */
function otherNameType(type: string): string {
  return `CASE ${type}
    WHEN 'PREVIOUS_LEGAL_NAME' THEN 'previous'
    WHEN 'TRADING_OR_OPERATING_NAME' THEN 'trading'
    WHEN 'ALTERNATIVE_LANGUAGE_LEGAL_NAME' THEN 'other language'
    WHEN 'AUTO_ASCII_TRANSLITERATED_LEGAL_NAME' THEN 'transliterated'
    WHEN 'PREFERRED_ASCII_TRANSLITERATED_LEGAL_NAME' THEN 'transliterated'
    ELSE lower(coalesce(${type}, 'other')) END`;
}

export const adapter: RegisterAdapter = {
  id: 'gleif-lei',
  dialect: { delimiter: ',' },
  async query(files) {
    const { file, header, h } = await stagedCsv(this, files, GLEIF_FILE, REQUIRED, KNOWN);
    const text = (c: string) => h.text(c);
    const lei = `upper(${text('LEI')})`;
    const others = [...NAMES, ...TRANSLITERATED].filter((c) => h.has(c));
    const otherList = `list_filter([${others.map((c) => `struct_pack(n := ${text(c)}, t := ${h.has(`${c}.type`) ? text(`${c}.type`) : 'NULL::VARCHAR'})`).join(', ')}], lambda o: o.n IS NOT NULL AND o.n <> ${text('Entity.LegalName')})`;
    const elf = text('Entity.LegalForm.EntityLegalFormCode');
    const authority = text('Entity.RegistrationAuthority.RegistrationAuthorityID');
    const number = text('Entity.RegistrationAuthority.RegistrationAuthorityEntityID');
    const sameAs = `CASE ${authority} ${Object.entries(REGISTRATION_AUTHORITIES)
      .map(([ra, register]) => `WHEN ${sqlString(ra)} THEN ${sqlString(register)}`)
      .join(' ')} END`;
    const sameAsId = `CASE ${sameAs} ${[...new Set(Object.values(REGISTRATION_AUTHORITIES))].map((r) => `WHEN ${sqlString(r)} THEN ${registerNumber(r, number)}`).join(' ')} END`;
    const street = `nullif(concat_ws(', ', ${['Entity.LegalAddress.FirstAddressLine', ...ADDRESS_LINES.filter((c) => h.has(c))].map(text).join(', ')}), '')`;
    // An annulled registration was issued in error (real ones carry invalid check digits); a duplicate
    // names an entity that has another LEI. Neither stands for a company of its own.
    const registration = `upper(${text('Registration.RegistrationStatus')})`;
    const drop = `CASE
        WHEN ${registration} = 'ANNULLED' THEN 'annulled registration'
        WHEN ${registration} = 'DUPLICATE' THEN 'duplicate registration (the entity has another LEI)'
        WHEN NOT coalesce(${leiValid(lei)}, false) THEN '${MALFORMED}LEI: not 20 characters with valid ISO 17442 check digits'
        WHEN upper(${text('Entity.EntityCategory')}) = 'SOLE_PROPRIETOR' THEN 'natural person (EntityCategory SOLE_PROPRIETOR)'
        WHEN ${text('Entity.LegalName')} IS NULL THEN 'no name'
      END`;
    const status = `upper(${text('Entity.EntityStatus')})`;
    const expiry = h.has('Entity.EntityExpirationReason') ? `upper(${text('Entity.EntityExpirationReason')})` : 'NULL::VARCHAR';
    const sql = `
      SELECT
        ${lei} AS register_id,
        upper(substr(coalesce(${text('Entity.LegalJurisdiction')}, ${text('Entity.LegalAddress.Country')}), 1, 2)) AS country,
        ${text('Entity.LegalName')} AS name,
        list_transform(${otherList}, lambda o: o.n) AS other_names,
        list_transform(${otherList}, lambda o: ${otherNameType('o.t')}) AS other_name_types,
        CASE WHEN ${elf} IN ('8888', '9999') OR ${elf} IS NULL THEN ${text('Entity.LegalForm.OtherLegalForm')} ELSE ${elf} END AS legal_form,
        ${text('Entity.LegalForm.OtherLegalForm')} AS legal_form_text,
        CASE WHEN regexp_full_match(${elf}, '[0-9A-Z]{4}') AND ${elf} NOT IN ('8888', '9999') THEN ${elf} END AS legal_form_elf,
        CASE WHEN ${status} = 'ACTIVE' THEN 'active' WHEN ${expiry} IN ('DISSOLVED', 'CORPORATE_ACTION') THEN 'dissolved' ELSE 'inactive' END AS status,
        concat_ws(' / ', ${status}, upper(${text('Registration.RegistrationStatus')})) AS status_published,
        ${h.has('Entity.EntityCreationDate') ? `try_cast(left(${text('Entity.EntityCreationDate')}, 10) AS DATE)` : 'NULL::DATE'} AS incorporated,
        ${h.has('Entity.EntityExpirationDate') ? `try_cast(left(${text('Entity.EntityExpirationDate')}, 10) AS DATE)` : 'NULL::DATE'} AS dissolved,
        ${street} AS street,
        ${text('Entity.LegalAddress.PostalCode')} AS postcode,
        ${text('Entity.LegalAddress.City')} AS city,
        ${text('Entity.LegalAddress.Region')} AS region,
        ${text('Entity.LegalAddress.Country')} AS address_country,
        NULL::VARCHAR AS industry_scheme,
        []::VARCHAR[] AS industry_codes,
        []::VARCHAR[] AS nace_codes,
        NULL::VARCHAR AS website,
        NULL::VARCHAR AS domain,
        ${lei} AS lei,
        ${authority} AS registration_authority,
        ${number} AS registration_authority_id,
        ${sameAs} AS same_as_register,
        ${sameAsId} AS same_as_id,
        ${drop} AS _drop,
        CASE WHEN starts_with(${drop}, '${MALFORMED}') AND coalesce(upper(${text('Entity.EntityCategory')}), '') <> 'SOLE_PROPRIETOR' THEN ${text('LEI')} END AS _bad
      FROM ${csvSource(file.path, header, this.dialect)}`;
    return { sql, records: GLEIF_FILE, added: { [GLEIF_FILE]: h.added } };
  },
};
