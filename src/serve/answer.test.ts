import { describe, expect, it } from 'vitest';
import { openIndex } from '../index-file/read.js';
import { goodFile, SOURCE } from '../../test/index-cases/cases.js';
import { AnswerBuild } from './answer.js';

describe('AnswerBuild', () => {
  it('gives the same JSON as the answer object, never the address, however small its text cache', () => {
    const reader = openIndex(goodFile());
    for (const kept of [1, 2, 1000]) {
      const answers = new AnswerBuild(reader, kept);
      for (let pass = 0; pass < 2; pass++) {
        for (const { ip } of SOURCE.lookups) {
          const id = reader.lookupId(ip);
          expect(JSON.parse(answers.json(id))).toEqual(JSON.parse(JSON.stringify(answers.answer(id))));
          const { build_id: _id, ...item } = answers.answer(id);
          expect(JSON.parse(answers.item(id))).toEqual(JSON.parse(JSON.stringify(item)));
          expect(answers.json(id)).not.toContain(ip);
        }
      }
    }
  });
});
