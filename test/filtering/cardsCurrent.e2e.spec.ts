import assert from 'node:assert/strict';
import { ukDate } from '../../bot/calendar/ukFormat';
import type sinon from 'sinon';
import { actionsOf, cardText, latestCards } from '../support/cards';
import { fakeDate } from '../support/fakeDate';
import type { Member } from '../support/fakeConnector';
import type { Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat } from '../support/teamsChannel';
import { notYours } from '../../bot/filtering/refusals';
import { act, cardBody, completeChain, configWith, filteringHarness, formData, IT_CHANNEL, messageOf, postedCards, stored } from './helpers';

/** Sends a request from the form card Lantern posted, as Teams does: the presses reply to that card. */
async function sendFromForm(h: Harness, user: Member, overrides: Record<string, string> = {}): Promise<{ reference: string; formId: string }> {
  const form = (await h.say(user, 'request a filter change'))[0];
  await h.click(user, 'filter.preview', formData(overrides), personalChat(user), form.id);
  const sent = cardText(cardBody(await h.click(user, 'filter.send', {}, personalChat(user), form.id)));
  const reference = /Request (FLT-\d{4}-\d{4}) sent/.exec(sent)?.[1];
  assert.ok(reference, sent);
  return { reference, formId: form.id };
}

describe('every posted card of a filter request stays current (e2e over HTTP)', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('driven to its end: every card, in every place, shows the final state, and each place holds one card of the request', async () => {
    h = await filteringHarness();
    const { reference, formId } = await sendFromForm(h, people.teacher);
    await completeChain(h, reference);
    const request = await stored(h, reference);
    assert.equal(request.status, 'in-force');

    const cards = latestCards(h.connector, { about: new RegExp(reference) });
    const places = cards.map((c) => c.conversationId);
    assert.deepEqual([...places].sort(), [...new Set(places)].sort(), 'one card of the request per place');
    assert.deepEqual(
      [...places].sort(),
      [IT_CHANNEL.id, ...[people.teacher, people.seniorDsl, people.pastoralHead].map((m) => personalChat(m).id)].sort(),
      'the IT channel, the requester, the DSL and the deputy head (pastoral)',
    );
    for (const c of cards) {
      const text = cardText(c.card);
      assert.match(text, new RegExp(`Done: in force, review by ${ukDate(request.reviewDate ?? "")}`), `the card in ${c.conversationId} shows the final state`);
      assert.doesNotMatch(text, /Waiting for/, `the card in ${c.conversationId} waits for nobody`);
      assert.deepEqual(actionsOf(c.card).filter((a) => a.verb === 'filter.approve' || a.verb === 'filter.decline'), [], `no step buttons left in ${c.conversationId}`);
    }
    const receipt = cards.find((c) => c.conversationId === personalChat(people.teacher).id)!;
    assert.equal(receipt.activityId, formId, "the requester's receipt is the card they sent it from, updated");
    assert.match(cardText(receipt.card), new RegExp(`Request ${reference} sent`));

    const kept = await postedCards(h, reference);
    assert.deepEqual(kept.map((c) => c.view).sort(), ['receipt', 'step', 'step', 'step']);
    assert.deepEqual(kept.filter((c) => c.gone), []);
  });

  describe('with Teams failing or the card deleted', () => {
    let clock: sinon.SinonFakeTimers;
    afterEach(() => clock?.restore());

    it('a card someone deleted is recorded and replaced by a new one when next needed; an update Teams refuses is retried through the outbox', async () => {
      clock = fakeDate('2026-11-23T09:00:00Z');
      h = await filteringHarness();
      const { reference, formId } = await sendFromForm(h, people.teacher);
      const dslCard = (await postedCards(h, reference)).find((c) => c.part === 'sanction')!;
      assert.match(cardText(cardBody(await act(h, people.seniorDsl, 'filter.approve', reference, 'sanction'))), /Sanctioned/);

      h.connector.deleted.add(dslCard.posted.activityId);
      h.connector.failingUpdates.add(formId);
      assert.match(cardText(cardBody(await act(h, people.itManager, 'filter.approve', reference, 'authorise'))), /Authorised\. Thank you/, 'the step stands whatever Teams does');
      const afterAuthorise = await postedCards(h, reference);
      assert.ok(afterAuthorise.find((c) => c.posted.activityId === dslCard.posted.activityId)?.gone, 'the deleted card is recorded as gone');
      const retries = await h.lantern.services.scheduler.pending('cards.filter');
      assert.equal(retries.length, 1, 'the refused update waits in the outbox');

      // Teams answers again: the scheduler's retry brings the receipt up to date.
      h.connector.failingUpdates.clear();
      clock.tick(31_000);
      assert.equal(await h.lantern.services.scheduler.runDue(), 1);
      const receipt = latestCards(h.connector, { conversationId: personalChat(people.teacher).id, about: new RegExp(reference) });
      assert.match(cardText(receipt[0].card), /Status: Waiting for IT to make the change/);
      assert.deepEqual(await h.lantern.services.scheduler.pending('cards.filter'), []);

      // The confirm step reaches the DSL again with a new card, since the old one is gone.
      await act(h, people.technician, 'filter.approve', reference, 'make', { filterReference: 'SW-1' });
      const dslNow = latestCards(h.connector, { conversationId: personalChat(people.seniorDsl).id, about: new RegExp(reference) });
      const live = dslNow.filter((c) => c.activityId !== dslCard.posted.activityId);
      assert.equal(live.length, 1);
      assert.match(cardText(live[0].card), /Waiting for the DSL or deputy head to confirm/);
    });
  });

  describe('a step whose only holder is the requester', () => {
    it('the IT manager\'s own request goes to the configured alternate, who alone may authorise it', async () => {
      h = await filteringHarness({ env: { SCHOOL_CONFIG: await configWith('  alternates: { authorise: hbrook }') } });
      await h.say(people.head, 'help');
      const { reference } = await sendFromForm(h, people.itManager);
      await act(h, people.seniorDsl, 'filter.approve', reference, 'sanction');

      const headCards = latestCards(h.connector, { conversationId: personalChat(people.head).id, about: new RegExp(reference) });
      assert.equal(headCards.length, 1, 'the alternate gets the authorise card 1:1');
      assert.ok(actionsOf(headCards[0].card).some((a) => a.verb === 'filter.approve' && a.data.step === 'authorise'));
      assert.deepEqual(latestCards(h.connector, { conversationId: IT_CHANNEL.id, about: new RegExp(reference) }), [], 'not the IT channel, where nobody could authorise it');

      assert.match(cardText(cardBody(await act(h, people.itManager, 'filter.approve', reference, 'authorise'))), /You made request .* so someone else must act on it/);
      assert.equal(messageOf(await act(h, people.technician, 'filter.approve', reference, 'authorise')), notYours(reference), 'technicians still cannot, and learn nothing');
      assert.match(cardText(cardBody(await act(h, people.head, 'filter.approve', reference, 'authorise'))), /Authorised\. Thank you/);
      const request = await stored(h, reference);
      assert.equal(request.step, 'make');
      assert.equal(request.history.at(-1)!.by.id, 'hbrook');
      const audit = await h.lantern.services.audit.history('filter-request', reference);
      assert.deepEqual(audit.filter((e) => e.action === 'filter.authorised').map((e) => e.actor.id), ['hbrook']);
      assert.match(cardText(latestCards(h.connector, { conversationId: IT_CHANNEL.id, about: new RegExp(reference) })[0].card), /Waiting for IT to make the change/);
    });

    it('with no alternate configured, the request is refused when checked, saying why and which setting would fix it', async () => {
      h = await filteringHarness();
      const answer = await h.click(people.itManager, 'filter.preview', formData());
      assert.match(String(answer.body?.value), /Nobody but you could authorise this request: you are the IT manager/);
      assert.match(String(answer.body?.value), /filtering\.alternates\.authorise/);
      const audit = await h.lantern.services.audit.history('filter-request', 'website:example-history.org/holocaust/sources');
      assert.deepEqual(audit.map((e) => e.action), ['filter.refused']);
    });

    it('refuses to start with an alternate who is not in the roster, naming the field', async () => {
      const file = await configWith('  alternates: { authorise: nobody-here }');
      await assert.rejects(filteringHarness({ env: { SCHOOL_CONFIG: file } }), /filtering\.alternates\.authorise: "nobody-here" is not the id of anyone under people/);
    });
  });
});
