import assert from 'node:assert/strict';
import { incidentsModule } from '../../bot/incidents';
import { CATEGORIES } from '../../bot/incidents/categories';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { DocumentTable } from '../../bot/storage/documentTable';
import { visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat, teamChannel } from '../support/teamsChannel';
import { fileReport, PUPIL_DETAILS, know, receivedBy, shown, setAway } from './reportSteps';

const STAFF = { occurredOn: '2026-11-19', place: 'on-site', description: 'Saw a colleague using a pupil login to change marks.' };

describe('incidents tell the truth about delivery (end to end)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule] });
  });
  afterEach(async () => h.stop());

  const stored = async (ref: string) => (await new DocumentTable<IncidentCase>(h.lantern.services.tables, 'incidents').get('case', ref))!.value;

  it('day one, nobody reachable: the danger card, the receipt and a cancel all say nobody got it, with names and numbers to ring', async () => {
    await h.say(people.teacher, 'report an incident');
    const gate = shown(await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'yes', section: 'Senior' }));
    assert.match(gate, /Call 999 now/);
    assert.match(gate, /Nobody has received this alert: Lantern could not reach anyone in Teams\. Phone now: Daniel Khan \(07700 900003\); Laura Morris \(07700 900004\); Helen Brook \(07700 900001\)/);
    assert.match(gate, /Priya Green \(07700 900005\)/, 'widened to the other sections, who are also listed to ring');
    assert.doesNotMatch(gate, /I have alerted/);
    assert.match(shown(await h.click(people.teacher, 'incident.cancel', {})), /^Report cancelled: nothing was sent\. Your urgent alert reached nobody in Teams\. If a child may still be in danger, phone now: Daniel Khan \(07700 900003\)/);

    const { receipt } = await fileReport(h, people.teacher, { danger: true, section: 'Senior', category: 'other', subject: 'pupil', details: PUPIL_DETAILS });
    assert.match(receipt, /^Not delivered: phone Daniel Khan \(07700 900003\) now\. Reference INC-/);
    assert.match(receipt, /Sent to\s+No one\n/);
    assert.doesNotMatch(receipt, /Report sent|Delivered to/);
    const alert = (await h.lantern.services.audit.history('incident-alert', people.teacher.aadObjectId)).at(-1);
    assert.deepEqual(alert?.detail?.reached, []);
  });

  it("widens the urgent alert to the Head and the other sections when the section's team cannot be reached, and names who got it", async () => {
    await know(h, people.head, people.prepDsl, people.seniorDeputy);
    h.connector.failing.add(personalChat(people.seniorDeputy).id);
    await h.say(people.teacher, 'report an incident');
    const gate = shown(await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'yes', section: 'Senior' }));
    assert.match(gate, /No one in the safeguarding team for this section could be reached in Teams, so I alerted: Helen Brook, Priya Green\./);
    assert.match(gate, /Not reached in Teams: Daniel Khan \(07700 900003\), Laura Morris \(07700 900004\)/);
    assert.match(receivedBy(h, people.head), /URGENT: a child may be in immediate danger[\s\S]*Senior/);
    assert.match(receivedBy(h, people.prepDsl), /URGENT/);
    const cancel = shown(await h.click(people.teacher, 'incident.cancel', {}));
    assert.match(cancel, /The urgent alert you raised had already reached Helen Brook, Priya Green; it cannot be taken back/);
    assert.doesNotMatch(cancel, /has already gone to the DSL/);
  });

  it('does not widen when the section team has it; cancelling names exactly who did', async () => {
    await know(h, people.seniorDsl, people.head);
    await h.say(people.teacher, 'report an incident');
    const gate = shown(await h.click(people.teacher, 'incident.danger', { step: 'safety', answer: 'yes', section: 'Senior' }));
    assert.match(gate, /I have alerted: Daniel Khan\. Not reached in Teams: Laura Morris \(07700 900004\)/);
    assert.doesNotMatch(receivedBy(h, people.head), /URGENT/, 'the Head is not alerted while the section DSL has it');
    assert.match(shown(await h.click(people.teacher, 'incident.cancel', {})), /had already reached Daniel Khan;/);
  });

  it('the Head named as the member of staff, under every category: only the Chair gets it; the Head gets nothing and cannot open it', async () => {
    const channel = teamChannel('Safeguarding Senior');
    await h.say(people.dpo, 'register dsl Senior', channel);
    await know(h, people.head, people.chair, people.seniorDsl, people.itManager, people.dpo);
    const headBefore = receivedBy(h, people.head);
    const channelBefore = h.connector.messagesIn(channel.id).length;
    for (const category of CATEGORIES) {
      const { ref, receipt } = await fileReport(h, people.teacher, { section: 'Senior', category: category.id, subject: 'staff', preserved: {}, details: { ...STAFF, staffId: 'hbrook' } });
      const c = await stored(ref);
      assert.equal(c.route, 'chair', category.id);
      assert.deepEqual(c.owners, ['rowen'], category.id);
      assert.equal(c.concerned, 'hbrook');
      assert.equal(c.facts.staffName, 'Helen Brook', 'the name comes from the roster, not the card');
      assert.match(receipt, /^Delivered to Rachel Owen: /);
      assert.match(receipt, /because it concerns the Head; the Head will not see it\. An allegation about the Head must reach the LADO .* within one working day/);
      assert.match(String((await h.click(people.head, 'incident.open', { ref })).body?.value), /isn't one you handle, or doesn't exist. Nothing was changed/, category.id);
    }
    assert.match(receivedBy(h, people.chair), /comes to you as Chair of Governors because it concerns the Head, who cannot see it\. An allegation about the Head must reach the LADO within one working day/);
    // Typed under "not listed" rather than picked: still recognised as the Head on the server.
    const typed = await fileReport(h, people.teacher, { section: 'Senior', category: 'staff-misuse', subject: 'staff', details: { ...STAFF, staffId: 'not-listed', staffName: '  helen   BROOK ' } });
    assert.equal((await stored(typed.ref)).route, 'chair');
    assert.equal(receivedBy(h, people.head), headBefore, 'the Head received nothing: no 1:1, no alert');
    assert.equal(h.connector.messagesIn(channel.id).length, channelBefore, 'nothing in the DSL channel');
  });

  it('a DSL named as the member of staff gets nothing, cannot open or be assigned it, and their channel is not used', async () => {
    const channel = teamChannel('Safeguarding Senior');
    await h.say(people.dpo, 'register dsl Senior', channel);
    await know(h, people.head, people.seniorDsl, people.seniorDeputy);
    const dslBefore = receivedBy(h, people.seniorDsl);
    const channelBefore = h.connector.messagesIn(channel.id).length;
    const { ref, receipt } = await fileReport(h, people.teacher, { section: 'Senior', category: 'cyberbullying', subject: 'staff', details: { ...STAFF, staffId: 'dkhan' } });
    assert.match(receipt, /^Delivered to Helen Brook: /);
    assert.match(receipt, /Daniel Khan is not told and cannot open it, because the report is about them/);
    const c = await stored(ref);
    assert.equal(c.concerned, 'dkhan');
    assert.equal(h.connector.messagesIn(channel.id).length, channelBefore);
    for (let i = 0; i < 3; i++) {
      await h.lantern.services.scheduler.schedule('incident.escalate', new Date(0), { ref }, `incident-escalate-${ref}`);
      await h.lantern.services.scheduler.runDue();
    }
    assert.equal(receivedBy(h, people.seniorDsl), dslBefore, 'the DSL concerned received nothing, escalations included');
    assert.match(String((await h.click(people.seniorDsl, 'incident.open', { ref })).body?.value), /isn't one you handle, or doesn't exist. Nothing was changed/);
    const record = JSON.stringify((await h.click(people.head, 'incident.open', { ref })).body?.value);
    assert.ok(!record.includes('"dkhan"'), 'the DSL concerned is not offered as an assignee');
    assert.match(shown(await h.click(people.head, 'incident.assign', { ref, assignee: 'dkhan' })), /Choose someone from the list/);
    assert.equal((await stored(ref)).assignee, undefined);
  });

  it('a DSL marked away: the deputy is told 1:1, the channel card says who is covering, the reporter is told', async () => {
    const channel = teamChannel('Safeguarding Senior');
    await h.say(people.dpo, 'register dsl Senior', channel);
    await know(h, people.seniorDsl, people.seniorDeputy);
    await setAway(h, people.seniorDsl, true);
    const { ref, receipt } = await fileReport(h, people.teacher, { category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS });
    assert.match(receipt, /^Delivered to the Safeguarding › Safeguarding Senior channel, Laura Morris: /);
    assert.match(receipt, /Daniel Khan is away: Laura Morris is covering\./);
    const card = visibleText(h.connector.messagesIn(channel.id).at(-1));
    assert.match(card, new RegExp(`${ref}[\\s\\S]*Claim\\s+Not yet claimed — covering: Laura Morris \\(DSL away\\)`));
    assert.doesNotMatch(card, /Handled by/);
    assert.match(receivedBy(h, people.seniorDeputy), new RegExp(`You are covering for Daniel Khan, who is away: case ${ref} is new in the Safeguarding › Safeguarding Senior channel`));

    await h.click(people.seniorDeputy, 'incident.claim', { ref });
    // Told that it is handled, not by whom: the reporter's messages carry nothing of the case's handling.
    assert.match(receivedBy(h, people.teacher), new RegExp(`Your report ${ref} has been acknowledged: the safeguarding team is handling it`));
  });
});
