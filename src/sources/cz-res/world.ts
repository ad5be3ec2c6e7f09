/**
 * ČSÚ `res_data.csv`: comma-separated UTF-8 with CRLF line ends, FIRMA and TEXTADR always quoted, the
 * legal form as the office's code, the main activity as CZ-NACE, the office in parts; a dissolved
 * natural person is published with its number and date only.
 */
import type { Company } from '../../world/companies.js';
import { minimallyQuoted } from '../../output-file.js';
import type { Rng } from '../../world/random.js';
import { CZ_RES_HEADER } from './world-headers.js';
import { singleFileWriter, type RegisterWriter, nationalWorld } from '../../world/register-writer.js';

export const CZ_FILE = 'res_data.csv';

const QUOTED = new Set(['FIRMA', 'TEXTADR']);

export const writeCzRes: RegisterWriter = singleFileWriter({
  register: 'cz-res',
  file: CZ_FILE,
  header: CZ_RES_HEADER,
  // FIRMA and TEXTADR are always quoted (empty as ""), the rest as needed: values carry the quotes they need.
  quote: (v) => v,
  separator: ',',
  stream: 'cz-row',
  values,
  cut: (row) => row.replace(/,[^,]*,[^,]*\r\n$/, '\r\n'),
  lineEnd: '\r\n',
});

function values(c: Company, rng: Rng, snapshot: string): Record<string, string> {
  const a = c.address;
  const dissolved = c.status !== 'active';
  const v: Record<string, string> = dissolved && c.person !== undefined
    ? { ICO: c.id, DDATZAN: c.ceasedOn ?? '', DATPLAT: snapshot, FIRMA: '', TEXTADR: '' }
    : {
        ICO: c.id,
        OKRESLAU: `CZ0${rng.between(100, 811)}`,
        DDATVZN: c.incorporatedOn,
        DDATZAN: dissolved ? (c.ceasedOn ?? '') : '',
        ZPZAN: dissolved ? '01' : '',
        DDATPAKT: '2026-01-02',
        FORMA: c.legalForm.code,
        ROSFORMA: c.person !== undefined ? '100' : c.legalForm.code,
        KATPO: rng.pick(['000', '110', '120', '130', '210']),
        NACE: c.activity.nace.replace('.', '') + (rng.chance(0.3) ? String(rng.int(10)) : ''),
        NACE2025: '',
        ICZUJ: String(rng.between(500_000, 599_999)),
        FIRMA: c.name,
        CISS2010: c.person !== undefined ? '14100' : '11002',
        KODADM: String(rng.between(1_000_000, 99_999_999)),
        TEXTADR: '',
        PSC: a.postcode.replace(' ', ''),
        OBEC_TEXT: a.city,
        ULICE_TEXT: a.street,
        TYPCDOM: '1',
        CDOM: a.houseNumber,
        COR: rng.chance(0.5) ? String(rng.between(1, 40)) : '',
        DATPLAT: snapshot,
      };
  for (const k of Object.keys(v)) if (!QUOTED.has(k)) v[k] = minimallyQuoted(v[k] as string, ',');
  for (const k of QUOTED) v[k] = `"${(v[k] ?? '').replace(/"/g, '""')}"`;
  return v;
}

/** This register in the synthetic world (`ipreg generate`). */
export const world = nationalWorld('cz-res', writeCzRes);
