import assert from 'node:assert/strict';
import { incidentsModule } from '../../bot/incidents';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { DocumentTable } from '../../bot/storage/documentTable';
import { cardText, visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat, teamChannel } from '../support/teamsChannel';
import { fileReport, PUPIL_DETAILS, know, receivedBy, setAway } from './reportSteps';
import { actionsOf, cardOf } from '../support/cards';

const STAFF_DETAILS = { occurredOn: '2026-11-19', place: 'on-site', staffName: 'A. Colleague', description: 'Saw a colleague using a pupil login to change marks.' };

describe('incident routing (school rules, end to end)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule] });
  });
  afterEach(async () => h.stop());

  const stored = async (ref: string) => (await new DocumentTable<IncidentCase>(h.lantern.services.tables, 'incidents').get('case', ref))!.value;

  it('posts a pupil case to the DSL channel for the pupil\'s section, with no pupil name or account', async () => {
    const channel = teamChannel('Safeguarding Senior');
    await h.say(people.dpo, 'register dsl Senior', channel);
    const before = h.connector.messagesIn(channel.id).length;
    const { ref, receipt } = await fileReport(h, people.teacher, { category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS });
    assert.match(receipt, /Sent to\s+the Safeguarding › Safeguarding Senior channel/);
    const posted = h.connector.messagesIn(channel.id).slice(before);
    assert.equal(posted.length, 1);
    const card = visibleText(posted[0]);
    assert.match(card, new RegExp(`Online-safety case ${ref}`));
    assert.match(card, /Cyberbullying[\s\S]*P2[\s\S]*Senior[\s\S]*Olivia Teacher[\s\S]*New/);
    for (const secret of ['Jamie', 'Year 9', 'nobody likes me', 'Group chat messages']) assert.doesNotMatch(card, new RegExp(secret), `channel card shows "${secret}"`);
    const c = await stored(ref);
    assert.equal(c.section, 'Senior', 'section inferred from Year 9');
    assert.deepEqual(c.owners, ['dkhan']);
    assert.equal(c.facts.pupilName, 'Jamie Example');
  });

  it('sends a pupil case to the deputy, not the DSL, when the DSL is marked away (no channel registered)', async () => {
    await know(h, people.seniorDsl, people.seniorDeputy);
    const { confirm, done } = await setAway(h, people.seniorDsl, true);
    assert.match(confirm, /While you are away, new cases in your sections go to:\nSenior\nLaura Morris/);
    assert.match(done, /marked away\. New cases now go to Senior: Laura Morris/);
    const dslBefore = receivedBy(h, people.seniorDsl);
    const { ref, receipt } = await fileReport(h, people.teacher, { category: 'inappropriate-deliberate', subject: 'pupil', details: PUPIL_DETAILS });
    assert.match(receipt, /Sent to\s+Laura Morris/);
    assert.match(receivedBy(h, people.seniorDeputy), new RegExp(`${ref}[\\s\\S]*Not yet claimed — covering: Laura Morris \\(DSL away\\)`));
    assert.equal(receivedBy(h, people.seniorDsl), dslBefore, 'nothing new reaches the DSL who is away');
    assert.deepEqual((await stored(ref)).owners, ['lmorris']);
    const audit = await h.lantern.services.audit.history('person', 'dkhan');
    assert.equal(audit.at(-1)?.action, 'person.away-changed');
  });

  it('refuses `away on` from someone who is not a DSL or deputy, typed or as a button', async () => {
    assert.match(visibleText((await h.say(people.teacher, 'away on'))[0]), /Only DSLs and deputy DSLs/);
    assert.match(String((await h.click(people.teacher, 'incident.away', { away: true })).body?.value), /Only DSLs and deputy DSLs/);
    assert.deepEqual(await h.lantern.services.audit.history('person', 'teacher1'), []);
  });

  it('`away on` changes nothing until confirmed, names who will cover, and the confirm re-reads the state', async () => {
    const card = cardOf((await h.say(people.seniorDsl, 'away on'))[0]);
    assert.match(cardText(card), /Mark yourself away\?[\s\S]*Senior\nLaura Morris[\s\S]*Nothing changes until you confirm/);
    assert.deepEqual(actionsOf(card).map((a) => [a.title, a.data]), [['Yes, mark me away', { away: true }], ['Cancel', { choice: 'cancel' }]]);
    assert.equal((await h.lantern.services.config.current()).isAway('dkhan'), false, 'typing the command alone re-routes nothing');
    assert.deepEqual(await h.lantern.services.audit.history('person', 'dkhan'), []);

    const cancelled = await h.click(people.seniorDsl, 'incident.away', { choice: 'cancel' });
    assert.match(cardText(cancelled.body?.value), /Nothing changed/);
    assert.equal((await h.lantern.services.config.current()).isAway('dkhan'), false);

    assert.match(cardText((await h.click(people.seniorDsl, 'incident.away', { away: true })).body?.value), /You're marked away\. New cases now go to Senior: Laura Morris/);
    assert.match(cardText((await h.click(people.seniorDsl, 'incident.away', { away: true })).body?.value), /already marked away\. Nothing was changed/, 'a second press of an old card changes nothing');
    const audit = await h.lantern.services.audit.history('person', 'dkhan');
    assert.deepEqual(audit.map((e) => [e.action, e.actor.id, e.reason, e.changes]), [['person.away-changed', 'dkhan', 'confirmed in chat', { away: { from: false, to: true } }]]);

    // The help card now offers the way back, and it too asks first.
    const help = cardOf((await h.say(people.seniorDsl, 'help'))[0]);
    assert.ok(actionsOf(help).some((a) => a.title === 'Mark me back' && a.data.command === 'away off'));
    assert.match(visibleText((await h.say(people.seniorDsl, 'away off'))[0]), /Mark yourself back\?[\s\S]*Senior\nDaniel Khan/);
    assert.match(cardText((await h.click(people.seniorDsl, 'incident.away', { away: false })).body?.value), /no longer marked away\. New cases now go to Senior: Daniel Khan/);
  });

  it('warns when nobody else would cover a section', async () => {
    // Kiran Patel is the only deputy for Pre-Prep and Prep: with both DSLs there, nothing moves for them.
    await setAway(h, people.prePrepDsl, true);
    const card = visibleText((await h.say(people.prepDeputy, 'away on'))[0]);
    assert.match(card, /Pre-Prep\nTom Jones/, 'Tom Jones is away, so with his deputy away too the DSL is the last resort');
    assert.match(card, /Prep\nPriya Green/);
    assert.doesNotMatch(card, /Nobody else is on duty/);
    await setAway(h, people.prepDeputy, true);
    const dsl = visibleText((await h.say(people.prePrepDsl, 'away on'))[0]);
    assert.match(dsl, /Nobody else is on duty for Pre-Prep: new cases there will still come to you/);
  });

  it('sends staff misuse to the Head 1:1 as case manager, not the DSL channel, and reminds about the LADO after one working day', async () => {
    const channel = teamChannel('Safeguarding Senior');
    await h.say(people.dpo, 'register dsl Senior', channel);
    await know(h, people.head);
    const channelBefore = h.connector.messagesIn(channel.id).length;
    const { ref, receipt } = await fileReport(h, people.teacher, { section: 'Senior', category: 'staff-misuse', subject: 'staff', details: STAFF_DETAILS });
    assert.match(receipt, /Sent to\s+Helen Brook/);
    assert.equal(h.connector.messagesIn(channel.id).length, channelBefore, 'nothing posted in the DSL channel');
    assert.match(receivedBy(h, people.head), new RegExp(`Online-safety case ${ref}[\\s\\S]*Staff misuse of ICT[\\s\\S]*P1`));
    const c = await stored(ref);
    assert.equal(c.route, 'head');
    const lado = (await h.lantern.services.scheduler.pending('incident.lado-reminder'))[0];
    const hours = (Date.parse(lado.due) - Date.parse(c.reportedAt)) / 3_600_000;
    assert.ok(hours >= 24 && hours <= 72, `LADO reminder due after one working day, got ${hours}h`);
    await h.lantern.services.scheduler.schedule('incident.lado-reminder', new Date(0), { ref }, lado.id);
    await h.lantern.services.scheduler.runDue();
    assert.match(receivedBy(h, people.head), new RegExp(`Reminder: case ${ref}[\\s\\S]*LADO within one working day`));
  });

  it('sends an allegation about the Head only to the Chair of Governors; nothing reaches the Head, who cannot open it', async () => {
    const channel = teamChannel('Safeguarding Senior');
    await h.say(people.dpo, 'register dsl Senior', channel);
    await know(h, people.head, people.chair, people.seniorDsl);
    const headBefore = receivedBy(h, people.head);
    const channelBefore = h.connector.messagesIn(channel.id).length;
    const { ref, receipt } = await fileReport(h, people.teacher, { section: 'Senior', category: 'staff-misuse', subject: 'head', details: { ...STAFF_DETAILS, description: 'The Head shared pupil photos on a personal account.' } });
    assert.match(receipt, /Sent to\s+Rachel Owen/);
    assert.match(receivedBy(h, people.chair), new RegExp(ref));
    assert.equal(h.connector.messagesIn(channel.id).length, channelBefore);
    const open = await h.click(people.head, 'incident.open', { ref });
    assert.match(String(open.body?.value), /isn't one you handle, or doesn't exist/);
    assert.match(String((await h.click(people.head, 'incident.claim', { ref })).body?.value), /isn't one you handle, or doesn't exist/);
    const chairView = await h.click(people.chair, 'incident.open', { ref });
    assert.match(cardText(chairView.body?.value), /Helen Brook[\s\S]*Tried to open or change this case and was refused/, 'the Chair sees that the Head tried');
    assert.match(JSON.stringify(chairView.body?.value), /shared pupil photos on a personal account/);
    assert.ok(!JSON.stringify(chairView.body?.value).includes('"hbrook"'), 'the Head is not offered as an assignee');
    // Even unacknowledged for days, the escalation chain stays with the Chair.
    const c = await stored(ref);
    for (let i = 0; i < 3; i++) {
      await h.lantern.services.scheduler.schedule('incident.escalate', new Date(0), { ref }, `incident-escalate-${ref}`);
      await h.lantern.services.scheduler.runDue();
    }
    assert.equal(receivedBy(h, people.head), headBefore, 'the Head received nothing about this case');
    const escalations = (await h.lantern.services.audit.history('incident', ref)).filter((e) => e.action === 'case.escalated');
    assert.equal(escalations.length, 2);
    assert.ok(escalations.every((e) => /Rachel Owen/.test(e.reason ?? '') && !/Helen Brook/.test(e.reason ?? '')));
    assert.deepEqual(c.owners, ['rowen']);
    assert.equal(c.route, 'chair');
    assert.match(visibleText((await h.say(people.head, `export case ${ref}`))[0]), /isn't one you handle, or doesn't exist/);
  });

  it('sends a data breach to the data-protection lead 1:1, or to the dpo channel when one is registered', async () => {
    await know(h, people.dpo);
    const first = await fileReport(h, people.teacher, { category: 'data-breach', subject: 'unknown', details: { occurredOn: '2026-11-21', place: 'off-site', device: 'School iPad 14', description: 'Left a school iPad on the train.' } });
    assert.match(first.receipt, /Sent to\s+Anna Davies/);
    assert.match(receivedBy(h, people.dpo), new RegExp(`${first.ref}[\\s\\S]*Data breach or lost device`));
    const dpoChannel = teamChannel('Data Protection', 'Office');
    await h.say(people.dpo, 'register dpo', dpoChannel);
    const second = await fileReport(h, people.teacher, { category: 'data-breach', subject: 'unknown', details: { occurredOn: '2026-11-21', place: 'on-site', description: 'Spreadsheet emailed to the wrong parent.' } });
    assert.match(second.receipt, /Office › Data Protection channel/);
    assert.match(visibleText(h.connector.messagesIn(dpoChannel.id).at(-1)), new RegExp(second.ref));
  });

  it('sends a filter bypass to the DSL channel and to the IT manager', async () => {
    const channel = teamChannel('Safeguarding Prep');
    await h.say(people.dpo, 'register dsl Prep', channel);
    await know(h, people.itManager);
    const { ref, receipt } = await fileReport(h, people.teacher, { category: 'filter-bypass', subject: 'pupil', details: { ...PUPIL_DETAILS, pupilYear: 'Year 5', description: 'Pupil using a VPN app on a school laptop.' } });
    assert.match(receipt, /Safeguarding Prep channel, Mark Cole/);
    assert.match(visibleText(h.connector.messagesIn(channel.id).at(-1)), new RegExp(`${ref}[\\s\\S]*Filter bypass or VPN[\\s\\S]*Prep`));
    assert.match(receivedBy(h, people.itManager), new RegExp(ref));
    assert.equal((await stored(ref)).section, 'Prep');
  });
});
