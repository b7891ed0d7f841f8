import assert from 'node:assert/strict';
import type sinon from 'sinon';
import { callsModule } from '../../bot/calls';
import { actionsOf, cardOf, cardText, latestCards, visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat } from '../support/teamsChannel';
import { fakeDate as schoolClock } from '../support/fakeDate';
import { call, idOf } from './callSteps';


describe('1-1 call cards kept current, and what follows a pastoral call (e2e, sinon clock)', () => {
  let h: Harness;
  let clock: sinon.SinonFakeTimers;
  beforeEach(async () => {
    clock = schoolClock('2026-11-25T10:00:00Z');
    h = await startHarness({ modules: [callsModule] });
    for (const who of [people.teacher, people.teacher2, people.seniorDsl, people.pastoralHead, people.academicHead]) await h.say(who, 'hello');
  });
  afterEach(async () => {
    await h.stop();
    clock.restore();
  });

  /** Plans a call from the form card the bot posted, as Teams does: the press replies to that card. */
  async function planFromForm(who: Member, data: Record<string, unknown>): Promise<{ id: string; cardId: string; answer: string }> {
    const form = (await h.say(who, 'plan a 1-1 call'))[0];
    const res = await h.click(who, 'call.plan', data, personalChat(who), form.id);
    return { id: idOf(res.body?.value), cardId: form.id, answer: cardText(res.body?.value) };
  }

  const cardsIn = (who: Member, id: string) => latestCards(h.connector, { conversationId: personalChat(who).id, about: new RegExp(id) });

  it("an approved call: the teacher's one card no longer asks for permission, and the request card shows the decision", async () => {
    const { id, cardId, answer } = await planFromForm(people.teacher, call({ purpose: 'academic-reason', reason: 'Coursework moderation feedback' }));
    assert.match(answer, /Get advance permission from the deputy head \(academic\)/);
    await h.click(people.academicHead, 'call.approve', { id, comment: 'Keep it to 20 minutes.' });

    const mine = cardsIn(people.teacher, id);
    assert.deepEqual(mine.map((c) => c.activityId), [cardId], "one card in the teacher's chat: the one they planned from, updated");
    const text = cardText(mine[0].card);
    assert.match(text, new RegExp(`Permission given by Nick Grant: your call ${id} can go ahead`));
    assert.doesNotMatch(text, /Get advance permission/);
    assert.match(text, /Book the call in your Teams calendar/);
    assert.deepEqual(actionsOf(mine[0].card).map((a) => a.verb), ['call.recordForm']);
    const told = h.connector.messagesIn(personalChat(people.teacher).id).at(-1)!;
    assert.equal(cardOf(told), undefined, 'the teacher is told in words, beside the updated card');
    assert.match(told.activity.text, /Permission given by Nick Grant.*"Keep it to 20 minutes\."/);
    assert.match(cardText(cardsIn(people.academicHead, id)[0].card), /Approved by Nick Grant/);
  });

  it('a pastoral call not logged a day after it was due: its teacher is reminded once, audited; a logged call is not', async () => {
    const late = await planFromForm(people.teacher, call({ kind: 'audio', purpose: 'pastoral-catch-up' }));
    const logged = await planFromForm(people.teacher2, call({ kind: 'audio', purpose: 'counselling', pupil: 'Sam Lee' }));
    const jobs = await h.lantern.services.scheduler.pending('call.log-reminder');
    // 16:00 in London on 26 November is 16:00 UTC; 24 hours on.
    assert.deepEqual(jobs.map((j) => j.due), ['2026-11-27T16:00:00.000Z', '2026-11-27T16:00:00.000Z']);

    clock.setSystemTime(Date.parse('2026-11-26T17:00:00Z'));
    await h.click(people.teacher2, 'call.record', { id: logged.id, date: '2026-11-26', time: '16:00', note: 'Spoke about exam worries.' });
    assert.deepEqual((await h.lantern.services.scheduler.pending('call.log-reminder')).map((j) => j.payload.id), [late.id], "a logged call's reminder is cancelled");

    clock.setSystemTime(Date.parse('2026-11-27T15:59:00Z'));
    assert.equal(await h.lantern.services.scheduler.runDue(), 0, 'not before it is due');
    const before = h.connector.messagesIn(personalChat(people.teacher).id).length;
    clock.setSystemTime(Date.parse('2026-11-27T16:01:00Z'));
    assert.equal(await h.lantern.services.scheduler.runDue(), 1);
    const sent = h.connector.messagesIn(personalChat(people.teacher).id).slice(before);
    assert.equal(sent.length, 1, 'one reminder');
    assert.match(sent[0].activity.text, new RegExp(`Your pastoral call ${late.id} with J\\.S\\. \\(2026-11-26, 16:00\\) is not logged yet\\. Log it and write its secure note`));
    const card = cardsIn(people.teacher, late.id);
    assert.deepEqual(card.map((c) => c.activityId), [late.cardId], 'the card the teacher planned from now says it is not logged, with its button');
    assert.match(cardText(card[0].card), /Not logged yet/);
    assert.deepEqual(actionsOf(card[0].card).map((a) => a.verb), ['call.recordForm']);

    // A scheduler retry, or a second instance, finds it sent.
    await h.lantern.services.scheduler.schedule('call.log-reminder', new Date(Date.parse('2026-11-27T16:01:00Z')), { id: late.id }, `call-log-reminder-${late.id}`);
    assert.equal(await h.lantern.services.scheduler.runDue(), 1);
    assert.equal(h.connector.messagesIn(personalChat(people.teacher).id).length, before + 1, 'never twice');
    const audit = (await h.lantern.services.audit.history('call', late.id)).map((e) => `${e.action}:${e.actor.id}`);
    assert.deepEqual(audit, ['call.planned:o.teacher@hollinspark.example.org', 'call.log-reminded:lantern']);
    assert.deepEqual((await h.lantern.services.audit.history('call', logged.id)).filter((e) => e.action === 'call.log-reminded'), []);
  });

  it('a secure note written: the DSL and the deputy head (pastoral) are told it exists, without its words, and opening it re-checks the role', async () => {
    const { id } = await planFromForm(people.teacher, call({ kind: 'audio', purpose: 'pastoral-catch-up' }));
    clock.setSystemTime(Date.parse('2026-11-26T17:00:00Z'));
    const note = 'Worried about sleep before mocks; agreed to check in next week.';
    await h.click(people.teacher, 'call.record', { id, date: '2026-11-26', time: '16:05', note });

    for (const who of [people.seniorDsl, people.pastoralHead]) {
      const notice = h.connector.messagesIn(personalChat(who).id).at(-1)!;
      assert.match(visibleText(notice), new RegExp(`Secure note written: call ${id}`));
      assert.match(visibleText(notice), /Olivia Teacher/);
      assert.doesNotMatch(JSON.stringify(notice.activity), /Worried|sleep|mocks|Jamie|Smith/, `${who.name}'s notice carries neither the note nor the pupil`);
      assert.deepEqual(actionsOf(cardOf(notice)).map((a) => [a.verb, a.data.id]), [['call.note', id]]);
    }
    assert.deepEqual(cardsIn(people.teacher2, id), [], 'nobody else is told');
    const notified = (await h.lantern.services.audit.history('call', id)).find((e) => e.action === 'call-note.notified')!;
    assert.match(notified.reason ?? '', /Daniel Khan, Emma Fisher/);
    assert.doesNotMatch(JSON.stringify(notified), /Worried/);

    clock.tick(1000);
    const opened = await h.click(people.seniorDsl, 'call.note', { id });
    assert.match(cardText(opened.body?.value), /Worried about sleep before mocks/);
    // The same button pressed by someone who is not a DSL (a forwarded card, a forged press): refused.
    clock.tick(1000);
    const refused = await h.click(people.teacher2, 'call.note', { id });
    assert.equal(refused.body?.value, 'A secure note can be read only by its author, the DSLs and the deputy head (pastoral).');
    assert.doesNotMatch(JSON.stringify(refused.body), /Worried/);
    const reads = (await h.lantern.services.audit.history('call', id)).filter((e) => e.action.startsWith('call-note.read')).map((e) => `${e.action}:${e.actor.id}`);
    assert.deepEqual(reads, ['call-note.read:dkhan', 'call-note.read-refused:s.tutor@hollinspark.example.org']);
  });
});
