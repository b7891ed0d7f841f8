import assert from 'node:assert/strict';
import { ukDate } from '../../bot/calendar/ukFormat';
import { addDays } from '../../bot/filtering/dates';
import { CHECK_COLUMNS, LOG_COLUMNS } from '../../bot/filtering/filterLogCsv';
import { RequestStore } from '../../bot/filtering/requestStore';
import { cardOf, cardText } from '../support/cards';
import { FILE_CONSENT_CARD } from '../support/fileConsent';
import type { Harness } from '../support/harness';
import { people } from '../support/people';
import { act, attachedCsv, cardBody, completeChain, exportedCsv, filteringHarness, filterRequest, IT_CHANNEL, lastExport, lastPrivate, messageOf, sendRequest, today } from './helpers';

describe('filtering change log, export and filter checks (e2e over HTTP)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await filteringHarness();
  });
  afterEach(async () => h.stop());

  it('shows the log only to DSLs and IT, newest first with status', async () => {
    const first = await sendRequest(h, people.teacher);
    await completeChain(h, first);
    const second = await sendRequest(h, people.teacher2, { change: 'block', url: 'https://quiz-cheats.example.com' });
    await act(h, people.seniorDsl, 'filter.decline', second, 'sanction', { comment: 'Handled by the exams office instead.' });
    const third = await sendRequest(h, people.teacher);

    assert.match((await h.say(people.teacher, 'filter log'))[0].activity.text, /for the DSLs and IT only/);
    assert.match(cardText(cardOf((await h.say(people.prepDsl, 'filter log'))[0])), /Filtering change log/);
    const card = cardOf((await h.say(people.technician, 'filter log'))[0])!;
    const text = cardText(card);
    assert.match(text, /3 requests, newest first/);
    const order = [third, second, first].map((r) => text.indexOf(r));
    assert.ok(order[0] < order[1] && order[1] < order[2], `newest first: ${order}`);
    assert.match(text, /Declined by Daniel Khan/);
    assert.match(text, /filter ref SW-4471/);
    assert.match(text, /Block quiz-cheats\.example\.com/);
    assert.doesNotMatch(text, /Holocaust/, 'reasons are not on the log card');
    const inChannel = await h.say(people.itManager, 'filter log', IT_CHANNEL);
    assert.equal(inChannel[0].activity.text, "I've sent you a private message");
    assert.match(lastPrivate(h, people.itManager), /Filtering change log/);
  });

  it('offers filter commands on the help card by role', async () => {
    const teacher = cardText(cardOf((await h.say(people.teacher, 'help'))[0]));
    assert.match(teacher, /Request a filter change/);
    assert.doesNotMatch(teacher, /filter log|Record a filter check/i);
    const it = cardText(cardOf((await h.say(people.technician, 'help'))[0]));
    assert.match(it, /See the filter log/);
    assert.match(it, /Record a filter check/);
  });

  it('records a filter check with errors shown under fields, and exports requests and checks as CSV', async () => {
    assert.match((await h.say(people.teacher, 'filter check'))[0].activity.text, /recorded by the DSLs and IT/);
    assert.match(messageOf(await h.click(people.teacher, 'filter.check-save', { date: today(), tested: 'x', devices: 'x', userGroups: 'x', result: 'passed' })), /Nothing was saved/);

    const form = cardOf((await h.say(people.technician, 'filter check'))[0])!;
    assert.match(cardText(form), /Record a filter check/);
    const bad = cardBody(await h.click(people.technician, 'filter.check-save', { date: addDays(today(), 1), tested: 'Searched for gambling, "adult" & VPN sites', devices: '', userGroups: 'Year 7', result: 'failed', followUp: '' }));
    const badText = cardText(bad);
    assert.match(badText, /cannot be in the future/);
    assert.match(badText, /Say which devices/);
    assert.match(badText, /needs the follow-up actions/);
    assert.match(badText, /Searched for gambling, "adult" & VPN sites/, 'what was typed is kept');

    const saved = messageOf(await h.click(people.technician, 'filter.check-save', { date: today(), tested: 'Searched for gambling, "adult" & VPN sites', devices: 'Library PCs, pupil iPads', userGroups: 'Year 7 pupils', result: 'partly', followUp: '=Ask supplier to add two VPN domains' }));
    assert.match(saved, new RegExp(`Filter check of ${ukDate(today())} saved`));

    const reference = await sendRequest(h, people.teacher, { reason: '=HYPERLINK("http://evil.example") Year 9 research, with a "quote", and a comma' });
    const exported = messageOf(await h.click(people.itManager, 'filter.export'));
    assert.match(exported, /The export is below/);
    const sent = lastExport(h, people.itManager);
    assert.deepEqual(
      sent.map((s) => s.activity.attachments.map((a: Record<string, string>) => [a.contentType, a.name])),
      [
        [['application/vnd.microsoft.card.adaptive', undefined]],
        [[FILE_CONSENT_CARD, `filter-change-log-${today()}.csv`]],
        [[FILE_CONSENT_CARD, `filter-checks-${today()}.csv`]],
      ],
    );
    const summary = cardText(cardOf(sent[0]));
    assert.match(summary, new RegExp(`1 request, ${ukDate(today())}`));
    assert.match(summary, new RegExp(`1 filter check, ${ukDate(today())}`));
    const csv = await attachedCsv(h, people.itManager);
    assert.deepEqual(csv['filter-checks'][0], [...CHECK_COLUMNS]);
    assert.deepEqual(csv['filter-checks'][1], [today(), 'Sarah Wu', 'Searched for gambling, "adult" & VPN sites', 'Library PCs, pupil iPads', 'Year 7 pupils', 'Partly: some gaps found', "'=Ask supplier to add two VPN domains"]);
    const log = csv['filter-change-log'];
    assert.equal(log.length, 2);
    assert.equal(log[1][2], 'Olivia Teacher: =HYPERLINK("http://evil.example") Year 9 research, with a "quote", and a comma');
    assert.equal(log[1][7], 'In progress');
    assert.equal(log[1][10], reference);
    const audit = await h.lantern.services.audit.history('filter-log', 'all');
    assert.deepEqual(audit.map((e) => [e.action, e.actor.id]), [['filter.exported', 'mcole']]);
    assert.match((await h.say(people.teacher, 'export filter log'))[0].activity.text, /for the DSLs and IT only/);
  });

  it('exports a log far past 12,000 characters whole, as files sent privately when asked in a channel', async () => {
    const store = new RequestStore(h.lantern.services.tables);
    const reason = (n: number) => `Year 10 geography fieldwork, group ${n}: pupils compare flood maps, "river gauges" and rainfall data, week by week. `.repeat(4).trim();
    for (let n = 1; n <= 60; n++) {
      const request = filterRequest({
        reference: `FLT-2026-${String(n).padStart(4, '0')}`,
        details: { targetKind: 'website', target: `maps-${n}.example.org/floods`, change: 'unblock', audience: 'year', audienceDetail: 'Year 10', duration: 'permanent', reason: reason(n), neededBy: '2026-12-01' },
        requestedBy: { id: `staff${n}`, name: 'Zoë Ní Bhriain' },
        requestedAt: `${addDays('2026-01-05', n * 3)}T10:00:00.000Z`,
      });
      await store.create(request);
    }

    const reply = await h.say(people.seniorDsl, 'export filter log', IT_CHANNEL);
    assert.equal(reply[0].activity.text, "I've sent you a private message");
    assert.equal(reply[0].activity.attachments, undefined, 'nothing of the log is posted in the channel');
    const sent = lastExport(h, people.seniorDsl);
    assert.match(cardText(cardOf(sent[0])), new RegExp(`60 requests, ${ukDate(addDays('2026-01-05', 3))} to ${ukDate(addDays('2026-01-05', 180))}`));
    assert.match(cardText(cardOf(sent[0])), /No filter checks yet/);

    const files = await exportedCsv(h, people.seniorDsl);
    const text = files['filter-change-log'].text;
    assert.ok(text.length > 12_000 * 2, `${text.length} characters`);
    const csv = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, file.rows]));
    assert.deepEqual(csv['filter-checks'], [[...CHECK_COLUMNS]]);
    const log = csv['filter-change-log'];
    assert.deepEqual(log[0], [...LOG_COLUMNS]);
    assert.equal(log.length, 61, 'every request is in the file, oldest first');
    assert.deepEqual(log[60], [
      'maps-60.example.org/floods',
      addDays('2026-01-05', 180),
      `Zoë Ní Bhriain: ${reason(60)}`,
      '',
      '',
      '',
      '',
      'In progress',
      'Pupils in Year 10; permanent',
      '',
      'FLT-2026-0060',
      'Unblock website',
      '',
    ]);
    assert.equal(log[1][10], 'FLT-2026-0001');
  });
});
