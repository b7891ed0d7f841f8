import assert from 'node:assert/strict';
import sinon from 'sinon';
import { policyModule } from '../../bot/policy';
import { QuestionLog } from '../../bot/policy/questionLog';
import { SOMETHING_WRONG } from '../../bot/teams/createTeamsApp';
import { actionsOf, cardOf, cardText } from '../support/cards';
import { startHarness, type Harness, type InvokeResult } from '../support/harness';
import { people } from '../support/people';

const shown = (res: InvokeResult) => (typeof res.body?.value === 'string' ? res.body.value : cardText(res.body?.value));

/**
 * Two presses on the same question at once: each reads the question before either writes, so
 * exactly one write holds the ETag that was read. Holds the first two reads until both are made;
 * later reads go straight through.
 */
function bothReadFirst() {
  const get = QuestionLog.prototype.get;
  const waiting: Array<() => void> = [];
  sinon.stub(QuestionLog.prototype, 'get').callsFake(async function (this: QuestionLog, id: string) {
    const read = await get.call(this, id);
    if (waiting.length >= 2) return read;
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length === 2) for (const go of waiting) go();
    });
    return read;
  });
}

describe('policy card presses at the same moment (over HTTP)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [policyModule] });
    await h.say(people.seniorDsl, 'help');
  });
  afterEach(async () => {
    sinon.restore();
    await h.stop();
  });

  it('rates an answer once when "Not helpful" and "Helpful" are pressed together; the other press is told, not given an error', async () => {
    const card = cardOf((await h.say(people.teacher, 'usb memory stick allowed?'))[0]);
    const [helpful, unhelpful] = ['Helpful', 'Not helpful'].map((t) => actionsOf(card).find((a) => a.title === t)!);
    bothReadFirst();
    const answers = (await Promise.all([h.click(people.teacher, helpful.verb, helpful.data), h.click(people.teacher, unhelpful.verb, unhelpful.data)])).map(shown);
    assert.ok(answers.every((a) => a !== SOMETHING_WRONG), answers.join('\n====\n'));
    assert.equal(answers.filter((a) => /already rated/.test(a)).length, 1, answers.join('\n====\n'));
    sinon.restore();
    const rated = (await new QuestionLog(h.lantern.services.tables).recent()).filter((q) => q.feedback);
    assert.equal(rated.length, 1);
    const events = (await h.lantern.services.audit.history('policy-question', rated[0].id)).filter((e) => e.action === 'policy.feedback');
    assert.equal(events.length, 1);
  });

  it('passes a question on once when "Ask the lead" is pressed twice at once; the other press sees where it went', async () => {
    const none = cardOf((await h.say(people.teacher, 'Can the school choir sing at the Christmas market?'))[0]);
    const escalate = actionsOf(none).find((a) => a.verb === 'policy.escalate')!;
    const leadChat = `a:personal-${people.seniorDsl.aadObjectId}`;
    const before = h.connector.messagesIn(leadChat).length;
    bothReadFirst();
    const answers = (await Promise.all([h.click(people.teacher, escalate.verb, escalate.data), h.click(people.teacher, escalate.verb, escalate.data)])).map(shown);
    assert.ok(answers.every((a) => a !== SOMETHING_WRONG), answers.join('\n====\n'));
    assert.ok(answers.every((a) => /Daniel Khan/.test(a)), answers.join('\n====\n'));
    assert.equal(h.connector.messagesIn(leadChat).length - before, 1, 'the lead gets the question once');
  });

  it('records one choice when two "Do you mean…" rules are pressed together; the other press is told', async () => {
    const ask = cardOf((await h.say(people.teacher, 'can i post pics of kids on insta'))[0]);
    const [a, b] = actionsOf(ask).filter((x) => x.verb === 'policy.choose');
    bothReadFirst();
    const answers = (await Promise.all([h.click(people.teacher, a.verb, a.data), h.click(people.teacher, b.verb, b.data)])).map(shown);
    assert.ok(answers.every((x) => x !== SOMETHING_WRONG), answers.join('\n====\n'));
    assert.equal(answers.filter((x) => /already chosen/.test(x)).length, 1, answers.join('\n====\n'));
  });
});

describe('policy "None of these" pressed again (over HTTP)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ modules: [policyModule] });
  });
  after(async () => h.stop());

  it('records the choice once: a second press shows the same card and adds nothing to the question or its audit trail', async () => {
    const ask = cardOf((await h.say(people.teacher, 'can i post pics of kids on insta'))[0]);
    const none = actionsOf(ask).find((b) => b.title === 'None of these')!;
    const first = await h.click(people.teacher, none.verb, none.data);
    const [q] = await new QuestionLog(h.lantern.services.tables).recent();
    const stored = await new QuestionLog(h.lantern.services.tables).get(q.id);
    const again = await h.click(people.teacher, none.verb, none.data);
    assert.equal(shown(again), shown(first));
    assert.equal((await new QuestionLog(h.lantern.services.tables).get(q.id))!.etag, stored!.etag, 'the question is not written again');
    const choices = (await h.lantern.services.audit.history('policy-question', q.id)).filter((e) => e.action === 'policy.choice');
    assert.equal(choices.length, 1);
  });
});
