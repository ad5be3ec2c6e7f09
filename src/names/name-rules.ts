/**
 * The rules of the name key, as data: the one definition from which both implementations are made —
 * the JavaScript function (name-key.ts) and the DuckDB SQL macros (name-key-sql.ts) — so the register
 * side (SQL over tens of millions of rows) and the WHOIS side key names identically. Tests hold the two
 * to agreement on real names and on random text.
 *
 * Every pattern here is written in the regular-expression dialect both engines read the same way:
 * RE2 (DuckDB) and JavaScript with the `u` flag — character classes, alternation, anchors and greedy
 * groups only (no look-around, no back-references).
 */

/** Letters Unicode decomposition leaves alone, spelled out (after lower-casing and removing marks). */
export const TRANSLITERATIONS: readonly (readonly [string, string])[] = [
  ['ø', 'o'],
  ['đ', 'd'],
  ['ð', 'd'],
  ['ł', 'l'],
  ['ı', 'i'],
  ['ħ', 'h'],
  ['ŧ', 't'],
  ['ς', 'σ'], // Greek final sigma: JavaScript lower-cases by context, DuckDB does not
  ['æ', 'ae'],
  ['œ', 'oe'],
  ['ß', 'ss'],
  ['þ', 'th'],
];

/** Characters removed without leaving a gap: "S.A.S." is "sas", "McDonald's" is "mcdonalds". */
export const JOINING = "[.'’‘`´]";

/** Everything that is not a letter or a digit separates words. */
export const SEPARATOR = '[^\\p{L}\\p{N}]+';

/** Words that say nothing about which company is meant. */
export const NOISE_WORDS: readonly string[] = ['the', 'and', 'og', 'et', 'und', 'en'];

/**
 * Legal forms as they appear in names, after normalization (lower case, no marks, dots joined,
 * punctuation as spaces), each with the canonical word kept in the legal-form column.
 */
export interface LegalFormSpelling {
  canonical: string;
  spellings: readonly string[];
}

const f = (canonical: string, ...spellings: string[]): LegalFormSpelling => ({ canonical, spellings: [canonical, ...spellings] });

/** Forms seen in names everywhere (foreign companies register branches; WHOIS writers use them freely). */
export const GENERIC_LEGAL_FORMS: readonly LegalFormSpelling[] = [
  f('limited', 'ltd'),
  f('co ltd', 'company limited', 'co limited'),
  f('plc', 'public limited company'),
  f('llc', 'l l c'),
  f('inc', 'incorporated'),
  f('corp', 'corporation'),
  f('gmbh', 'gesellschaft mit beschrankter haftung'),
  f('gmbh co kg', 'gmbh und co kg', 'gmbh co kgaa'),
  f('ug', 'ug haftungsbeschrankt'),
  f('ag', 'aktiengesellschaft'),
  f('kg', 'kommanditgesellschaft'),
  f('ohg'),
  f('bv', 'besloten vennootschap'),
  f('nv', 'naamloze vennootschap'),
  f('kk', 'kabushiki kaisha'),
  f('ltda'),
  f('sa'),
  f('sarl'),
  f('sas'),
  f('srl'),
  f('spa'),
  f('sl'),
  f('ab'),
  f('oy'),
  f('oyj'),
  f('aps'),
  f('as', 'a s'),
  f('asa'),
  f('sro', 's r o'),
  f('doo', 'd o o'),
  f('sp z o o', 'sp zoo'),
  f('kft'),
  f('pty ltd'),
  f('pte ltd'),
  f('sdn bhd'),
  f('llp'),
];

/** Forms per country (ISO 3166 alpha-2), tried before the generic ones. */
export const COUNTRY_LEGAL_FORMS: Readonly<Record<string, readonly LegalFormSpelling[]>> = {
  GB: [f('limited', 'ltd'), f('plc', 'public limited company'), f('llp', 'limited liability partnership'), f('lp', 'limited partnership'), f('cic', 'community interest company')],
  FR: [f('sas'), f('sasu'), f('sarl'), f('eurl'), f('sa'), f('sci'), f('snc'), f('sca'), f('selarl'), f('scop'), f('gie')],
  NO: [f('as', 'a s'), f('asa'), f('ans'), f('da'), f('nuf'), f('sa'), f('ba')],
  BE: [f('bv', 'bvba'), f('srl', 'sprl'), f('nv'), f('sa'), f('cv', 'cvba'), f('sc', 'scrl'), f('vzw'), f('asbl'), f('vof'), f('commv', 'comm v')],
  EE: [f('ou', 'oy'), f('as'), f('mtu'), f('tu'), f('uu'), f('fie')],
  // Latvia: the form leads the registered name (SIA "Psihologs"); state companies write VSIA, VAS (source: lv-ur's PROVENANCE.md).
  // In English, Latvian writers call an SIA Ltd or LLC and an AS a JSC: the same form, no disagreement.
  LV: [f('sia', 'vsia', 'ltd', 'limited', 'llc'), f('as', 'a s', 'vas', 'jsc'), f('ik'), f('ps'), f('ks'), f('kb'), f('zs', 'z s')],
  // Lithuania: the form leads the registered name too (UAB "Pavyzdys"); in English a UAB is a Ltd, an AB a PLC.
  LT: [f('uab', 'ltd', 'limited', 'jsc'), f('ab', 'plc'), f('mb'), f('vsi'), f('ii')],
  // Czechia: the form follows the name (Příklad s.r.o.); in English an s.r.o. is a Ltd.
  // Ireland: as Great Britain, and the Companies Act 2014's DAC and CLG.
  IE: [f('limited', 'ltd'), f('plc'), f('dac', 'designated activity company'), f('clg', 'company limited by guarantee'), f('unlimited company', 'ulc')],
  // Finland: the form follows the name (Esimerkki Oy); a public company is Oyj, in Swedish Abp.
  FI: [f('oy', 'osakeyhtio', 'ltd'), f('oyj', 'abp', 'plc'), f('ky', 'kb'), f('ay'), f('osk', 'osuuskunta')],
  // Sweden: the form follows the name (Exempel AB); a listed company adds (publ).
  SE: [f('ab', 'aktiebolag', 'publ', 'ab publ'), f('hb', 'handelsbolag'), f('kb', 'kommanditbolag'), f('ek for', 'ekonomisk forening')],
  CZ: [f('sro', 's r o', 'spol s ro', 'ltd', 'limited'), f('as', 'a s'), f('zs', 'z s'), f('vos', 'v o s'), f('ks', 'k s')],
};
