/**
 * How big the world is at each scale. `full` models the real sources' sizes (the figures and where
 * they come from are listed in REAL_COUNTS); `medium` is a tenth of it; `small` is the few thousand
 * ranges committed as data-samples/.
 */
import type { RegisterId } from './legal-forms.js';
import type { Rir } from './ip-space.js';

export const SCALES = ['small', 'medium', 'full'] as const;
export type Scale = (typeof SCALES)[number];

/** Record counts the world is made to, per source file kind. */
export interface WorldCounts {
  registers: Record<RegisterId, number>;
  gleifEntities: number;
  /** Inetnum, inet6num, organisation and aut-num objects per RIR with an RPSL dump. */
  rpsl: Record<Exclude<Rir, 'arin'>, { inetnum: number; inet6num: number; organisation: number; autNum: number }>;
  /** ARIN has no public RPSL dump: its delegated file alone, in records. */
  arinDelegatedRecords: number;
}

/**
 * The real sizes `full` matches (within 10 %). Register and ARIN/LACNIC/AFRINIC figures are from the
 * publishers' files (see docs/sources.md); RIPE figures from the RIPE NCC's database statistics;
 * APNIC, AFRINIC and LACNIC RPSL object counts are estimates (no excerpt of those dumps is public).
 */
export const REAL_COUNTS = {
  'gb-companies-house rows (BasicCompanyData, 2025)': 5_700_000,
  'fr-sirene legal units (StockUniteLegale)': 28_000_000,
  'fr-sirene establishments (StockEtablissement)': 40_000_000,
  'no-brreg enheter': 1_300_000,
  'be-kbo enterprises (enterprise.csv)': 1_950_000,
  'ee-rik entities (lihtandmed)': 378_000,
  'lv-ur rows (register.csv, a third party\'s figure)': 480_000,
  'lt-jar registered legal entities (an estimate)': 250_000,
  'cz-res rows (res_data.csv, 2026-09-15)': 3_528_951,
  'ie-cro rows (companies.csv, 2026-05-04, a third party\'s count)': 814_897,
  'fi-prh companies (all_companies, SOURCES-NEXT\'s figure)': 460_000,
  'se-bolagsverket rows (bolagsverket_bulkfil.txt, 2026-06-05, a third party\'s count)': 2_958_873,
  'gleif-lei LEI records (lei2 golden copy)': 2_900_000,
  'ripe inetnum objects': 4_500_000,
  'ripe inet6num objects': 1_300_000,
  'ripe organisation objects': 130_000,
  'ripe aut-num objects': 40_000,
  'apnic inetnum objects (estimate)': 1_100_000,
  'afrinic inetnum objects (estimate)': 120_000,
  'lacnic inetnum objects (estimate)': 100_000,
  'arin delegated records (2026-04-13)': 202_939,
} as const;

const FULL: WorldCounts = {
  registers: {
    'gb-companies-house': 5_700_000,
    'fr-sirene': 28_000_000,
    'no-brreg': 1_300_000,
    'be-kbo': 1_950_000,
    'ee-rik': 378_000,
    'lv-ur': 480_000,
    'lt-jar': 250_000,
    'cz-res': 3_528_951,
    'se-bolagsverket': 2_958_873,
    'ie-cro': 814_897,
    'fi-prh': 460_000,
  },
  gleifEntities: 2_900_000,
  rpsl: {
    ripencc: { inetnum: 4_500_000, inet6num: 1_300_000, organisation: 130_000, autNum: 40_000 },
    apnic: { inetnum: 1_100_000, inet6num: 250_000, organisation: 30_000, autNum: 20_000 },
    afrinic: { inetnum: 120_000, inet6num: 8_000, organisation: 3_000, autNum: 3_300 },
    lacnic: { inetnum: 100_000, inet6num: 50_000, organisation: 12_000, autNum: 14_000 },
  },
  arinDelegatedRecords: 202_939,
};

const SMALL: WorldCounts = {
  registers: { 'gb-companies-house': 2_000, 'fr-sirene': 3_000, 'no-brreg': 1_500, 'be-kbo': 1_500, 'ee-rik': 800, 'lv-ur': 700, 'lt-jar': 600, 'cz-res': 1_000, 'se-bolagsverket': 1_000, 'ie-cro': 800, 'fi-prh': 800 },
  gleifEntities: 1_000,
  rpsl: {
    ripencc: { inetnum: 2_500, inet6num: 600, organisation: 120, autNum: 60 },
    apnic: { inetnum: 600, inet6num: 150, organisation: 30, autNum: 20 },
    afrinic: { inetnum: 200, inet6num: 30, organisation: 10, autNum: 10 },
    lacnic: { inetnum: 200, inet6num: 60, organisation: 20, autNum: 20 },
  },
  arinDelegatedRecords: 500,
};

/** The counts of a scale. */
export function countsOf(scale: Scale): WorldCounts {
  if (scale === 'full') return FULL;
  if (scale === 'small') return SMALL;
  return divide(FULL, 10);
}

function divide(counts: WorldCounts, by: number): WorldCounts {
  const d = (n: number) => Math.round(n / by);
  const rpsl = Object.fromEntries(
    Object.entries(counts.rpsl).map(([rir, c]) => [rir, { inetnum: d(c.inetnum), inet6num: d(c.inet6num), organisation: d(c.organisation), autNum: d(c.autNum) }]),
  ) as WorldCounts['rpsl'];
  const registers = Object.fromEntries(Object.entries(counts.registers).map(([r, n]) => [r, d(n)])) as WorldCounts['registers'];
  return { ...counts, registers, rpsl, gleifEntities: d(counts.gleifEntities), arinDelegatedRecords: d(counts.arinDelegatedRecords) };
}

/** The snapshot date a world is dated with unless told otherwise. */
export const DEFAULT_SNAPSHOT = '2026-11-01';
