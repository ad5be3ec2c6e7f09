/**
 * The class lists kept as data: the built-in files parse, a bad line is refused naming the file, line,
 * field and value, and the patterns made of them match whole words, stems and unspaced scripts as
 * DuckDB's RE2 runs them.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../lake/duckdb.js';
import { sqlString } from '../lake/sql.js';
import { builtinClassWords, builtinIndustryClasses, builtinOperators, classWordsSql, NETWORK_CLASSES, parseClassWords, parseIndustryClasses, parseOperators, spacedNameSql, type ClassWords } from './class-data.js';

const WORDS_HEADER = 'class,language,kind,text,note';
const OPERATORS_HEADER = 'by,value,class,established';

describe('the class lists', () => {
  it('ship words in at least twenty languages for every class a name can say, and operators with where each was established', () => {
    const words = builtinClassWords();
    for (const klass of ['isp', 'mobile', 'hosting', 'education', 'government'] as const) expect(words.some((w) => w.class === klass), klass).toBe(true);
    expect(new Set(words.map((w) => w.language)).size).toBeGreaterThanOrEqual(20);
    const operators = builtinOperators();
    expect(operators.length).toBeGreaterThan(50);
    for (const o of operators) expect(NETWORK_CLASSES).toContain(o.class);
  });

  it('refuses a bad line, naming the file, the line and the value', () => {
    const words = (line: string) => parseClassWords(`${WORDS_HEADER}\n${line}\n`, 'words.csv');
    expect(() => parseClassWords('class,text\n', 'words.csv')).toThrow('words.csv line 1: the header is "class,text", not "class,language,kind,text,note"');
    expect(() => words('telco,en,word,telecom,why')).toThrow('words.csv line 2: class "telco" is not one of isp, mobile, hosting, education, government, business');
    expect(() => words('isp,en,prefix,telecom,why')).toThrow('words.csv line 2: kind "prefix" is not one of word, stem, substring');
    expect(() => words('isp,en,word,telecom||tel,why')).toThrow('words.csv line 2: text "telecom||tel" has an empty alternative');
    expect(() => words('isp,en,word,tele(com,why')).toThrow('words.csv line 2: text "tele(com" is not a regular expression');
    expect(() => words('isp,en,word,telecom')).toThrow('words.csv line 2: 4 fields, not 5');
    const operators = (lines: string) => parseOperators(`${OPERATORS_HEADER}\n${lines}\n`, 'ops.csv');
    expect(() => operators('asn,ASX1,isp,why')).toThrow('ops.csv line 2: value "ASX1" is not an AS number');
    expect(() => operators('domain,example.com,isp,why')).toThrow('ops.csv line 2: by "domain" is not one of asn, org, name');
    expect(() => operators('name,acme,isp,')).toThrow('ops.csv line 2: say where the class was established');
    expect(() => operators('asn,AS64500,isp,why\nasn,64500,hosting,other')).toThrow('ops.csv line 3: asn "64500" is listed on line 2 already');
    expect(() => operators('org,org-x1-ripe,isp,why\norg,ORG-X1-RIPE,isp,other')).toThrow('ops.csv line 3: org "ORG-X1-RIPE" is listed on line 2 already');
    expect(operators('asn,AS64500,mobile,"a mobile operator, by its site"')).toEqual([{ by: 'asn', value: '64500', class: 'mobile', established: 'a mobile operator, by its site', line: 2 }]);
  });

  it('maps NACE Rev. 2 codes to classes, refusing a code that is none', () => {
    expect(builtinIndustryClasses().map((m) => [m.nace, m.class])).toEqual(expect.arrayContaining([['61', 'isp'], ['61.20', 'mobile'], ['63.11', 'hosting']]));
    const map = (line: string) => parseIndustryClasses(`nace,class,title\n${line}\n`, 'industry.csv');
    expect(() => map('6110,isp,wired')).toThrow('industry.csv line 2: nace "6110" is not a NACE Rev. 2 division or class (61, 61.2, 61.20)');
    expect(() => map('61,telco,wired')).toThrow('industry.csv line 2: class "telco" is not one of');
    expect(() => map('61,isp,')).toThrow('industry.csv line 2: the title (where the code\'s meaning comes from) is empty');
  });

  describe('as patterns in DuckDB', () => {
    let duck: DuckDBConnection;
    beforeAll(async () => {
      duck = await openDuckDb();
    });
    afterAll(() => duck.closeSync());
    const classOf = async (name: string, words: readonly ClassWords[]) =>
      ((await duck.runAndReadAll(`SELECT ${classWordsSql(spacedNameSql(sqlString(name)), words, ['government', 'business', 'education', 'mobile', 'hosting', 'isp'])}`)).getRows()[0]?.[0] ?? null) as string | null;
    const list = (lines: string[]) => parseClassWords(`${WORDS_HEADER}\n${lines.join('\n')}\n`, 'test.csv');

    it('matches a word only whole, a stem at a word start, an unspaced script anywhere, after folding case and accents', async () => {
      const words = list(['isp,en,word,tel,test', 'education,de,stem,universit,test', 'mobile,zh,substring,移动,test']);
      expect(await classOf('Hotel Tel-Aviv', words)).toBe('isp|words-isp|en');
      expect(await classOf('Grand Hotel', words)).toBeNull();
      expect(await classOf('UNIVERSITÄT Wien', words)).toBe('education|words-education|de');
      expect(await classOf('Pluriversität', words)).toBeNull();
      expect(await classOf('中国移动通信', words)).toBe('mobile|words-mobile|zh');
    });

    it('takes the classes in the order given: a ministry of education is a ministry, a city named College Station a city', async () => {
      const words = builtinClassWords();
      expect(await classOf('Ministry of Education', words)).toMatch(/^government\|/);
      expect(await classOf('City of College Station', words)).toMatch(/^government\|/);
      expect(await classOf('American College of Cardiology', words)).toMatch(/^business\|/);
      expect(await classOf('Universidade Federal do Rio Grande do Sul', words)).toBe('education|words-education|pt');
      expect(await classOf('Министерство связи', words)).toMatch(/^government\|/);
    });

    it('never matches a word inside a longer word (property)', async () => {
      const words = list(['isp,en,word,tel,test']);
      await fc.assert(
        fc.asyncProperty(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z]{0,6}$/), async (before, after) => {
          expect(await classOf(`${before}tel${after}`, words)).toBeNull();
        }),
        { numRuns: 40 },
      );
    });
  });
});
