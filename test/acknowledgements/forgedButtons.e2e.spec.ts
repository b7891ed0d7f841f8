import assert from 'node:assert/strict';
import { SOMETHING_WRONG } from '../../bot/teams/createTeamsApp';
import { shown } from '../incidents/reportSteps';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';

describe('acknowledgement buttons with forged round and campaign ids (over HTTP)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    for (const m of [people.seniorDsl, people.teacher]) await h.say(m, 'help');
  });
  after(async () => h.stop());

  // Longer than a table key may be, with the characters a key may not hold, and merely unknown.
  for (const [label, id] of [['5,000 characters', 'c-'.padEnd(5000, 'x')], ['key characters', 'c-1/2#3?4\\5'], ['unknown', 'c-000000000000-r1']] as const) {
    it(`answers every acknowledgement button whose id is ${label} with a plain sentence, not an error`, async () => {
      for (const [who, verb, data] of [
        [people.teacher, 'acks.confirm', { round: id }],
        [people.teacher, 'acks.text', { round: id, part: 0 }],
        [people.seniorDsl, 'acks.progress', { round: id }],
        [people.seniorDsl, 'acks.export', { round: id, format: 'csv' }],
        [people.seniorDsl, 'acks.newRound', { campaign: id, version: '1', due: '2099-01-01' }],
      ] as const) {
        const res = await h.click(who, verb, data);
        assert.equal(res.status, 200);
        const text = shown(res);
        assert.notEqual(text, SOMETHING_WRONG, `${verb}: ${text}`);
        assert.match(text, /not addressed to you|not found/, `${verb}: ${text}`);
      }
    });
  }
});
