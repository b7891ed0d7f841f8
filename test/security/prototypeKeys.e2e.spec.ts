import assert from 'node:assert/strict';
import type sinon from 'sinon';
import { SOMETHING_WRONG } from '../../bot/teams/createTeamsApp';
import { cardText, visibleText } from '../support/cards';
import { fakeDate } from '../support/fakeDate';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';

import { LEAKED, PROTOTYPE_WORDS } from './hostileText';

const session = (over: Record<string, unknown> = {}) => ({ id: '', group: '9B', date: '2026-11-25', time: '08:45', mode: 'in-person', attended: 24, absentees: '', topic: 'Anti-bullying week', concern: 'false', ...over });

describe('security: toString, constructor, __proto__ and hasOwnProperty are plain text (e2e)', function () {
  this.timeout(60_000);
  let h: Harness;
  let clock: sinon.SinonFakeTimers;
  before(async () => {
    clock = fakeDate('2026-11-25T10:00:00Z');
    h = await startHarness();
  });
  after(async () => {
    await h?.stop();
    clock?.restore();
  });

  for (const word of PROTOTYPE_WORDS) {
    it(`refuses tutor log mode "${word}" with the field's own message, and stores nothing`, async () => {
      const res = await h.click(people.teacher, 'tutor.save', session({ mode: word }));
      assert.equal(res.status, 200);
      const text = cardText(res.body?.value);
      assert.match(text, /Choose in person, video on Teams or audio/);
      assert.doesNotMatch(text, LEAKED);
    });
  }

  it('logs a session whose topic and absentees are those words, and shows them literally', async () => {
    const res = await h.click(people.teacher, 'tutor.save', session({ topic: 'constructor __proto__ toString', absentees: 'hasOwnProperty', attended: '' }));
    const text = cardText(res.body?.value);
    assert.match(text, /Logged: 9B tutor session/);
    const week = visibleText((await h.say(people.pastoralHead, 'tutor log week'))[0]);
    assert.doesNotMatch(week, LEAKED);
  });

  it('answers "Can pupils use the constructor-kit website in DT?" as a policy question, not "something went wrong"', async () => {
    const text = (await h.say(people.teacher, 'Can pupils use the constructor-kit website in DT?')).map(visibleText).join('\n');
    assert.ok(text.length > 0);
    assert.ok(!text.includes(SOMETHING_WRONG), text);
    assert.doesNotMatch(text, LEAKED);
  });

  for (const word of PROTOTYPE_WORDS) {
    for (const message of [word, `help ${word}`, `report ${word}`, `what does the policy say about ${word}?`, `away ${word}`, `unblock ${word}`]) {
      it(`answers the message "${message}" without an error or leaked internals`, async () => {
        const text = (await h.say(people.teacher, message)).map(visibleText).join('\n');
        assert.ok(!text.includes(SOMETHING_WRONG), text);
        assert.doesNotMatch(text, LEAKED);
      });
    }
  }

  it('answers every card verb with every data field set to those words: HTTP 200, no error, nothing leaked', async () => {
    const verbs = h.lantern.capabilities.flatMap((c) => Object.keys(c.actions ?? {}));
    const fields = ['reference', 'step', 'id', 'url', 'category', 'mode', 'group', 'status', 'section', 'verb', 'kind', 'outcome', 'note', 'reason', 'to', 'person', 'answer'];
    assert.ok(verbs.length > 20, `${verbs.length} verbs`);
    for (const verb of verbs) {
      for (const word of PROTOTYPE_WORDS) {
        const data = Object.fromEntries(fields.map((f) => [f, word]));
        const res = await h.click(people.seniorDsl, verb, data);
        assert.equal(res.status, 200, `${verb} ${word}`);
        const shown = res.body?.type === 'application/vnd.microsoft.card.adaptive' ? cardText(res.body.value) : String(res.body?.value);
        assert.ok(!shown.includes(SOMETHING_WRONG), `${verb} ${word}: ${shown}`);
        assert.doesNotMatch(shown, LEAKED, `${verb} ${word}`);
      }
    }
  });
});
