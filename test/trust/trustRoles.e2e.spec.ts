import assert from 'node:assert/strict';
import { SCHOOL_FIELD } from '../../bot/trust/schoolStamp';
import { actionsOf, cardOf, cardText, visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { startHarness, type Harness } from '../support/harness';
import { personalChat } from '../support/teamsChannel';
import { fileReport, know, PUPIL_DETAILS, receivedBy, shown } from '../incidents/reportSteps';
import { EXAMPLE_TRUST, staff, trustMembers } from './trustPeople';
import { escalateNow, schoolOf, storedCase } from './trustRolesSetup';

const m = trustMembers();

/** A pupil case in one school, filed through the form by that school's teacher. */
const pupilCase = (h: Harness, school: 'ashgrove' | 'brookfield') =>
  fileReport(h, staff[school], { section: school === 'ashgrove' ? 'Primary' : 'Lower', category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS });

/** The card buttons Lantern sent someone 1:1 for this case, as Teams shows them (stamped with the school). */
function buttonsFor(h: Harness, who: Member, ref: string, verb: string) {
  return h.connector
    .messagesIn(personalChat(who).id)
    .map((s) => cardOf(s))
    .filter((c) => c && cardText(c).includes(ref))
    .flatMap((c) => actionsOf(c))
    .filter((a) => a.verb === verb);
}

const REFUSED = /isn't one you handle, or doesn't exist/;

describe("the trust's safeguarding lead across the trust's schools (e2e over HTTP, Azurite)", function () {
  this.timeout(180_000);
  let h: Harness;

  before(async () => {
    h = await startHarness({ env: { SCHOOL_CONFIG: EXAMPLE_TRUST } });
    for (const member of [...Object.values(m), ...Object.values(staff)]) h.connector.addMember(member);
    await know(h, m.rokafor, m.sdunn, m.mreid, m.aholt, m.kobi, m.dlowe, m.tnash);
  });
  after(async () => h?.stop());

  it("opens and claims a case in each school, each card naming its school, and lists both under their schools' names", async () => {
    const ash = await pupilCase(h, 'ashgrove');
    const brk = await pupilCase(h, 'brookfield');

    const listed = await h.say(m.rokafor, 'cases');
    assert.doesNotMatch(listed.map(visibleText).join('\n'), /Which school is this for/, 'a trust officer is not asked which school `cases` is for');
    const bySchool = (name: string) => listed.map(visibleText).find((t) => t.includes(`**${name}**`)) ?? '';
    assert.match(bySchool('Ashgrove Primary School'), new RegExp(`${ash.ref} · Cyberbullying · P2 · New · Primary`));
    assert.doesNotMatch(bySchool('Ashgrove Primary School'), new RegExp(brk.ref));
    assert.match(bySchool('Brookfield Academy'), new RegExp(`${brk.ref} · Cyberbullying · P2 · New · Lower`));
    assert.doesNotMatch(bySchool('Brookfield Academy'), new RegExp(ash.ref));
    assert.doesNotMatch(listed.map(visibleText).join('\n'), /Jamie Example|nobody likes me/, 'the list shows what a case card shows, never the account');

    // A typed reference goes to the school whose prefix it carries.
    const record = visibleText((await h.say(m.rokafor, `case ${brk.ref}`))[0]);
    assert.match(record, /Jamie Example/);
    assert.match(record, /Lower · Brookfield Academy/);

    // Her card presses reach the school that sent the card; the record is re-read there and her role checked there.
    const claimAsh = await h.click(m.rokafor, 'incident.claim', { ref: ash.ref, [SCHOOL_FIELD]: 'ashgrove' });
    assert.match(cardText(claimAsh.body?.value), new RegExp(`Handled by\\s+${m.rokafor.name}`));
    assert.match(cardText(claimAsh.body?.value), /Primary · Ashgrove Primary School/);
    const claimBrk = await h.click(m.rokafor, 'incident.claim', { ref: brk.ref, [SCHOOL_FIELD]: 'brookfield' });
    assert.match(cardText(claimBrk.body?.value), new RegExp(`Handled by\\s+${m.rokafor.name}`));
    assert.equal((await storedCase(h, 'ashgrove', ash.ref)).assignee?.id, 'rokafor');
    assert.equal((await storedCase(h, 'brookfield', brk.ref)).assignee?.id, 'rokafor');
    const claimed = (await schoolOf(h, 'brookfield').services.audit.history('incident', brk.ref)).find((e) => e.action === 'case.claimed');
    assert.equal(claimed?.actor.name, m.rokafor.name);

    const note = await h.click(m.rokafor, 'incident.note', { ref: ash.ref, note: 'Spoke to the DSL; parents informed.', [SCHOOL_FIELD]: 'ashgrove' });
    assert.match(cardText(note.body?.value), /Note added to the chronology/);
    assert.ok((await schoolOf(h, 'ashgrove').services.audit.history('incident', ash.ref)).some((e) => e.action === 'case.note-added' && e.actor.id === 'rokafor'));
  });

  it("refuses a school DSL on another school's case, showing nothing, whatever the card says", async () => {
    const brk = await pupilCase(h, 'brookfield');
    // Sophie Dunn is Ashgrove's DSL: a forged stamp cannot take her into Brookfield.
    for (const res of [await h.click(m.sdunn, 'incident.open', { ref: brk.ref, [SCHOOL_FIELD]: 'brookfield' }), await h.click(m.sdunn, 'incident.claim', { ref: brk.ref, [SCHOOL_FIELD]: 'brookfield' })]) {
      assert.match(shown(res), REFUSED);
      assert.doesNotMatch(JSON.stringify(res.body), /Jamie|Cyberbullying|Lower/);
    }
    const typed = (await h.say(m.sdunn, `case ${brk.ref}`)).map(visibleText).join('\n');
    assert.match(typed, REFUSED);
    assert.doesNotMatch(typed, /Jamie/);
    assert.doesNotMatch((await h.say(m.sdunn, 'cases')).map(visibleText).join('\n'), new RegExp(brk.ref));
    assert.equal((await storedCase(h, 'brookfield', brk.ref)).assignee, undefined);
  });

  it("shows the CEO, the Chair of Trustees and the trust IT manager no school's pupil case (the trust-role rows of the visibility matrix)", async () => {
    const cases = [await pupilCase(h, 'ashgrove'), await pupilCase(h, 'brookfield')];
    for (const who of [m.lmarsh, m.pquinn, m.bhale]) {
      for (const [i, school] of (['ashgrove', 'brookfield'] as const).entries()) {
        const res = await h.click(who, 'incident.open', { ref: cases[i].ref, [SCHOOL_FIELD]: school });
        assert.match(shown(res), REFUSED, `${who.name} on ${school}'s case`);
        assert.doesNotMatch(JSON.stringify(res.body), /Jamie|Cyberbullying/);
        assert.doesNotMatch((await h.say(who, `case ${cases[i].ref}`)).map(visibleText).join('\n'), /Jamie/);
      }
      const listed = (await h.say(who, 'cases')).map(visibleText);
      assert.deepEqual(listed, ['**Ashgrove Primary School**: no open cases for you to handle.', '**Brookfield Academy**: no open cases for you to handle.'], `${who.name}'s cases`);
    }
  });

  it("escalates an unclaimed case DSL → deputy → Head → the trust's safeguarding lead, whose card press claims it in its school", async () => {
    const { ref } = await pupilCase(h, 'ashgrove');
    await escalateNow(h, 'ashgrove', ref, 2);
    assert.doesNotMatch(receivedBy(h, m.rokafor), new RegExp(`${ref} \\(P2\\) has not been acknowledged`), 'the trust lead is the last step, after the Head');
    await escalateNow(h, 'ashgrove', ref);
    assert.match(receivedBy(h, m.rokafor), new RegExp(`Case ${ref} \\(P2\\) has not been acknowledged`));
    const escalated = (await schoolOf(h, 'ashgrove').services.audit.history('incident', ref)).filter((e) => e.action === 'case.escalated');
    assert.deepEqual(escalated.map((e) => /sent to (.*)$/.exec(e.reason ?? '')?.[1]), [m.mreid.name, m.aholt.name, m.rokafor.name]);
    await escalateNow(h, 'ashgrove', ref);
    assert.equal((await schoolOf(h, 'ashgrove').services.audit.history('incident', ref)).filter((e) => e.action === 'case.escalated').length, 3, 'the chain ends with the trust lead');

    const [claim] = buttonsFor(h, m.rokafor, ref, 'incident.claim');
    assert.equal(claim?.data[SCHOOL_FIELD], 'ashgrove', "the escalation card carries Ashgrove's stamp");
    const res = await h.click(m.rokafor, 'incident.claim', claim.data);
    assert.match(cardText(res.body?.value), new RegExp(`Handled by\\s+${m.rokafor.name}`));
    assert.equal((await storedCase(h, 'ashgrove', ref)).status, 'acknowledged');
  });

  it("takes an allegation against staff after the Head has been reminded twice, and may act on it", async () => {
    const { ref } = await fileReport(h, staff.brookfield, { category: 'staff-misuse', subject: 'staff', details: { occurredOn: '2026-11-19', place: 'on-site', staffId: 'fprice', description: 'A colleague used a pupil login to change marks.' } });
    assert.deepEqual((await storedCase(h, 'brookfield', ref)).owners, ['tnash']);
    await escalateNow(h, 'brookfield', ref, 2);
    assert.doesNotMatch(receivedBy(h, m.rokafor), new RegExp(ref));
    await escalateNow(h, 'brookfield', ref);
    assert.match(receivedBy(h, m.rokafor), new RegExp(`Case ${ref} \\(P\\d\\) has not been acknowledged`));
    const record = await h.click(m.rokafor, 'incident.open', { ref, [SCHOOL_FIELD]: 'brookfield' });
    assert.match(cardText(record.body?.value), /used a pupil login to change marks/);
  });

  it('never sends the trust lead a case about her, nor lets her open or list it', async () => {
    const { ref, receipt } = await fileReport(h, staff.brookfield, { category: 'staff-misuse', subject: 'staff', details: { occurredOn: '2026-11-19', place: 'on-site', staffId: 'rokafor', description: 'The trust lead shared a pupil list on a personal account.' } });
    assert.match(receipt, new RegExp(`Sent to\\s+${m.tnash.name}`));
    assert.match(receipt, new RegExp(`${m.rokafor.name} is not told and cannot open it`));
    const c = await storedCase(h, 'brookfield', ref);
    assert.equal(c.concerned, 'rokafor');
    await escalateNow(h, 'brookfield', ref, 4);
    assert.doesNotMatch(receivedBy(h, m.rokafor), new RegExp(ref));
    assert.match(shown(await h.click(m.rokafor, 'incident.open', { ref, [SCHOOL_FIELD]: 'brookfield' })), REFUSED);
    assert.doesNotMatch((await h.say(m.rokafor, 'cases')).map(visibleText).join('\n'), new RegExp(ref));
    assert.match(shown(await h.click(m.tnash, 'incident.open', { ref })), /shared a pupil list/);
  });
});
