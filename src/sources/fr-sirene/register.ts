/**
 * France, INSEE SIRENE: StockUniteLegale (one row per legal unit) joined to StockEtablissement's
 * head-office establishment (siren + nicSiegeUniteLegale) for the address. Natural persons never
 * leave this query: units of catégorie juridique 1000 (entrepreneurs individuels), any unit named by
 * nomUniteLegale without a denomination, and every unit with statutDiffusionUniteLegale = P (their
 * data may not be used for prospecting, R123-232-1 Code de commerce) are dropped with a counted
 * reason. Their prénoms, sexe, pseudonyme and nom d'usage are never selected.
 */
import { csvSource, stagedCsv, type Header } from '../../registers/csv.js';
import { MALFORMED, type RegisterAdapter } from '../../registers/register.js';
import { legalFormSql } from '../../registers/legal-forms.js';
import { sqlString } from '../../lake/sql.js';

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

export const adapter: RegisterAdapter = {
  id: 'fr-sirene',
  dialect: { delimiter: ',' },
  async query(files) {
    const { file: unitFile, header: unitHeader, h: u } = await stagedCsv(this, files, SIRENE_UNITS, UNIT_REQUIRED, UNIT_KNOWN, OPTIONS);
    const { file: estFile, header: estHeader, h: e } = await stagedCsv(this, files, SIRENE_ESTABLISHMENTS, ESTABLISHMENT_REQUIRED, ESTABLISHMENT_KNOWN, OPTIONS);
    const text = (c: string) => u.text(c);
    const denominations = ['denominationUsuelle1UniteLegale', 'denominationUsuelle2UniteLegale', 'denominationUsuelle3UniteLegale'].filter((c) => u.has(c));
    // Every unit, with what the companies need as text — for a kept unit only. A dropped unit keeps
    // its reason and, when its number is malformed and it is not a person, that number: nothing else
    // of it is written, not even to this intermediate file.
    const unitColumns: Record<string, string> = {
      _siren: text('siren'),
      u_nic: text('nicSiegeUniteLegale'),
      u_name: text('denominationUniteLegale'),
      u_sigle: text('sigleUniteLegale'),
      ...Object.fromEntries(denominations.map((c, i) => [`u_usual${i + 1}`, text(c)])),
      u_category: text('categorieJuridiqueUniteLegale'),
      u_state: text('etatAdministratifUniteLegale'),
      u_created: text('dateCreationUniteLegale'),
      u_started: text('dateDebut'),
      u_naf: text('activitePrincipaleUniteLegale'),
      u_scheme: text('nomenclatureActivitePrincipaleUniteLegale'),
    };
    const units = `SELECT _drop,
        CASE WHEN starts_with(_drop, '${MALFORMED}') AND NOT coalesce(${personSql(u)}, false) THEN ${text('siren')} END AS _bad,
        ${Object.entries(unitColumns)
          .map(([name, expr]) => `CASE WHEN _drop IS NULL THEN ${expr} END AS ${name}`)
          .join(',\n        ')}
      FROM (SELECT ${unitDrop(u)} AS _drop, * FROM ${csvSource(unitFile.path, unitHeader, this.dialect)})`;
    // Head offices only, only those published in full (a P establishment's address is withheld), and
    // only those of kept units: a sole trader's head office is his address, and never written.
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
      WHERE lower(trim(${e.col('etablissementSiege')})) = 'true' AND upper(trim(${e.col('statutDiffusionEtablissement')})) = 'O'
        -- Compared as numbers: a hash table of 11 M integers, not of 11 M strings (both are nine digits).
        AND length(${e.text('siren')}) = 9 AND TRY_CAST(${e.text('siren')} AS INTEGER) IN (SELECT _siren::INTEGER FROM $stage:units WHERE _drop IS NULL)`;
    // Other names: the acronym, the usual names, and the head office's sign and usual name — each
    // kept when present, not the name itself, and not a repeat of an earlier one. Written as one
    // flag per candidate, computed once per row: a list lambda comparing each element with the ones
    // before it cost as much as the rest of the query on the full register.
    const candidates: [column: string, type: string][] = [['u_sigle', 'abbreviation'], ...denominations.map((_c, i): [string, string] => [`u_usual${i + 1}`, 'trading']), ['h_sign', 'trading'], ['h_usual', 'trading']];
    const keepFlags = candidates
      .map(([c], i) => `(${c} IS NOT NULL AND ${c} <> u_name${candidates.slice(0, i).map(([earlier]) => ` AND ${c} IS DISTINCT FROM ${earlier}`).join('')}) AS _k${i}`)
      .join(', ');
    const otherNames = `list_filter([${candidates.map(([c], i) => `CASE WHEN _k${i} THEN ${c} END`).join(', ')}], lambda x: x IS NOT NULL)`;
    const otherTypes = `list_filter([${candidates.map(([, type], i) => `CASE WHEN _k${i} THEN ${sqlString(type)} END`).join(', ')}], lambda x: x IS NOT NULL)`;
    const joined = `SELECT *, ${keepFlags}
      FROM $stage:units u
      LEFT JOIN $stage:heads h ON h.h_siren = u._siren AND h.h_nic = u.u_nic
      WHERE _drop IS NULL`;
    const sql = `
      SELECT
        _siren AS register_id,
        'FR' AS country,
        u_name AS name,
        ${otherNames} AS other_names,
        ${otherTypes} AS other_name_types,
        u_category AS legal_form,
        ${legalFormSql('fr-sirene', 'u_category', 'text')} AS legal_form_text,
        ${legalFormSql('fr-sirene', 'u_category', 'elf')} AS legal_form_elf,
        CASE upper(u_state) WHEN 'A' THEN 'active' WHEN 'C' THEN 'dissolved' END AS status,
        u_state AS status_published,
        try_strptime(u_created, '%Y-%m-%d')::DATE AS incorporated,
        -- A ceased unit's current period starts on the day it ceased.
        CASE WHEN upper(u_state) = 'C' THEN try_strptime(u_started, '%Y-%m-%d')::DATE END AS dissolved,
        nullif(concat_ws(', ', h_complement, h_street), '') AS street,
        h_postcode AS postcode,
        h_city AS city,
        h_department AS region,
        h_country AS address_country,
        u_scheme AS industry_scheme,
        list_filter([u_naf], lambda x: x IS NOT NULL) AS industry_codes,
        -- NAF rév. 2 is NACE Rev. 2 with a French letter: its first four digits are the NACE class.
        CASE WHEN u_scheme = 'NAFRev2' AND regexp_full_match(u_naf, '[0-9]{2}\\.[0-9]{2}[A-Z]') THEN [substr(u_naf, 1, 5)] ELSE []::VARCHAR[] END AS nace_codes,
        NULL::VARCHAR AS website,
        NULL::VARCHAR AS domain,
        NULL::VARCHAR AS lei,
        _drop,
        NULL::VARCHAR AS _bad
      FROM (${joined})`;
    // Both files are staged to Parquet first, each read once, and split by the number they are
    // joined on: 11 M kept units joined whole to 26 M head offices spill far past DuckDB's memory limit.
    return {
      sql,
      drops: 'SELECT _drop, _bad FROM $stage:units',
      stages: [
        { name: 'units', sql: units, partitionBy: '_siren' },
        { name: 'heads', sql: heads, partitionBy: 'h_siren' },
      ],
      records: SIRENE_UNITS,
      added: { [SIRENE_UNITS]: u.added, [SIRENE_ESTABLISHMENTS]: e.added },
    };
  },
};
