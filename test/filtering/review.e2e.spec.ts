import assert from 'node:assert/strict';
import { ukDate } from '../../bot/calendar/ukFormat';
import { addDays } from '../../bot/filtering/dates';
import { actionsOf, cardText, latestCards } from '../support/cards';
import { personalChat } from '../support/teamsChannel';
import type { Harness } from '../support/harness';
import { people } from '../support/people';
import { cardBody, channelCards, completeChain, filteringHarness, IT_CHANNEL, itCardNow, lastPrivate, sendRequest, stored, today } from './helpers';
import { HandClock } from '../support/fakeDate';
import { notYours } from '../../bot/filtering/refusals';

const DAY = 24 * 60 * 60_000;

describe('filter change review and expiry (e2e, sinon clock)', () => {
  let h: Harness;
  const clock = new HandClock();
  beforeEach(async () => {
    h = await filteringHarness();
  });
  afterEach(async () => {
    clock.restore();
    await h.stop();
  });

  const at = (iso: string) => clock.at(iso);

  it('a temporary change: reminder to IT the morning after its end date, survives a restart, escalates to the IT manager, and records the revert', async () => {
    const endDate = addDays(today(), 10);
    const reference = await sendRequest(h, people.teacher, { endDate });
    await completeChain(h, reference);
    const jobs = await h.lantern.services.scheduler.pending('filter.expire');
    assert.deepEqual(jobs.map((j) => j.due), [`${addDays(endDate, 1)}T07:00:00.000Z`]);
    assert.deepEqual(await h.lantern.services.scheduler.pending('filter.review'), [], 'the end date is the review date');

    await h.restart();
    at(`${endDate}T20:00:00Z`);
    assert.equal(await h.lantern.services.scheduler.runDue(), 0, 'nothing is due before the end date has passed');
    at(`${addDays(endDate, 1)}T07:05:00Z`);
    const cardsBefore = channelCards(h).length;
    assert.equal(await h.lantern.services.scheduler.runDue(), 1);
    // The request's one card in the channel becomes the reminder, and the channel is told.
    const reminder = itCardNow(h, reference);
    assert.equal(channelCards(h).length, cardsBefore, 'no second card in the IT channel');
    assert.match(h.connector.messagesIn(IT_CHANNEL.id).at(-1)!.activity.text, new RegExp(`${reference} ended on ${endDate}: revert it in the filter`));
    assert.equal(actionsOf(reminder).length, 1, 'no note to type on a card whose only button is the revert');
    assert.doesNotMatch(JSON.stringify(reminder), /Input\.Text/);
    assert.match(cardText(reminder), new RegExp(`Temporary filter change ended: ${reference}`));
    assert.match(cardText(reminder), new RegExp(`ended on ${ukDate(endDate)}: revert it in the filter`));
    assert.deepEqual(actionsOf(reminder).map((a) => a.data.outcome), ['reverted'], 'an ended temporary change cannot be kept');
    assert.equal((await stored(h, reference)).reminder?.kind, 'expiry');

    // Nobody acts: after the escalation period the IT manager is told 1:1.
    at(`${addDays(endDate, 3)}T07:00:00Z`);
    assert.equal(await h.lantern.services.scheduler.runDue(), 0);
    at(`${addDays(endDate, 4)}T07:06:00Z`);
    assert.equal(await h.lantern.services.scheduler.runDue(), 1);
    assert.match(lastPrivate(h, people.itManager), new RegExp(`Overdue: Temporary filter change ${reference} ended on ${ukDate(endDate)}`));
    assert.ok((await stored(h, reference)).reminder?.escalatedAt);

    const refused = await h.click(people.teacher, 'filter.reviewed', { reference, outcome: 'reverted' });
    assert.equal(refused.body?.value, notYours(reference));
    const kept = cardText(cardBody(await h.click(people.technician, 'filter.reviewed', { reference, outcome: 'kept', note: 'still needed' })));
    assert.match(kept, /cannot be kept past its end date/);
    assert.equal((await stored(h, reference)).status, 'in-force');

    // Two technicians record the revert at once: one record, the other is told.
    const both = await Promise.all([people.technician, people.technician2].map((who) => h.click(who, 'filter.reviewed', { reference, outcome: 'reverted', note: `Rule removed by ${who.name}` })));
    const texts = both.map((r) => cardText(cardBody(r)));
    const winner = texts.findIndex((t) => /Recorded as reverted/.test(t));
    assert.ok(winner >= 0, texts.join('\n---\n'));
    assert.match(texts[1 - winner], /just updated by someone else|already recorded/);
    const name = [people.technician, people.technician2][winner].name;
    const request = await stored(h, reference);
    assert.equal(request.status, 'ended');
    assert.deepEqual(request.reviews.map((r) => [r.kind, r.outcome, r.by.name, r.note]), [['expiry', 'reverted', name, `Rule removed by ${name}`]]);
    assert.match(lastPrivate(h, people.teacher), new RegExp(`${reference} .* has ended and was reverted in the filter by ${name}`));
    assert.match(cardText(itCardNow(h, reference)), new RegExp(`Reverted by ${name}`), 'the card in the channel shows the revert');
    const dslCard = latestCards(h.connector, { conversationId: personalChat(people.seniorDsl).id, about: new RegExp(reference) });
    assert.match(cardText(dslCard[0].card), new RegExp(`reverted by ${name} · "Rule removed by ${name}"`), "the DSL's card shows the revert with its note");
    assert.deepEqual(await h.lantern.services.scheduler.pending(), []);

    const again = cardText(cardBody(await h.click(people.technician, 'filter.reviewed', { reference, outcome: 'reverted' })));
    assert.match(again, /already recorded\. Nothing was changed/);
    const audit = (await h.lantern.services.audit.history('filter-request', reference)).map((e) => e.action);
    // The fake clock stands still, so events share a timestamp: compare as a set.
    assert.deepEqual(audit.filter((a) => /expiry|escalated|review|revert/.test(a)).sort(), ['filter.expiry-reminded', 'filter.reminder-escalated', 'filter.reverted', 'filter.review-refused']);
  });

  it('a permanent change: review reminder on the review date; keeping it needs a note and sets the next review', async () => {
    const reference = await sendRequest(h, people.teacher, { duration: 'permanent', endDate: '', targetKind: 'category', category: 'Video streaming', url: '', audience: 'staff', audienceDetail: '' });
    await completeChain(h, reference);
    const reviewDate = addDays(today(), 30);
    assert.equal((await stored(h, reference)).reviewDate, reviewDate);
    assert.deepEqual((await h.lantern.services.scheduler.pending('filter.review')).map((j) => j.due), [`${reviewDate}T07:00:00.000Z`]);

    at(`${reviewDate}T07:01:00Z`);
    assert.equal(await h.lantern.services.scheduler.runDue(), 1);
    const reminder = itCardNow(h, reference);
    assert.match(cardText(reminder), new RegExp(`Review due ${ukDate(reviewDate)}: keep or revert`));
    assert.deepEqual(actionsOf(reminder).map((a) => a.data.outcome), ['kept', 'reverted']);

    const noNote = cardBody(await h.click(people.itManager, 'filter.reviewed', { reference, outcome: 'kept', note: '' }));
    assert.match(cardText(noNote), /Say why the change is still needed/);
    const kept = cardText(cardBody(await h.click(people.itManager, 'filter.reviewed', { reference, outcome: 'kept', note: 'Media department still uses it daily.' })));
    const nextReview = addDays(reviewDate, 30);
    assert.match(kept, new RegExp(`Kept\\. Next review ${ukDate(nextReview)}`));
    const request = await stored(h, reference);
    assert.equal(request.status, 'in-force');
    assert.equal(request.reviewDate, nextReview);
    assert.equal(request.reminder, undefined);
    assert.deepEqual((await h.lantern.services.scheduler.pending()).map((j) => [j.kind, j.due]), [['filter.review', `${nextReview}T07:00:00.000Z`]], 'the escalation was cancelled and the next review scheduled');

    // No escalation for a review that was recorded in time.
    at(new Date(Date.parse(`${reviewDate}T07:01:00Z`) + 5 * DAY).toISOString());
    assert.equal(await h.lantern.services.scheduler.runDue(), 0);
    at(`${nextReview}T07:30:00Z`);
    assert.equal(await h.lantern.services.scheduler.runDue(), 1);
    assert.match(cardText(itCardNow(h, reference)), new RegExp(`Review due ${ukDate(nextReview)}`));
  });

  it('the technician who asked for a change cannot keep it at its review (someone else in IT decides), and the refusal is audited', async () => {
    const reference = await sendRequest(h, people.technician2, { duration: 'permanent', endDate: '', targetKind: 'category', category: 'Video streaming', url: '', audience: 'staff', audienceDetail: '' });
    await completeChain(h, reference);
    const reviewDate = addDays(today(), 30);
    at(`${reviewDate}T07:01:00Z`);
    assert.equal(await h.lantern.services.scheduler.runDue(), 1);

    const own = cardText(cardBody(await h.click(people.technician2, 'filter.reviewed', { reference, outcome: 'kept', note: 'I still need it.' })));
    assert.match(own, new RegExp(`You asked for filter change ${reference}, so someone else in IT decides whether it is kept\\. Nothing was changed\\.`));
    const request = await stored(h, reference);
    assert.equal(request.reviews.length, 0, 'no review recorded');
    assert.equal(request.reminder?.kind, 'review', 'still waiting for its review');
    const audit = (await h.lantern.services.audit.history('filter-request', reference)).filter((e) => e.action === 'filter.review-refused');
    assert.deepEqual(audit.map((e) => e.reason), ['self']);

    const kept = cardText(cardBody(await h.click(people.technician, 'filter.reviewed', { reference, outcome: 'kept', note: 'The media department still uses it.' })));
    assert.match(kept, /Kept\. Next review/);
    assert.deepEqual((await stored(h, reference)).reviews.map((r) => [r.outcome, r.by.name]), [['kept', people.technician.name]]);
  });
});
