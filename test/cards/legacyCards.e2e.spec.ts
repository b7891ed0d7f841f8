import assert from 'node:assert/strict';
import { forgetPostedCards, listPostedCards } from '../../bot/cards/recordCards';
import { incidentsModule } from '../../bot/incidents';
import { DocumentTable } from '../../bot/storage/documentTable';
import { cardText, visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat, teamChannel } from '../support/teamsChannel';
import type { FilterRequest } from '../../bot/filtering/filterRequest';
import { RequestStore } from '../../bot/filtering/requestStore';
import { callsModule } from '../../bot/calls';
import type { CallRecord } from '../../bot/calls/callRecord';
import { CallStore } from '../../bot/calls/callStore';
import { fakeDate } from '../support/fakeDate';
import { call, idOf } from '../calls/callSteps';
import { act, filteringHarness, sendRequest } from '../filtering/helpers';
import { fileReport, know, PUPIL_DETAILS } from '../incidents/reportSteps';

/**
 * Records written before the posted-cards table listed their cards in their own fields (a case's
 * `posts`, a filter request's `cards`). Those cards are taken into the table on the record's next
 * change and updated in place like the rest.
 */
describe('cards posted before the posted-cards table (end to end)', () => {
  let h: Harness;
  afterEach(async () => h.stop());

  it("a case in the old shape: its channel card is taken over and updated on the next change", async () => {
    h = await startHarness({ modules: [incidentsModule] });
    const channel = teamChannel('Safeguarding Senior');
    await h.say(people.dpo, 'register dsl Senior', channel);
    await know(h, people.seniorDsl);
    const { ref } = await fileReport(h, people.teacher, { category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS });
    // As written before the table: the card's place only in the case's `posts`.
    await forgetPostedCards(h.lantern.services.tables, 'incident', ref);
    const stored = (await new DocumentTable<{ posts: Array<{ activityId: string }> }>(h.lantern.services.tables, 'incidents').get('case', ref))!.value;
    const cardId = h.connector.messagesIn(channel.id).at(-1)!.id;
    assert.deepEqual(stored.posts.map((p) => p.activityId), [cardId]);

    await h.click(people.seniorDsl, 'incident.claim', { ref });
    const update = h.connector.updated.filter((u) => u.activityId === cardId).at(-1);
    assert.ok(update, 'the old channel card was updated in place');
    assert.match(visibleText({ conversationId: channel.id, id: cardId, activity: update.activity }), /Acknowledged/);
    const rows = await listPostedCards(h.lantern.services.tables, 'incident', ref);
    assert.deepEqual(rows.map((r) => [r.place, r.view, r.posted.activityId]), [[`conversation:${channel.id}`, 'case', cardId]]);
  });

  it("a filter request in the old shape: the DSL's sanction card is taken over and shows the step done", async () => {
    h = await filteringHarness();
    const reference = await sendRequest(h, people.teacher);
    const sanctionId = h.connector.messagesIn(personalChat(people.seniorDsl).id).at(-1)!.id;
    const requests = new RequestStore(h.lantern.services.tables);
    const [row] = (await listPostedCards(h.lantern.services.tables, 'filter', reference)).filter((r) => r.view === 'step');
    assert.equal(row.posted.activityId, sanctionId);
    // Rewritten as before the table: `cards` on the request, nothing in postedcards.
    const before = (await requests.get(reference))!;
    await requests.replace({ ...before.value, cards: { sanction: [row.posted] } } as FilterRequest, before.etag);
    await forgetPostedCards(h.lantern.services.tables, 'filter', reference);

    assert.match(cardText((await act(h, people.seniorDsl, 'filter.approve', reference, 'sanction')).body?.value), /Thank you/);
    const update = h.connector.updated.filter((u) => u.activityId === sanctionId).at(-1);
    assert.ok(update, 'the old sanction card was updated in place');
    const now = cardText((update.activity.attachments as any[])[0].content);
    assert.match(now, /Waiting for the IT manager to authorise/);
    const rows = await listPostedCards(h.lantern.services.tables, 'filter', reference);
    assert.ok(rows.some((r) => r.place === `conversation:${personalChat(people.seniorDsl).id}` && r.view === 'step' && r.part === 'sanction' && r.posted.activityId === sanctionId), JSON.stringify(rows));
  });

  it("a call in the old shape: its permission card is taken over and shows the decision", async () => {
    const clock = fakeDate('2026-11-25T10:00:00Z');
    try {
      h = await startHarness({ modules: [callsModule] });
      for (const who of [people.teacher, people.academicHead]) await h.say(who, 'hello');
      const form = (await h.say(people.teacher, 'plan a 1-1 call'))[0];
      const id = idOf((await h.click(people.teacher, 'call.plan', call({ purpose: 'academic-reason', reason: 'Coursework moderation feedback' }), personalChat(people.teacher), form.id)).body?.value);
      const permission = (await listPostedCards(h.lantern.services.tables, 'call', id)).find((r) => r.view === 'permission')!;
      // As planned before the table: the permission card only in the call's `requestCards`.
      const calls = new CallStore(h.lantern.services.tables);
      const before = (await calls.get(id))!;
      await calls.replace({ ...before.value, requestCards: [permission.posted] } as CallRecord, before.etag);
      await forgetPostedCards(h.lantern.services.tables, 'call', id);

      await h.click(people.academicHead, 'call.approve', { id, comment: '' });
      const update = h.connector.updated.filter((u) => u.activityId === permission.posted.activityId).at(-1);
      assert.ok(update, 'the old permission card was updated in place');
      assert.match(cardText((update.activity.attachments as any[])[0].content), /Approved by Nick Grant/);
      const rows = await listPostedCards(h.lantern.services.tables, 'call', id);
      assert.deepEqual(rows.filter((r) => r.view === 'permission').map((r) => [r.place, r.posted.activityId]), [[`conversation:${permission.posted.address.conversationId}`, permission.posted.activityId]]);
    } finally {
      clock.restore();
    }
  });
});
