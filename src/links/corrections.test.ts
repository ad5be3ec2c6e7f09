import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeLocalStore, type TestStore } from '../../test/support/test-stores.js';
import { CORRECTIONS_KEY } from '../lake/paths.js';
import { formatCorrections, parseCorrections, readCorrections, updateCorrections, type Correction } from './corrections.js';

const correction = fc.record({
  by: fc.constantFrom('org' as const, 'register' as const),
  value: fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/),
  class: fc.constantFrom('business', 'isp', 'hosting', 'mobile', 'education', 'government', 'unknown'),
  // Commas, quotes and spaces inside: the CSV quoting must keep them.
  reason: fc.string({ minLength: 1, maxLength: 40 }).filter((r) => r.trim() !== '' && !/[\r\n]/.test(r)).map((r) => r.trim()),
}).map((c): Correction => (c.by === 'register' ? { ...c, value: `gb-companies-house:${c.value}` } : c));

describe('class corrections', () => {
  it('reads back what it writes, quotes and commas in reasons included (property)', () => {
    // One line per thing corrected (a second one is refused): unique by kind and value, in any case.
    fc.assert(fc.property(fc.uniqueArray(correction, { maxLength: 8, selector: (c) => `${c.by} ${c.value.toLowerCase()}` }), (list) => {
      expect(parseCorrections(formatCorrections(list))).toEqual(list);
    }));
  });

  it('names the line, the field and the value of a bad correction', () => {
    const file = (line: string) => `by,value,class,reason\n${line}\n`;
    expect(() => parseCorrections('range,value\n')).toThrow('corrections/classes.csv line 1: the header is "range,value", not "by,value,class,reason"');
    expect(() => parseCorrections(file('org,ORG-X,telco,why'))).toThrow('line 2: class "telco" is not one of unknown, business, isp, hosting, mobile, education, government');
    expect(() => parseCorrections(file('asn,64500,isp,why'))).toThrow('line 2: by "asn" is not one of range, org, register');
    expect(() => parseCorrections(file('org,ORG-X,isp,'))).toThrow('line 2: reason is empty');
    expect(() => parseCorrections(file('register,01234567,isp,why'))).toThrow('line 2: value "01234567" is not register:register_id');
    expect(() => parseCorrections(file('range,2001:db8::/129,isp,why'))).toThrow('line 2: value "2001:db8::/129" is not an address range (prefix longer than 128)');
    expect(() => parseCorrections(file('org,ORG-X,isp'))).toThrow('line 2: 3 fields, not 4');
    expect(() => parseCorrections(file('org,"ORG-X,isp,why'))).toThrow('line 2: a quoted field is not closed');
    expect(() => parseCorrections(`by,value,class,reason\norg,ORG-X,isp,why\norg,org-x,hosting,other\n`)).toThrow('line 3: org "org-x" is corrected on line 2 already');
    expect(parseCorrections(file('range,192.0.2.0 - 192.0.2.255,hosting,a data centre'))).toEqual([{ by: 'range', value: '192.0.2.0 - 192.0.2.255', class: 'hosting', reason: 'a data centre' }]);
  });

  describe('in the lake', () => {
    let t: TestStore;
    beforeEach(async () => {
      t = await makeLocalStore();
    });
    afterEach(async () => {
      await t.dispose();
    });

    it('keeps every change of writers that update the list at once, and writes nothing for a change that changes nothing', async () => {
      expect(await updateCorrections(t.store, (list) => list)).toEqual([]);
      expect(await t.store.head(CORRECTIONS_KEY)).toBeUndefined();
      const add = (value: string) => updateCorrections(t.store, (list) => [...list, { by: 'org', value, class: 'isp', reason: 'test' }]);
      await Promise.all(['ORG-A', 'ORG-B', 'ORG-C', 'ORG-D'].map(add));
      expect((await readCorrections(t.store)).list.map((c) => c.value).sort()).toEqual(['ORG-A', 'ORG-B', 'ORG-C', 'ORG-D']);
    });
  });
});
