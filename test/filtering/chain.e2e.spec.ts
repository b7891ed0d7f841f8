import assert from 'node:assert/strict';
import { ukDate } from '../../bot/calendar/ukFormat';
import { addDays } from '../../bot/filtering/dates';
import { LOG_COLUMNS } from '../../bot/filtering/filterLogCsv';
import { actionsOf, cardOf, cardText, latestCards } from '../support/cards';
import type { Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat } from '../support/teamsChannel';
import { act, attachedCsv, cardBody, channelCards, filteringHarness, IT_CHANNEL, lastPrivate, privateMessages, sendRequest, stored, today } from './helpers';
import { notYours } from '../../bot/filtering/refusals';

describe('filter change approval chain (e2e over HTTP)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await filteringHarness();
  });
  afterEach(async () => h.stop());

  it('runs request → DSL sanction → IT authorise → technician change → DSL confirm, and the CSV row matches column by column', async () => {
    const reference = await sendRequest(h, people.teacher);

    // Sanction: a 1:1 card to the senior DSL, not to the IT channel.
    const dslCard = cardOf(h.connector.messagesIn(personalChat(people.seniorDsl).id).at(-1));
    assert.match(cardText(dslCard), new RegExp(`Web filter change ${reference}`));
    assert.match(cardText(dslCard), /Waiting for the DSL to sanction/);
    assert.match(cardText(dslCard), /example-history\.org\/holocaust\/sources/);
    assert.equal(channelCards(h).length, 0);
    const sanctionButton = actionsOf(dslCard).find((a) => a.verb === 'filter.approve')!;
    assert.deepEqual(sanctionButton.data, { reference, step: 'sanction' });
    const sanctioned = cardText(cardBody(await act(h, people.seniorDsl, 'filter.approve', reference, 'sanction')));
    assert.match(sanctioned, /Sanctioned\. Thank you/);
    assert.match(sanctioned, /Waiting for the IT manager to authorise/);
    assert.match(lastPrivate(h, people.teacher), new RegExp(`${reference}: sanctioned by Daniel Khan\\. Next: the IT manager`));

    // Authorise: a card in the IT channel.
    const itCard = channelCards(h).at(-1)!;
    assert.match(cardText(itCard), /Waiting for the IT manager to authorise/);
    assert.ok(actionsOf(itCard).some((a) => a.verb === 'filter.approve' && a.data.step === 'authorise'));
    assert.match(cardText(cardBody(await act(h, people.itManager, 'filter.approve', reference, 'authorise'))), /Authorised\. Thank you/);
    // One card per request in the channel: the authorise card becomes the make card in place.
    assert.equal(channelCards(h).length, 1, 'no second card in the IT channel');
    const authorisePost = h.connector.messagesIn(IT_CHANNEL.id).find((s) => cardOf(s))!;
    const updated = h.connector.updated.filter((u) => u.activityId === authorisePost.id).at(-1);
    assert.ok(updated, 'the authorise card in the channel is updated in place');
    assert.doesNotMatch(cardText(cardOf(updated)), /Waiting for the IT manager/);
    assert.match(cardText(cardOf(updated)), /Waiting for IT to make the change/);
    assert.deepEqual(actionsOf(cardOf(updated)).map((a) => a.data.step), ['make', 'make'], 'only the make buttons are left');
    assert.match(h.connector.messagesIn(IT_CHANNEL.id).at(-1)!.activity.text, new RegExp(`${reference}: waiting for IT to make the change in the filter\\. The card above is up to date`), 'the channel is told, since an edit notifies nobody');

    // Make: the technician must give the filter's own reference.
    const missingRef = cardText(cardBody(await act(h, people.technician, 'filter.approve', reference, 'make')));
    assert.match(missingRef, /Enter the filter's own reference/);
    assert.equal((await stored(h, reference)).step, 'make');
    assert.match(cardText(cardBody(await act(h, people.technician, 'filter.approve', reference, 'make', { filterReference: 'SW-4471' }))), /Change made\. Thank you/);
    assert.match(lastPrivate(h, people.teacher), /change made by Sarah Wu\. Next: the DSL or deputy head/);

    // Confirm: 1:1 to the DSL and the deputy head (pastoral).
    // The DSL's sanction card becomes the confirm card in place; the deputy head gets a new one.
    const dslCards = latestCards(h.connector, { conversationId: personalChat(people.seniorDsl).id, about: new RegExp(reference) });
    assert.equal(dslCards.length, 1, "one card of the request in the DSL's chat");
    assert.match(cardText(dslCards[0].card), /Waiting for the DSL or deputy head to confirm/);
    assert.match(lastPrivate(h, people.seniorDsl), new RegExp(`${reference}: waiting for the DSL or deputy head to confirm it works`));
    assert.match(lastPrivate(h, people.pastoralHead), /Waiting for the DSL or deputy head to confirm/);
    assert.match(cardText(cardBody(await act(h, people.seniorDsl, 'filter.approve', reference, 'confirm'))), /Confirmed\. Thank you/);
    const pastoralCopy = h.connector.messagesIn(personalChat(people.pastoralHead).id).at(-1)!;
    assert.ok(h.connector.updated.some((u) => u.activityId === pastoralCopy.id), "the deputy head's copy shows it is confirmed");

    const reviewDate = addDays(today(), 20);
    const request = await stored(h, reference);
    assert.equal(request.status, 'in-force');
    assert.equal(request.filterReference, 'SW-4471');
    assert.equal(request.reviewDate, reviewDate, 'a temporary change is reviewed by its end date at the latest');
    assert.match(lastPrivate(h, people.teacher), new RegExp(`Done: your filter request ${reference} .* is in force until ${ukDate(reviewDate)}`));

    const audit = await h.lantern.services.audit.history('filter-request', reference);
    assert.deepEqual(audit.map((e) => [e.action, e.actor.id]), [
      ['filter.requested', people.teacher.aadObjectId],
      ['filter.sanctioned', 'dkhan'],
      ['filter.authorised', 'mcole'],
      ['filter.changed', 'swu'],
      ['filter.confirmed', 'dkhan'],
    ]);

    // The export, asked for in a channel, arrives 1:1; the CSV row is checked column by column.
    const reply = await h.say(people.seniorDsl, 'export filter log', IT_CHANNEL);
    assert.match(cardText(cardOf(reply[0])) + (reply[0].activity.text ?? ''), /I've sent you a private message/);
    const [header, row, ...more] = (await attachedCsv(h, people.seniorDsl))['filter-change-log'];
    assert.equal(more.length, 0);
    assert.deepEqual(header.slice(0, 7), ['Website / category', 'Date', 'Requested by / reason', 'Authorised by', 'Change made by', 'Confirmed by', 'Date for review']);
    assert.deepEqual(header.slice(7, 10), ['Status', 'Scope', 'Filter reference']);
    assert.deepEqual(header, [...LOG_COLUMNS]);
    const on = today();
    assert.deepEqual(row, [
      'example-history.org/holocaust/sources',
      on,
      'Olivia Teacher: Year 9 history unit on the Holocaust: pupils use the primary sources archive in lessons.',
      `Mark Cole (${ukDate(on)})`,
      `Sarah Wu (${ukDate(on)})`,
      `Daniel Khan (${ukDate(on)})`,
      reviewDate,
      'In force',
      `Pupils in Year 9; temporary until ${ukDate(reviewDate)}`,
      'SW-4471',
      reference,
      'Unblock website',
      `Daniel Khan (${ukDate(on)})`,
    ]);
  });

  for (const [step, who, previous] of [
    ['sanction', people.seniorDsl, []],
    ['authorise', people.itManager, [['sanction', people.seniorDsl]]],
    ['make', people.technician, [['sanction', people.seniorDsl], ['authorise', people.itManager]]],
    ['confirm', people.pastoralHead, [['sanction', people.seniorDsl], ['authorise', people.itManager], ['make', people.technician, { filterReference: 'SW-1' }]]],
  ] as const) {
    it(`declining at the ${step} step needs a reason, closes the request and tells the requester`, async () => {
      const reference = await sendRequest(h, people.teacher);
      for (const [s, by, extra] of previous as ReadonlyArray<readonly [string, typeof who, Record<string, string>?]>) {
        assert.match(cardText(cardBody(await act(h, by, 'filter.approve', reference, s, extra ?? {}))), /Thank you/);
      }
      const noReason = cardText(cardBody(await act(h, who, 'filter.decline', reference, step)));
      assert.match(noReason, /Say why you are declining/);
      assert.equal((await stored(h, reference)).status, 'in-progress');

      const declined = cardText(cardBody(await act(h, who, 'filter.decline', reference, step, { comment: 'The archive has unmoderated comments; use the museum site instead.' })));
      assert.match(declined, /Declined\. The requester has been told why/);
      const request = await stored(h, reference);
      assert.equal(request.status, 'declined');
      assert.equal(request.step, undefined);
      assert.equal(request.history.at(-1)?.reason, 'The archive has unmoderated comments; use the museum site instead.');
      assert.match(lastPrivate(h, people.teacher), new RegExp(`${reference} .* was declined by .* at the ${step} step: "The archive has unmoderated comments`));
      const audit = await h.lantern.services.audit.history('filter-request', reference);
      assert.equal(audit.at(-1)?.action, 'filter.declined');

      // A second click on the finished step changes nothing.
      const again = cardText(cardBody(await act(h, who, 'filter.approve', reference, step)));
      assert.match(again, /already declined by/);
      assert.deepEqual(await stored(h, reference), request);
    });
  }

  it('refuses self-approval: the DSL cannot sanction their own request, a deputy can', async () => {
    const reference = await sendRequest(h, people.seniorDsl, { audience: 'staff', audienceDetail: '', duration: 'permanent', endDate: '' });
    // The card goes to the deputy, not back to the requester.
    assert.match(lastPrivate(h, people.seniorDeputy), new RegExp(`Web filter change ${reference}`));
    const own = cardText(cardBody(await act(h, people.seniorDsl, 'filter.approve', reference, 'sanction')));
    assert.match(own, /You made request .*, so someone else must act on it\. Nothing was changed/);
    assert.equal((await stored(h, reference)).step, 'sanction');
    const refused = await h.lantern.services.audit.history('filter-request', reference);
    assert.deepEqual(refused.at(-1)?.action, 'filter.step-refused');
    assert.equal(refused.at(-1)?.reason, 'self');
    assert.match(cardText(cardBody(await act(h, people.seniorDeputy, 'filter.approve', reference, 'sanction'))), /Sanctioned\. Thank you/);
  });

  it('refuses a step clicked by the wrong role and changes nothing', async () => {
    const reference = await sendRequest(h, people.teacher);
    const before = await stored(h, reference);
    for (const [who, step] of [[people.technician, 'sanction'], [people.teacher2, 'sanction'], [people.prepDsl, 'sanction'], [people.seniorDsl, 'authorise']] as const) {
      // No card, no field of the request: the same answer an unknown reference gets.
      const res = await act(h, who, 'filter.approve', reference, step);
      assert.equal(res.body?.type, 'application/vnd.microsoft.activity.message');
      assert.equal(res.body?.value, notYours(reference));
    }
    assert.deepEqual(await stored(h, reference), before);
    await act(h, people.seniorDsl, 'filter.approve', reference, 'sanction');
    assert.equal((await act(h, people.technician, 'filter.approve', reference, 'authorise')).body?.value, notYours(reference));
    assert.equal((await stored(h, reference)).step, 'authorise');
    const refusals = (await h.lantern.services.audit.history('filter-request', reference)).filter((e) => e.action === 'filter.step-refused');
    assert.deepEqual(refusals.map((e) => [e.actor.id, e.reason]), [['swu', 'role'], [people.teacher2.aadObjectId, 'role'], ['pgreen', 'role'], ['dkhan', 'role'], ['swu', 'role']]);
    const malformed = await h.click(people.itManager, 'filter.approve', { reference: "FLT-2026-0001' or 1", step: 'authorise' });
    assert.match(malformed.body?.value, /not understood/);
  });

  it('IT staff recording the change at once: exactly one wins per request, the others are told and nothing is overwritten', async () => {
    const references: string[] = [];
    for (let i = 0; i < 3; i++) {
      const reference = await sendRequest(h, i % 2 ? people.teacher2 : people.teacher);
      await act(h, people.seniorDsl, 'filter.approve', reference, 'sanction');
      await act(h, people.itManager, 'filter.approve', reference, 'authorise');
      references.push(reference);
    }
    const clickers = [people.technician, people.technician2, people.itManager];
    const results = await Promise.all(references.flatMap((reference) => clickers.map((who, j) => act(h, who, 'filter.approve', reference, 'make', { filterReference: `SW-${j}` }))));
    for (const [r, reference] of references.entries()) {
      const texts = results.slice(r * 3, r * 3 + 3).map((res) => cardText(cardBody(res)));
      const winners = texts.flatMap((t, j) => (/Change made\. Thank you/.test(t) ? [j] : []));
      assert.equal(winners.length, 1, texts.join('\n---\n'));
      assert.equal(texts.filter((t) => /just updated by someone else|already done by/.test(t)).length, 2, texts.join('\n---\n'));
      const request = await stored(h, reference);
      assert.equal(request.history.filter((s) => s.step === 'make').length, 1);
      assert.equal(request.filterReference, `SW-${winners[0]}`);
      const audit = await h.lantern.services.audit.history('filter-request', reference);
      assert.equal(audit.filter((e) => e.action === 'filter.changed').length, 1);
    }
  });

  it('the IT manager authorising twice at once (two devices) records one authorisation', async () => {
    const reference = await sendRequest(h, people.teacher);
    await act(h, people.seniorDsl, 'filter.approve', reference, 'sanction');
    const results = await Promise.all([act(h, people.itManager, 'filter.approve', reference, 'authorise'), act(h, people.itManager, 'filter.approve', reference, 'authorise')]);
    assert.equal(results.filter((r) => /Authorised\. Thank you/.test(cardText(cardBody(r)))).length, 1);
    const request = await stored(h, reference);
    assert.equal(request.history.filter((s) => s.step === 'authorise').length, 1);
    const inChannel = latestCards(h.connector, { conversationId: IT_CHANNEL.id });
    assert.equal(inChannel.length, 1, 'one card in the IT channel');
    assert.match(cardText(inChannel[0].card), /Waiting for IT to make the change/);
  });

  it('IT channel cards carry at most 200 characters of the requester\'s reason; the DSL sees it all', async () => {
    const reason = `Sixth-form psychology coursework on online radicalisation. ${'The class compares recruitment tactics across sources. '.repeat(10)}END-OF-REASON`;
    const reference = await sendRequest(h, people.teacher, { reason });
    assert.match(lastPrivate(h, people.seniorDsl), /END-OF-REASON/, "the DSL's private card has the whole reason");
    await act(h, people.seniorDsl, 'filter.approve', reference, 'sanction');
    const text = cardText(channelCards(h).at(-1));
    assert.match(text, new RegExp(reference));
    assert.match(text, /Sixth-form psychology coursework/);
    assert.doesNotMatch(text, /END-OF-REASON/);
    const shown = (channelCards(h).at(-1)!.body as Array<Record<string, any>>).find((b) => typeof b.text === 'string' && b.text.startsWith('Sixth-form'))!.text as string;
    assert.ok(shown.length <= 200, `${shown.length} characters`);
    assert.equal((await stored(h, reference)).details.reason, reason, 'the full reason is kept');
  });

  it('falls back to 1:1 cards to IT when no IT channel is registered', async () => {
    await h.stop();
    h = await filteringHarness({ itChannel: false });
    const reference = await sendRequest(h, people.teacher);
    await act(h, people.seniorDsl, 'filter.approve', reference, 'sanction');
    assert.match(lastPrivate(h, people.itManager), /Waiting for the IT manager to authorise/);
    assert.doesNotMatch(privateMessages(h, people.technician).join('\n'), /Waiting for the IT manager/);
    await act(h, people.itManager, 'filter.approve', reference, 'authorise');
    assert.match(lastPrivate(h, people.technician), /Waiting for IT to make the change/);
    assert.match(lastPrivate(h, people.technician2), /Waiting for IT to make the change/);
  });
});
