import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repairMojibake } from './mojibake.js';

describe('repairMojibake', () => {
  it('undoes UTF-8 read as latin-1 and leaves real latin-1 alone', () => {
    expect(repairMojibake('MÃ¼nchen')).toBe('München');
    expect(repairMojibake('SociÃ©tÃ© GÃ©nÃ©rale')).toBe('Société Générale');
    expect(repairMojibake('Société Générale')).toBe('Société Générale');
    expect(repairMojibake('Bråten & Sæther AS')).toBe('Bråten & Sæther AS');
    expect(repairMojibake('plain ascii')).toBe('plain ascii');
  });

  it('round-trips any text through the mojibake and back, U+FFFD included (property)', () => {
    expect(repairMojibake(Buffer.from('\ufffd', 'utf8').toString('latin1'))).toBe('\ufffd');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (text) => {
        const broken = Buffer.from(text, 'utf8').toString('latin1');
        return repairMojibake(broken) === text;
      }),
      { numRuns: 1000 },
    );
  });
});
