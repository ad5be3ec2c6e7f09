/**
 * The constants of the index format (FORMAT.md): magic, version, header and section-table layout,
 * section ids and record classes. Shared by the reader and the writer; imports nothing.
 */

export const MAGIC = 'IPREGIDX';
export const FORMAT_MAJOR = 1;
export const FORMAT_MINOR = 2;
export const HEADER_BYTES = 64;
export const SECTION_ENTRY_BYTES = 32;
/** Offset of the header's own CRC-32, computed with these four bytes as zero. */
export const HEADER_CRC_OFFSET = 32;
/** Sections start at multiples of this, so each can be viewed as a typed array in place. */
export const SECTION_ALIGN = 8;
/** The record id of a range without an answer (a gap). */
export const NONE = 0xffffffff;
/** Confidence of a record that names no company. */
export const NO_CONFIDENCE = 0xffff;
/** Confidence is stored × this, as u16. */
export const CONFIDENCE_SCALE = 10000;
/** Bounds of a first-level table's bits (FORMAT.md). */
export const MAX_FIRST_LEVEL_BITS = 24;
/** Words before a first-level table's entries: base, shift, bits, reserved. */
export const FIRST_LEVEL_HEAD = 4;

/**
 * Section ids and their element sizes (bytes), in the order the writer lays them out. Record string
 * columns take the smallest of 1, 2 or 4 that holds their largest offset.
 */
export const SECTIONS = {
  'v4.starts': { id: 1, elements: [2, 4] },
  'v4.records': { id: 2, elements: [4] },
  'v4.first-level': { id: 3, elements: [4] },
  'v6.starts': { id: 4, elements: [2, 4] },
  'v6.records': { id: 5, elements: [4] },
  'v6.first-level': { id: 6, elements: [4] },
  'v6.low-words': { id: 7, elements: [4] },
  'v6.second-words': { id: 8, elements: [4] },
  'record.class': { id: 10, elements: [1] },
  'record.country': { id: 11, elements: [1, 2, 4] },
  'record.company-name': { id: 12, elements: [1, 2, 4] },
  'record.register': { id: 13, elements: [1, 2, 4] },
  'record.register-id': { id: 14, elements: [1, 2, 4] },
  'record.company-country': { id: 15, elements: [1, 2, 4] },
  'record.lei': { id: 16, elements: [1, 2, 4] },
  'record.link-rule': { id: 17, elements: [1, 2, 4] },
  'record.confidence': { id: 18, elements: [2] },
  'record.attribution': { id: 19, elements: [2] },
  'string.bytes': { id: 21, elements: [1] },
  'record.company-city': { id: 22, elements: [1, 2, 4] },
  'record.company-industry': { id: 23, elements: [1, 2, 4] },
  'record.company-website': { id: 24, elements: [1, 2, 4] },
  'record.asn': { id: 25, elements: [1, 2, 4] },
  'record.as-name': { id: 26, elements: [1, 2, 4] },
} as const;

export type SectionName = keyof typeof SECTIONS;

/** Sections a minor version added: a file of an earlier minor lacks them, and readers take them as empty. */
export const SECTION_SINCE_MINOR: Partial<Record<SectionName, number>> = {
  'record.company-city': 1,
  'record.company-industry': 1,
  'record.company-website': 1,
  'record.asn': 2,
  'record.as-name': 2,
};

/** Record classes by code (FORMAT.md); isp and mobile never name a company. */
export const CLASSES = ['unknown', 'business', 'isp', 'hosting', 'mobile', 'education', 'government'] as const;

export type RangeClass = (typeof CLASSES)[number];

/** The record columns that hold string offsets, in the order records use them. */
export const STRING_COLUMNS = [
  'record.country', 'record.company-name', 'record.register', 'record.register-id', 'record.company-country', 'record.lei', 'record.link-rule',
  'record.company-city', 'record.company-industry', 'record.company-website', 'record.as-name',
] as const;

/** The industry column's text: the scheme, a colon, the codes comma-separated, main first (`SIC2007:62012,62020`). */
export function industryText(industry: { scheme: string; codes: readonly string[] } | null | undefined): string {
  if (industry == null || industry.codes.length === 0) return '';
  if (industry.scheme.includes(':') || industry.codes.some((c) => c.includes(',') || c === '')) {
    throw new Error(`index: industry scheme ${JSON.stringify(industry.scheme)} or codes ${JSON.stringify(industry.codes)} cannot be stored (':' in the scheme, ',' in a code, or an empty code)`);
  }
  return `${industry.scheme}:${industry.codes.join(',')}`;
}

/** The industry of an industry column's text, null for "". */
export function parseIndustryText(text: string): { scheme: string; codes: string[] } | null {
  if (text === '') return null;
  const colon = text.indexOf(':');
  return { scheme: text.slice(0, colon), codes: text.slice(colon + 1).split(',') };
}

/** The string columns with few distinct values: the writer puts their strings first, so the columns stay narrow. */
export const NARROW_STRING_COLUMNS: readonly number[] = [0, 2, 4, 6];

/** The AS number of a record that names no network. */
export const NO_ASN = 0;

/** A source credited by records: what its licence asks to be shown. */
export interface SourceAttribution {
  id: string;
  publisher: string;
  licence: string;
  attribution: string;
}

/** The JSON metadata of an index file. */
export interface IndexMeta {
  buildId: string;
  created: string;
  snapshot: string;
  counts: { v4Ranges: number; v6Ranges: number; records: number; linkedRecords: number; strings: number };
  sources: SourceAttribution[];
  attributions: number[][];
}
