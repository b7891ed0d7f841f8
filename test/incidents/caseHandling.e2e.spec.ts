import assert from 'node:assert/strict';
import sinon from 'sinon';
import { incidentsModule } from '../../bot/incidents';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { DocumentTable } from '../../bot/storage/documentTable';
import { cardText, latestCards, visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { receiveFiles } from '../support/fileConsent';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat, teamChannel } from '../support/teamsChannel';
import { fileReport, PUPIL_DETAILS, shown } from './reportSteps';
import { fakeDate } from '../support/fakeDate';
import { LEAKED } from '../security/hostileText';

describe('handling an incident case (end to end)', () => {
  let h: Harness;
  let ref: string;
  const channel = teamChannel('Safeguarding Senior');
  const table = () => new DocumentTable<IncidentCase>(h.lantern.services.tables, 'incidents');
  const dm = (m: Member) => h.connector.messagesIn(personalChat(m).id).map(visibleText).join('\n---\n');

  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule] });
    await h.say(people.dpo, 'register dsl Senior', channel);
    for (const m of [people.seniorDsl, people.seniorDeputy, people.head]) await h.say(m, 'help');
    ({ ref } = await fileReport(h, people.teacher, { category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS }));
  });
  afterEach(async () => {
    sinon.restore();
    await h.stop();
  });

  it('lets exactly one of two DSLs claiming at once win; the other sees the fresh card', async () => {
    const cardId = h.connector.messagesIn(channel.id).at(-1)!.id;
    const [a, b] = await Promise.all([
      h.click(people.seniorDsl, 'incident.claim', { ref }, channel, cardId),
      h.click(people.seniorDeputy, 'incident.claim', { ref }, channel, cardId),
    ]);
    const texts = [shown(a), shown(b)];
    const losers = texts.filter((t) => /This case was just updated by someone else/.test(t));
    assert.equal(losers.length, 1, texts.join('\n====\n'));
    const c = (await table().get('case', ref))!.value;
    assert.equal(c.status, 'acknowledged');
    const claims = (await h.lantern.services.audit.history('incident', ref)).filter((e) => e.action === 'case.claimed');
    assert.equal(claims.length, 1);
    assert.equal(claims[0].actor.id, c.assignee!.id);
    assert.match(losers[0], new RegExp(`Status\\s+Acknowledged[\\s\\S]*Handled by\\s+${c.assignee!.name}`));
    // Updated in place for everyone, and the reporter told it was acknowledged.
    const update = h.connector.updated.filter((u) => u.activityId === cardId).at(-1)!;
    assert.match(visibleText({ conversationId: channel.id, id: cardId, activity: update.activity }), /Acknowledged/);
    assert.match(dm(people.teacher), new RegExp(`Your report ${ref} has been acknowledged`));
  });

  it('refuses a forged invoke from someone who is not handling the case and changes nothing stored', async () => {
    const before = (await table().get('case', ref))!;
    const historyBefore = await h.lantern.services.audit.history('incident', ref);
    for (const [who, verb, data] of [
      [people.teacher, 'incident.claim', { ref }],
      [people.teacher, 'incident.status', { ref, status: 'closed', reason: 'nothing to see' }],
      [people.technician, 'incident.assign', { ref, assignee: 'swu' }],
      [people.prepDsl, 'incident.open', { ref }],
      [people.teacher, 'incident.note', { ref, note: 'forged' }],
    ] as const) {
      const res = await h.click(who, verb, data);
      assert.equal(String(res.body?.value), `Case ${ref} isn't one you handle, or doesn't exist. Nothing was changed.`, `${who.name} ${verb}`);
    }
    const after = (await table().get('case', ref))!;
    assert.equal(after.etag, before.etag);
    assert.deepEqual(after.value, before.value);
    // The refused attempts are on the case's chronology for its handlers, and nothing else was added.
    const historyAfter = await h.lantern.services.audit.history('incident', ref);
    assert.deepEqual(historyAfter.filter((e) => e.action !== 'incident.access-refused'), historyBefore);
    assert.equal(historyAfter.filter((e) => e.action === 'incident.access-refused').length, 5);
    assert.match(String((await h.click(people.seniorDsl, 'incident.claim', { ref: '../etc' })).body?.value), /not understood/);
    // A handler in the channel cannot pull the record or change it there either.
    assert.match(String((await h.click(people.seniorDsl, 'incident.note', { ref, note: 'x' }, channel)).body?.value), /never shown in a shared chat/);
    assert.doesNotMatch(JSON.stringify((await h.click(people.seniorDsl, 'incident.claim', { ref, view: 'record' }, channel)).body?.value), /Jamie|nobody likes me/);
  });

  it('opens the full record only in a private chat, logs the view, and moves the case through its statuses', async () => {
    const open = await h.click(people.seniorDsl, 'incident.open', { ref }, channel);
    assert.equal(open.body?.value, "I've sent you the full record in a private chat.");
    const record = visibleText(h.connector.messagesIn(personalChat(people.seniorDsl).id).at(-1));
    assert.match(record, /Case .* \(confidential\)[\s\S]*Jamie Example, Year 9[\s\S]*nobody likes me/);
    const refer = await h.click(people.seniorDsl, 'incident.status', { ref, view: 'record', status: 'referred', agency: 'csc', reference: '' });
    assert.match(shown(refer), /Enter the agency's reference\./);
    assert.match(shown(await h.click(people.seniorDsl, 'incident.status', { ref, status: 'referred', agency: 'csc', reference: 'CSC-4471' })), /Status is now Referred[\s\S]*Children's social care, ref CSC-4471/);
    assert.match(shown(await h.click(people.seniorDsl, 'incident.status', { ref, status: 'closed' })), /Say why the case is being closed\./);
    assert.match(shown(await h.click(people.seniorDsl, 'incident.note', { ref, note: 'Spoke to parents; agreed plan.' })), /Note added[\s\S]*Spoke to parents; agreed plan\./);
    assert.match(shown(await h.click(people.seniorDsl, 'incident.status', { ref, status: 'closed', reason: 'Social care leading; school plan in place.' })), /Status is now Closed/);
    assert.match(dm(people.teacher), new RegExp(`Your report ${ref} has been acknowledged[\\s\\S]*Your report ${ref} has been closed`));
    assert.match(shown(await h.click(people.seniorDsl, 'incident.status', { ref, status: 'referred', agency: 'police', reference: 'x' })), /A case that is Closed cannot be moved to Referred/);
    assert.match(shown(await h.click(people.seniorDsl, 'incident.status', { ref, status: 'in-progress', reason: 'New messages reported.' })), /Status is now In progress/);
    const lastChannelCard = h.connector.updated.filter((u) => u.conversationId === channel.id).at(-1)!;
    assert.match(JSON.stringify(lastChannelCard.activity), /In progress/);
    const actions = (await h.lantern.services.audit.history('incident', ref)).map((e) => e.action);
    assert.deepEqual(actions, ['case.reported', 'case.routed', 'case.viewed', 'case.status-changed', 'case.note-added', 'case.status-changed', 'case.status-changed']);
  });

  it('answers a status that is no status (a forged or prototype word) in plain words, and changes nothing', async () => {
    const before = (await table().get('case', ref))!;
    for (const status of ['constructor', 'toString', '__proto__', 'nonsense', '']) {
      const text = shown(await h.click(people.seniorDsl, 'incident.status', { ref, status, reason: 'x' }));
      assert.match(text, /A case that is New cannot be moved to that status\./, status);
      assert.doesNotMatch(text, LEAKED, status);
    }
    assert.equal((await table().get('case', ref))!.etag, before.etag);
  });

  it('assigns only to people allowed to handle the case', async () => {
    assert.match(shown(await h.click(people.seniorDsl, 'incident.assign', { ref, view: 'record', assignee: 'swu' })), /Choose someone from the list/);
    assert.match(shown(await h.click(people.seniorDsl, 'incident.assign', { ref, assignee: 'lmorris' })), /Assigned to Laura Morris/);
    assert.match(dm(people.seniorDeputy), new RegExp(`Daniel Khan has assigned case ${ref} to you`));
    assert.equal((await table().get('case', ref))!.value.assignee?.id, 'lmorris');
  });

  it('exports the chronology as CSV and JSON, and logs the export', async () => {
    await h.click(people.seniorDsl, 'incident.claim', { ref });
    const sent = await h.say(people.seniorDsl, `export case ${ref.toLowerCase()}`);
    const files = await receiveFiles(h, people.seniorDsl, sent);
    assert.deepEqual(files.map((f) => f.name), [`${ref}-chronology.csv`, `${ref}.json`]);
    const csv = files[0].bytes.toString('utf8');
    assert.match(csv, /^"reference","date_time_utc","who","action","description","reason"\r\n/);
    assert.match(csv, /"case\.claimed"/);
    const json = JSON.parse(files[1].bytes.toString('utf8'));
    assert.equal(json.case.facts.pupilName, 'Jamie Example');
    assert.equal((await h.lantern.services.audit.history('incident', ref)).at(-1)?.action, 'case.exported');
    assert.match(visibleText((await h.say(people.teacher, `export case ${ref}`))[0]), /isn't one you handle, or doesn't exist/);
  });

  it('escalates an unacknowledged case DSL → deputy → Head on a durable schedule, and stops once claimed', async () => {
    const c = (await table().get('case', ref))!.value;
    const clock = fakeDate(c.reportedAt);
    await h.restart();
    clock.tick(60 * 60_000);
    assert.equal(await h.lantern.services.scheduler.runDue(), 0, 'P2 is not due after an hour');
    clock.tick(4 * 60 * 60_000);
    await h.lantern.services.scheduler.runDue();
    assert.match(dm(people.seniorDeputy), new RegExp(`Case ${ref} \\(P2\\) has not been acknowledged within 4 hours`));
    assert.doesNotMatch(dm(people.head), new RegExp(`Case ${ref}`));
    clock.tick(4 * 60 * 60_000 + 1000);
    await h.lantern.services.scheduler.runDue();
    assert.match(dm(people.head), new RegExp(`Case ${ref} \\(P2\\) has not been acknowledged`));
    // The channel's one card names everyone now holding the case, without any detail of it.
    const inChannel = latestCards(h.connector, { conversationId: channel.id, about: new RegExp(ref) });
    assert.equal(inChannel.length, 1, 'one card of the case in the channel');
    assert.match(cardText(inChannel[0].card), new RegExp(`Not yet claimed — for: ${people.seniorDsl.name}; escalated to ${people.seniorDeputy.name}, ${people.head.name}`));
    assert.doesNotMatch(JSON.stringify(inChannel[0].card), /Jamie Example/);
    await h.click(people.head, 'incident.claim', { ref });
    assert.match(cardText(latestCards(h.connector, { conversationId: channel.id, about: new RegExp(ref) })[0].card), new RegExp(`Handled by\\s+${people.head.name}`));
    const deputyCopy = latestCards(h.connector, { conversationId: personalChat(people.seniorDeputy).id, about: new RegExp(ref) });
    assert.match(cardText(deputyCopy.at(-1)!.card), new RegExp(`Handled by\\s+${people.head.name}`), "the deputy's escalation card shows the claim too");
    assert.equal((await h.lantern.services.scheduler.pending('incident.escalate')).length, 0);
    const escalated = (await h.lantern.services.audit.history('incident', ref)).filter((e) => e.action === 'case.escalated');
    assert.equal(escalated.length, 2);
  });
});
