/**
 * Register identifiers with their real check digits: SIREN (Luhn), Brønnøysund organisation numbers
 * (mod 11), KBO/BCE numbers (97 − n mod 97), Estonian registry codes (mod 11, two weight sets) and LEIs
 * (ISO 17442, ISO 7064 mod 97-10), Latvian registration numbers (Σ wᵢ·dᵢ ≡ 3 mod 11). The parsers
 * validate the same rules.
 */

/** The Luhn check digit that completes `digits`. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the digit string passes the Luhn check. */
export function isLuhnValid(digits: string): boolean {
  return /^\d+$/.test(digits) && luhnCheckDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

/** A SIREN (9 digits) from an 8-digit base. */
export function sirenFrom(base: number): string {
  const body = String(base).padStart(8, '0');
  return body + luhnCheckDigit(body);
}

const BRREG_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];

/** The mod-11 check digit of an 8-digit Brønnøysund base, or undefined where none exists (remainder 1). */
export function brregCheckDigit(base8: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (base8.charCodeAt(i) - 48) * (BRREG_WEIGHTS[i] as number);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

/** True when a 9-digit organisation number passes the mod-11 check. */
export function isBrregValid(orgnr: string): boolean {
  return /^\d{9}$/.test(orgnr) && brregCheckDigit(orgnr.slice(0, 8)) === Number(orgnr[8]);
}

/** A KBO/BCE number (enterprise "0xxx.xxx.xxx" or establishment "2.xxx.xxx.xxx") from its 8-digit base. */
export function kboNumber(base8: number, kind: 'enterprise' | 'establishment'): string {
  const check = 97 - (base8 % 97);
  const digits = String(base8).padStart(8, '0') + String(check).padStart(2, '0');
  return kind === 'enterprise'
    ? `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`
    : `${digits.slice(0, 1)}.${digits.slice(1, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`;
}

/** True when a KBO/BCE number (with or without dots) passes its mod-97 check. */
export function isKboValid(number: string): boolean {
  const digits = number.replace(/\./g, '');
  return /^\d{10}$/.test(digits) && 97 - (Number(digits.slice(0, 8)) % 97) === Number(digits.slice(8));
}

/** The check digit of a 7-digit Estonian registry-code base (weights 1–7, then 3–9, else 0). */
export function estonianCheckDigit(base7: string): number {
  const weighted = (weights: number[]) =>
    [...base7].reduce((sum, c, i) => sum + (c.charCodeAt(0) - 48) * (weights[i] as number), 0) % 11;
  const first = weighted([1, 2, 3, 4, 5, 6, 7]);
  if (first < 10) return first;
  const second = weighted([3, 4, 5, 6, 7, 8, 9]);
  return second < 10 ? second : 0;
}

/** An 8-digit Estonian registry code from a 7-digit base. */
export function estonianCode(base7: number): string {
  const body = String(base7).padStart(7, '0');
  return body + estonianCheckDigit(body);
}

/** True when an Estonian registry code passes its check. */
export function isEstonianValid(code: string): boolean {
  return /^\d{8}$/.test(code) && estonianCheckDigit(code.slice(0, 7)) === Number(code[7]);
}

const FINNISH_WEIGHTS = [7, 9, 10, 5, 8, 4, 2];

/** The check digit of a 7-digit Finnish business ID base (Σ wᵢ·dᵢ mod 11: 0 gives 0, 1 none, r gives 11 − r). */
export function finnishCheckDigit(base7: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += (base7.charCodeAt(i) - 48) * (FINNISH_WEIGHTS[i] as number);
  const r = sum % 11;
  return r === 0 ? 0 : r === 1 ? undefined : 11 - r;
}

/** The check digit of a 7-digit Czech IČO base: (11 − Σ wᵢ·dᵢ mod 11) mod 10, w = 8 … 2. */
export function czechCheckDigit(base7: string): number {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += (base7.charCodeAt(i) - 48) * (8 - i);
  return (11 - (sum % 11)) % 10;
}

const LATVIAN_WEIGHTS = [9, 1, 4, 8, 3, 10, 2, 5, 7, 6];

/** The last digit of a Latvian registration number from its first ten (Σ wᵢ·dᵢ + d₁₁ ≡ 3 mod 11), or undefined where none exists. */
export function latvianCheckDigit(base10: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (base10.charCodeAt(i) - 48) * (LATVIAN_WEIGHTS[i] as number);
  const check = (((3 - sum) % 11) + 11) % 11;
  return check === 10 ? undefined : check;
}

/** True when an 11-digit Latvian registration number passes its check. */
export function isLatvianValid(code: string): boolean {
  return /^\d{11}$/.test(code) && latvianCheckDigit(code.slice(0, 10)) === Number(code[10]);
}

function mod97(alphanumeric: string): number {
  let remainder = 0;
  for (const c of alphanumeric) {
    const value = c >= 'A' ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 48;
    remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder;
}

/** A 20-character LEI from its first 18 characters (ISO 7064 mod 97-10 check digits). */
export function leiFrom(first18: string): string {
  const check = 98 - mod97(`${first18}00`);
  return first18 + String(check).padStart(2, '0');
}

/** True when a LEI is 20 characters of [0-9A-Z] whose mod 97 is 1. */
export function isLeiValid(lei: string): boolean {
  return /^[0-9A-Z]{18}[0-9]{2}$/.test(lei) && mod97(lei) === 1;
}
