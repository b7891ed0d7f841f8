import assert from 'node:assert/strict';
import { ukDate } from '../../bot/calendar/ukFormat';
import { addDays, isoDate } from '../../bot/filtering/dates';
import { startLantern } from '../../bot/lantern';
import { readSettings } from '../../bot/settings';
import { actionsOf, cardOf, cardText, latestCards, visibleText } from '../support/cards';
import type { Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat } from '../support/teamsChannel';
import { act, cardBody, channelCards, configWith, filteringHarness, IT_CHANNEL, itCardNow, lastPrivate, privateMessages, sendRequest, stored } from './helpers';
import { HandClock } from '../support/fakeDate';

describe('nudges for a stalled approval step (e2e, sinon clock)', () => {
  let h: Harness;
  const clock = new HandClock();
  // Tomorrow, so every time the tests set lies ahead of anything stored while the harness started.
  const D = addDays(isoDate(new Date()), 1);
  const day = (n: number, time: string) => `${addDays(D, n)}T${time}:00.000Z`;

  afterEach(async () => {
    clock.restore();
    await h.stop();
  });

  const at = (iso: string) => clock.at(iso);
  const runDue = () => h.lantern.services.scheduler.runDue();
  const stepJobs = async () => (await h.lantern.services.scheduler.pending('filter.step-nudge')).map((j) => [j.id, j.due, j.payload.round]);
  const sentTo = (who: typeof people.seniorDsl) => h.connector.messagesIn(personalChat(who).id);
  const systemAudit = async (reference: string) => (await h.lantern.services.audit.history('filter-request', reference)).filter((e) => e.actor.id === 'lantern').map((e) => [e.action, e.detail?.step]);

  it('a stalled sanction: the DSL is reminded after 24 hours across a restart, the deputy gets the escalation, and the requester hears when the needed-by date passes', async () => {
    h = await filteringHarness();
    at(day(0, '09:00'));
    const reference = await sendRequest(h, people.teacher);
    assert.equal((await stored(h, reference)).details.neededBy, addDays(D, 2));
    assert.deepEqual(
      (await h.lantern.services.scheduler.pending()).map((j) => [j.id, j.kind, j.due]),
      [
        [`filter-step-${reference}-sanction`, 'filter.step-nudge', day(1, '09:00')],
        [`filter-needed-by-${reference}`, 'filter.needed-by', day(3, '07:00')],
      ],
    );
    const dslBefore = sentTo(people.seniorDsl).length;
    const deputyBefore = sentTo(people.seniorDeputy).length;

    await h.restart();
    at(day(1, '08:59'));
    assert.equal(await runDue(), 0, 'not before 24 hours');
    at(day(1, '09:01'));
    assert.equal(await runDue(), 1);
    assert.equal(sentTo(people.seniorDsl).length, dslBefore + 1);
    // The DSL's card is updated in place (one card per request per chat) and they are told in words.
    assert.match(sentTo(people.seniorDsl).at(-1)!.activity.text, new RegExp(`Reminder: filter request ${reference} has waited 24 hours for the DSL`));
    const dslCards = latestCards(h.connector, { conversationId: personalChat(people.seniorDsl).id, about: new RegExp(reference) });
    assert.equal(dslCards.length, 1);
    const reminder = dslCards[0].card;
    assert.match(cardText(reminder), new RegExp(`Web filter change ${reference}`));
    assert.match(cardText(reminder), /Reminder: this has waited 24 hours for the DSL/);
    assert.deepEqual(actionsOf(reminder).filter((a) => a.verb === 'filter.approve').map((a) => a.data), [{ reference, step: 'sanction' }]);
    assert.equal(sentTo(people.seniorDeputy).length, deputyBefore, 'the deputy is not told yet');
    assert.deepEqual((await stored(h, reference)).stepReminders, [{ step: 'sanction', round: 1, at: day(1, '09:01') }]);
    assert.deepEqual(await stepJobs(), [[`filter-step-${reference}-sanction`, day(2, '09:01'), 2]], 'the same job, now the escalation');

    at(day(2, '09:02'));
    assert.equal(await runDue(), 1);
    assert.equal(sentTo(people.seniorDsl).length, dslBefore + 1, 'the escalation goes to the deputy, not the DSL again');
    const escalation = sentTo(people.seniorDeputy).at(-1)!;
    assert.match(escalation.activity.text, new RegExp(`Escalated to you as a deputy DSL: filter request ${reference} has waited 48 hours\\. Waiting for the DSL to sanction\\.`));
    assert.match(cardText(cardOf(escalation)), /Escalated: this has waited 48 hours for the DSL/);
    assert.deepEqual(await stepJobs(), [], 'two nudges per step, no more');

    assert.match(cardText(cardBody(await act(h, people.seniorDeputy, 'filter.approve', reference, 'sanction'))), /Sanctioned\. Thank you/);
    const dslNow = latestCards(h.connector, { conversationId: personalChat(people.seniorDsl).id, about: new RegExp(reference) })[0].card;
    assert.match(cardText(dslNow), /Waiting for the IT manager to authorise/, "the DSL's reminder card shows it is sanctioned");
    assert.equal(actionsOf(dslNow).filter((a) => a.verb === 'filter.approve').length, 0);
    assert.ok(h.connector.updated.some((u) => u.activityId === escalation.id), "the deputy's escalation card shows it is sanctioned");
    assert.deepEqual(await stepJobs(), [[`filter-step-${reference}-authorise`, day(3, '09:02'), 1]], 'the next step gets its own nudge');

    at(day(3, '07:01'));
    assert.equal(await runDue(), 1);
    assert.match(lastPrivate(h, people.teacher), new RegExp(`Your filter request ${reference} \\(unblock example-history\\.org/holocaust/sources for pupils in Year 9\\) was needed by ${ukDate(addDays(D, 2))} and is still open\\. Waiting for the IT manager to authorise`));

    at(day(3, '09:03'));
    assert.equal(await runDue(), 1);
    assert.match(cardText(itCardNow(h, reference)), /Reminder: this has waited 24 hours for the IT manager/);
    assert.equal(channelCards(h).length, 1, 'the reminder updates the one card in the IT channel');
    assert.deepEqual(await systemAudit(reference), [
      ['filter.step-reminded', 'sanction'],
      ['filter.step-escalated', 'sanction'],
      ['filter.needed-by-passed', 'authorise'],
      ['filter.step-reminded', 'authorise'],
    ]);
  });

  it('a stalled IT step: the reminder goes to the IT channel, the escalation 1:1 to the IT manager, and both cards update when the change is made', async () => {
    h = await filteringHarness();
    at(day(0, '09:00'));
    const reference = await sendRequest(h, people.teacher);
    await act(h, people.seniorDsl, 'filter.approve', reference, 'sanction');
    await act(h, people.itManager, 'filter.approve', reference, 'authorise');
    assert.deepEqual(await stepJobs(), [[`filter-step-${reference}-make`, day(1, '09:00'), 1]]);
    const managerBefore = sentTo(people.itManager).length;
    const technicianBefore = sentTo(people.technician).length;

    at(day(1, '09:01'));
    assert.equal(await runDue(), 1);
    assert.match(h.connector.messagesIn(IT_CHANNEL.id).at(-1)!.activity.text, new RegExp(`Reminder: filter request ${reference} has waited 24 hours for an IT technician`));
    const reminder = itCardNow(h, reference);
    assert.match(cardText(reminder), /Waiting for IT to make the change in the filter/);
    assert.match(cardText(reminder), /Reminder: this has waited 24 hours for an IT technician/);
    assert.ok(actionsOf(reminder).some((a) => a.verb === 'filter.approve' && a.data.step === 'make'));
    assert.equal(sentTo(people.itManager).length, managerBefore, 'the first reminder goes where the step card went');

    at(day(2, '09:02'));
    assert.equal(await runDue(), 1);
    const escalation = sentTo(people.itManager).at(-1)!;
    assert.match(escalation.activity.text, new RegExp(`Escalated to you as the IT manager: filter request ${reference} has waited 48 hours\\. Waiting for IT to make the change in the filter\\.`));
    assert.equal(sentTo(people.technician).length, technicianBefore, 'technicians are reminded in the channel, not 1:1');

    assert.match(cardText(cardBody(await act(h, people.technician, 'filter.approve', reference, 'make', { filterReference: 'SW-9001' }))), /Change made\. Thank you/);
    assert.equal(actionsOf(itCardNow(h, reference)).length, 0, 'the reminder in the channel no longer asks for the change');
    assert.ok(h.connector.updated.some((u) => u.activityId === escalation.id), "the IT manager's escalation card no longer asks for it");
    assert.deepEqual(await stepJobs(), [[`filter-step-${reference}-confirm`, day(3, '09:02'), 1]]);
    assert.deepEqual(await systemAudit(reference), [
      ['filter.step-reminded', 'make'],
      ['filter.step-escalated', 'make'],
    ]);
  });

  it('a step done in time, or a declined request, sends nothing: its nudges are cancelled, and a leftover job finds the step moved on', async () => {
    h = await filteringHarness();
    at(day(0, '09:00'));
    const done = await sendRequest(h, people.teacher);
    const declined = await sendRequest(h, people.teacher2);
    at(day(0, '10:00'));
    await act(h, people.seniorDsl, 'filter.approve', done, 'sanction');
    await act(h, people.seniorDsl, 'filter.decline', declined, 'sanction', { comment: 'Use the museum archive instead.' });
    assert.deepEqual(
      (await h.lantern.services.scheduler.pending()).map((j) => j.id),
      [`filter-step-${done}-authorise`, `filter-needed-by-${done}`],
      'the declined request has no jobs left',
    );

    // A nudge claimed by another instance just as the DSL sanctioned would still run once.
    await h.lantern.services.scheduler.schedule('filter.step-nudge', new Date(day(0, '10:00')), { reference: done, step: 'sanction', round: 1 }, `filter-step-${done}-sanction`);
    const sentBefore = h.connector.sent.length;
    at(day(0, '10:01'));
    assert.equal(await runDue(), 1);
    assert.equal(h.connector.sent.length, sentBefore, 'the sanction is done: nobody is reminded');
    assert.equal((await stored(h, done)).stepReminders, undefined);

    for (const [who, step, extra] of [[people.itManager, 'authorise', {}], [people.technician, 'make', { filterReference: 'SW-77' }], [people.pastoralHead, 'confirm', {}]] as const) {
      assert.match(cardText(cardBody(await act(h, who, 'filter.approve', done, step, extra))), /Thank you/);
    }
    assert.equal((await stored(h, done)).status, 'in-force');
    assert.deepEqual(await h.lantern.services.scheduler.pending('filter.step-nudge'), []);
    assert.deepEqual(await h.lantern.services.scheduler.pending('filter.needed-by'), [], 'a change in force needs no needed-by notice');
    for (const sent of h.connector.sent.slice(sentBefore)) assert.doesNotMatch(visibleText(sent), /Reminder:|Escalated|was needed by/, 'only the chain itself sent anything');
    const sentAfterChain = h.connector.sent.length;
    at(day(5, '12:00'));
    assert.equal(await runDue(), 0);
    assert.equal(h.connector.sent.length, sentAfterChain);
    assert.deepEqual(await systemAudit(done), []);
    assert.deepEqual(await systemAudit(declined), []);
  });

  it('takes filtering.stepReminderHours from the school configuration, and two instances running the due nudge at once send it once', async () => {
    h = await filteringHarness({ env: { SCHOOL_CONFIG: await configWith('  stepReminderHours: 4') } });
    at(day(0, '09:00'));
    const reference = await sendRequest(h, people.teacher);
    assert.deepEqual(await stepJobs(), [[`filter-step-${reference}-sanction`, day(0, '13:00'), 1]]);
    const second = await startLantern(readSettings(h.env), { log: () => undefined, startScheduler: false });
    try {
      const dslBefore = privateMessages(h, people.seniorDsl).length;
      at(day(0, '13:01'));
      // Jobs the harness scheduled at start-up (the weekly tutor reminder, say) may fall due in
      // this window on some days of the week: each due job must run once, whichever instance runs it.
      const due = (await h.lantern.services.scheduler.pending()).filter((j) => j.due <= day(0, '13:01')).map((j) => j.id);
      assert.ok(due.includes(`filter-step-${reference}-sanction`), `due: ${due}`);
      const ran = await Promise.all([runDue(), second.services.scheduler.runDue()]);
      assert.equal(ran[0] + ran[1], due.length, `ran ${ran} of ${due}`);
      assert.deepEqual(await systemAudit(reference), [['filter.step-reminded', 'sanction']], 'the nudge ran once');
      const reminders = privateMessages(h, people.seniorDsl).slice(dslBefore);
      assert.equal(reminders.length, 1);
      assert.match(reminders[0], /Reminder: filter request FLT-\d{4}-\d{4} has waited 4 hours for the DSL/);
      assert.deepEqual(await stepJobs(), [[`filter-step-${reference}-sanction`, day(0, '17:01'), 2]]);
    } finally {
      await second.stop();
    }
  });
});
