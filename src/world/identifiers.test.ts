import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  brregCheckDigit,
  estonianCode,
  isBrregValid,
  isEstonianValid,
  isKboValid,
  isLeiValid,
  isLuhnValid,
  kboNumber,
  leiFrom,
  sirenFrom,
} from './identifiers.js';

describe('register identifiers', () => {
  it('agree with real published identifiers', () => {
    expect(isLuhnValid('016750697')).toBe(true); // a SIREN from the 2026 SIRENE sample
    expect(isBrregValid('810034882')).toBe(true); // Brreg enheter sample
    expect(isKboValid('0200.065.765')).toBe(true); // KBO enterprise sample
    expect(isKboValid('2.000.000.339')).toBe(true); // KBO establishment sample
    expect(isEstonianValid('12652512')).toBe(true); // Estonian sample
    expect(isLeiValid('529900W18LQJJN6SJ336')).toBe(true); // GLEIF API export sample
    expect(isLeiValid('001GPB6A9XPE8XJICC14')).toBe(true); // GLEIF golden copy sample
  });

  it('reject one changed digit', () => {
    expect(isLuhnValid('016750698')).toBe(false);
    expect(isBrregValid('810034883')).toBe(false);
    expect(isKboValid('0200.065.766')).toBe(false);
    expect(isEstonianValid('12652513')).toBe(false);
    expect(isLeiValid('529900W18LQJJN6SJ337')).toBe(false);
  });

  it('every generated identifier passes its own check (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), (base) => {
        expect(isLuhnValid(sirenFrom(base))).toBe(true);
        expect(isKboValid(kboNumber(base, base % 2 === 0 ? 'enterprise' : 'establishment'))).toBe(true);
        expect(isEstonianValid(estonianCode(base % 10_000_000))).toBe(true);
        const b8 = String(base).padStart(8, '0');
        const check = brregCheckDigit(b8);
        if (check !== undefined) expect(isBrregValid(b8 + check)).toBe(true);
      }),
    );
    fc.assert(fc.property(fc.stringMatching(/^[0-9A-Z]{18}$/), (body) => isLeiValid(leiFrom(body))));
  });
});
