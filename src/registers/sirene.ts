/**
 * France, INSEE SIRENE: StockUniteLegale (one row per legal unit) joined to StockEtablissement's
 * head-office establishment (siren + nicSiegeUniteLegale) for the address. Natural persons never
 * leave this query: units of catégorie juridique 1000 (entrepreneurs individuels), any unit named by
 * nomUniteLegale without a denomination, and every unit with statutDiffusionUniteLegale = P (their
 * data may not be used for prospecting, R123-232-1 Code de commerce) are dropped with a counted
 * reason. Their prénoms, sexe, pseudonyme and nom d'usage are never selected.
 */
import { csvSource, stagedCsv, type Header } from './csv.js';
import { MALFORMED, type RegisterAdapter } from './register.js';
import { legalFormSql } from './legal-forms.js';

export const SIRENE_UNITS = 'StockUniteLegale_utf8.csv';
export const SIRENE_ESTABLISHMENTS = 'StockEtablissement_utf8.csv';

const UNIT_REQUIRED = [
  'siren',
  'statutDiffusionUniteLegale',
  'dateCreationUniteLegale',
  'sigleUniteLegale',
  'dateDebut',
  'etatAdministratifUniteLegale',
  'nomUniteLegale',
  'denominationUniteLegale',
  'denominationUsuelle1UniteLegale',
  'categorieJuridiqueUniteLegale',
  'activitePrincipaleUniteLegale',
  'nomenclatureActivitePrincipaleUniteLegale',
  'nicSiegeUniteLegale',
];
const UNIT_KNOWN = [
  ...UNIT_REQUIRED,
  'unitePurgeeUniteLegale',
  'sexeUniteLegale',
  'prenom1UniteLegale',
  'prenom2UniteLegale',
  'prenom3UniteLegale',
  'prenom4UniteLegale',
  'prenomUsuelUniteLegale',
  'pseudonymeUniteLegale',
  'identifiantAssociationUniteLegale',
  'trancheEffectifsUniteLegale',
  'anneeEffectifsUniteLegale',
  'dateDernierTraitementUniteLegale',
  'nombrePeriodesUniteLegale',
  'categorieEntreprise',
  'anneeCategorieEntreprise',
  'nomUsageUniteLegale',
  'denominationUsuelle2UniteLegale',
  'denominationUsuelle3UniteLegale',
  'economieSocialeSolidaireUniteLegale',
  'societeMissionUniteLegale',
  'caractereEmployeurUniteLegale',
  'activitePrincipaleNAF25UniteLegale',
];

const ESTABLISHMENT_REQUIRED = [
  'siren',
  'nic',
  'statutDiffusionEtablissement',
  'etablissementSiege',
  'complementAdresseEtablissement',
  'numeroVoieEtablissement',
  'indiceRepetitionEtablissement',
  'typeVoieEtablissement',
  'libelleVoieEtablissement',
  'codePostalEtablissement',
  'libelleCommuneEtablissement',
  'libelleCommuneEtrangerEtablissement',
  'codeCommuneEtablissement',
  'libellePaysEtrangerEtablissement',
  'enseigne1Etablissement',
  'denominationUsuelleEtablissement',
];
const ESTABLISHMENT_KNOWN = [
  ...ESTABLISHMENT_REQUIRED,
  'siret',
  'dateCreationEtablissement',
  'trancheEffectifsEtablissement',
  'anneeEffectifsEtablissement',
  'activitePrincipaleRegistreMetiersEtablissement',
  'dateDernierTraitementEtablissement',
  'nombrePeriodesEtablissement',
  'dernierNumeroVoieEtablissement',
  'indiceRepetitionDernierNumeroVoieEtablissement',
  'distributionSpecialeEtablissement',
  'codeCedexEtablissement',
  'libelleCedexEtablissement',
  'codePaysEtrangerEtablissement',
  'identifiantAdresseEtablissement',
  'coordonneeLambertAbscisseEtablissement',
  'coordonneeLambertOrdonneeEtablissement',
  ...['complementAdresse', 'numeroVoie', 'indiceRepetition', 'typeVoie', 'libelleVoie', 'codePostal', 'libelleCommune', 'libelleCommuneEtranger', 'distributionSpeciale', 'codeCommune', 'codeCedex', 'libelleCedex', 'codePaysEtranger', 'libellePaysEtranger'].map(
    (c) => `${c}2Etablissement`,
  ),
  'dateDebut',
  'etatAdministratifEtablissement',
  'enseigne2Etablissement',
  'enseigne3Etablissement',
  'activitePrincipaleEtablissement',
  'nomenclatureActivitePrincipaleEtablissement',
  'caractereEmployeurEtablissement',
  'activitePrincipaleNAF25Etablissement',
];

/** The header of the 2019 stock is known lower-cased in copies; INSEE's names differ only in case. */
const OPTIONS = { ignoreCase: true, placeholders: ['[ND]'] } as const;

/** True for a unit that is a natural person: an entrepreneur individuel, or named by nom without a denomination. */
function personSql(u: Header): string {
  return `(${u.text('categorieJuridiqueUniteLegale')} = '1000' OR (${u.text('denominationUniteLegale')} IS NULL AND trim(${u.col('nomUniteLegale')}) <> ''))`;
}

/** The `_drop` reason of a unit (in this order: a bad number, then a person, then the privacy flag). */
function unitDrop(u: Header): string {
  const category = u.text('categorieJuridiqueUniteLegale');
  return `CASE
        WHEN NOT regexp_full_match(coalesce(${u.text('siren')}, ''), '[0-9]{9}') THEN '${MALFORMED}siren: not 9 digits'
        WHEN ${category} = '1000' THEN 'natural person (entrepreneur individuel, catégorie 1000)'
        WHEN ${u.text('denominationUniteLegale')} IS NULL AND trim(${u.col('nomUniteLegale')}) <> '' THEN 'natural person (named by nom, no denomination)'
        WHEN coalesce(upper(trim(${u.col('statutDiffusionUniteLegale')})), '') <> 'O' THEN 'not for publication (statutDiffusion P)'
        WHEN ${u.text('denominationUniteLegale')} IS NULL THEN 'no name'
      END`;
}

export const sirene: RegisterAdapter = {
  id: 'fr-sirene',
  country: 'FR',
  dialect: { delimiter: ',' },
  async query(files) {
    const { file: unitFile, header: unitHeader, h: u } = await stagedCsv(this, files, SIRENE_UNITS, UNIT_REQUIRED, UNIT_KNOWN, OPTIONS);
    const { file: estFile, header: estHeader, h: e } = await stagedCsv(this, files, SIRENE_ESTABLISHMENTS, ESTABLISHMENT_REQUIRED, ESTABLISHMENT_KNOWN, OPTIONS);
    const units = `SELECT ${unitDrop(u)} AS _drop, ${u.text('siren')} AS _siren, * FROM ${csvSource(unitFile.path, unitHeader, this.dialect)}`;
    // Head offices only, and only those published in full: a P establishment's address is withheld.
    const heads = `SELECT ${e.text('siren')} AS h_siren, ${e.text('nic')} AS h_nic,
        ${e.text('complementAdresseEtablissement')} AS h_complement,
        nullif(concat_ws(' ', ${e.text('numeroVoieEtablissement')}, ${e.text('indiceRepetitionEtablissement')}, ${e.text('typeVoieEtablissement')}, ${e.text('libelleVoieEtablissement')}), '') AS h_street,
        ${e.text('codePostalEtablissement')} AS h_postcode,
        coalesce(${e.text('libelleCommuneEtablissement')}, ${e.text('libelleCommuneEtrangerEtablissement')}) AS h_city,
        -- The département: the commune code's first two characters (three overseas, 97x).
        CASE WHEN starts_with(${e.text('codeCommuneEtablissement')}, '97') THEN substr(${e.text('codeCommuneEtablissement')}, 1, 3) ELSE substr(${e.text('codeCommuneEtablissement')}, 1, 2) END AS h_department,
        ${e.text('libellePaysEtrangerEtablissement')} AS h_country,
        ${e.text('enseigne1Etablissement')} AS h_sign,
        ${e.text('denominationUsuelleEtablissement')} AS h_usual
      FROM ${csvSource(estFile.path, estHeader, this.dialect)}
      WHERE lower(trim(${e.col('etablissementSiege')})) = 'true' AND upper(trim(${e.col('statutDiffusionEtablissement')})) = 'O'`;
    const text = (c: string) => u.text(c);
    const denominations = ['denominationUsuelle1UniteLegale', 'denominationUsuelle2UniteLegale', 'denominationUsuelle3UniteLegale'].filter((c) => u.has(c));
    // Other names: the acronym, the usual names, and the head office's sign and usual name (distinct, not the name itself).
    const others = `[struct_pack(n := ${text('sigleUniteLegale')}, t := 'abbreviation'), ${denominations.map((c) => `struct_pack(n := ${text(c)}, t := 'trading')`).join(', ')}, struct_pack(n := h_sign, t := 'trading'), struct_pack(n := h_usual, t := 'trading')]`;
    const name = text('denominationUniteLegale');
    const otherList = `list_filter(${others}, lambda o, i: o.n IS NOT NULL AND o.n <> ${name} AND NOT list_contains(list_transform(${others}[1:i - 1], lambda p: p.n), o.n))`;
    const naf = text('activitePrincipaleUniteLegale');
    const scheme = text('nomenclatureActivitePrincipaleUniteLegale');
    const sql = `
      SELECT
        _siren AS register_id,
        'FR' AS country,
        ${name} AS name,
        list_transform(${otherList}, lambda o: o.n) AS other_names,
        list_transform(${otherList}, lambda o: o.t) AS other_name_types,
        ${text('categorieJuridiqueUniteLegale')} AS legal_form,
        ${legalFormSql('fr-sirene', text('categorieJuridiqueUniteLegale'), 'text')} AS legal_form_text,
        ${legalFormSql('fr-sirene', text('categorieJuridiqueUniteLegale'), 'elf')} AS legal_form_elf,
        CASE upper(${text('etatAdministratifUniteLegale')}) WHEN 'A' THEN 'active' WHEN 'C' THEN 'dissolved' END AS status,
        ${text('etatAdministratifUniteLegale')} AS status_published,
        try_strptime(${text('dateCreationUniteLegale')}, '%Y-%m-%d')::DATE AS incorporated,
        -- A ceased unit's current period starts on the day it ceased.
        CASE WHEN upper(${text('etatAdministratifUniteLegale')}) = 'C' THEN try_strptime(${text('dateDebut')}, '%Y-%m-%d')::DATE END AS dissolved,
        nullif(concat_ws(', ', h_complement, h_street), '') AS street,
        h_postcode AS postcode,
        h_city AS city,
        h_department AS region,
        h_country AS address_country,
        ${scheme} AS industry_scheme,
        list_filter([${naf}], lambda x: x IS NOT NULL) AS industry_codes,
        -- NAF rév. 2 is NACE Rev. 2 with a French letter: its first four digits are the NACE class.
        CASE WHEN ${scheme} = 'NAFRev2' AND regexp_full_match(${naf}, '[0-9]{2}\\.[0-9]{2}[A-Z]') THEN [substr(${naf}, 1, 5)] ELSE []::VARCHAR[] END AS nace_codes,
        NULL::VARCHAR AS website,
        NULL::VARCHAR AS domain,
        NULL::VARCHAR AS lei,
        _drop,
        NULL::VARCHAR AS _bad
      FROM (${units}) u
      LEFT JOIN $stage:heads h ON h.h_siren = u._siren AND h.h_nic = ${text('nicSiegeUniteLegale')}
      WHERE _drop IS NULL`;
    const drops = `SELECT _drop, CASE WHEN starts_with(_drop, '${MALFORMED}') AND NOT coalesce(${personSql(u)}, false) THEN ${u.text('siren')} END AS _bad FROM (${units})`;
    // The head offices are staged to Parquet first: 28 M rows joined from a CSV do not fit DuckDB's memory limit.
    return { sql, drops, stages: [{ name: 'heads', sql: heads }], records: SIRENE_UNITS, added: { [SIRENE_UNITS]: u.added, [SIRENE_ESTABLISHMENTS]: e.added } };
  },
};
