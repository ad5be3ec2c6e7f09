/**
 * The real labelled set (fixtures/real-classes): its shape, so that what the class evaluation reads is
 * sound — every class and every RIR region present, one line per network, each label with its reason.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitCsvLine } from '../formats/csv-line.js';

const CLASSES = ['isp', 'mobile', 'hosting', 'education', 'government', 'business'];
const REGIONS = ['afrinic', 'apnic', 'arin', 'lacnic', 'ripe'];

describe('the real labelled set', () => {
  const [header, ...cases] = readFileSync(new URL('fixtures/real-classes/cases.csv', import.meta.url), 'utf8').trimEnd().split('\n').map((line) => splitCsvLine(line));

  it('has one sound line per network, every class and region, and a reason for each label', () => {
    expect(header).toEqual(['asn', 'as_name', 'rir', 'country', 'class', 'reason']);
    expect(cases.length).toBeGreaterThanOrEqual(400);
    for (const c of cases) {
      const [asn, name, rir, country, klass, reason] = c as [string, string, string, string, string, string];
      expect({ row: c, ok: /^\d+$/.test(asn) && name.trim() !== '' && REGIONS.includes(rir) && /^[A-Z]{2}$/.test(country) && CLASSES.includes(klass) && reason.length >= 5 }).toEqual({ row: c, ok: true });
    }
    expect(new Set(cases.map((c) => c[0])).size).toBe(cases.length);
    for (const klass of CLASSES) expect(cases.filter((c) => c[4] === klass).length, klass).toBeGreaterThanOrEqual(20);
    for (const rir of REGIONS) expect(cases.filter((c) => c[2] === rir).length, rir).toBeGreaterThanOrEqual(30);
  });
});
