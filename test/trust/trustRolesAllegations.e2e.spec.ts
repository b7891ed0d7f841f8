import assert from 'node:assert/strict';
import { incidentsModule } from '../../bot/incidents';
import { SCHOOL_FIELD } from '../../bot/trust/schoolStamp';
import { cardText, visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { startHarness, type Harness } from '../support/harness';
import { fileReport, know, receivedBy, shown } from '../incidents/reportSteps';
import { exampleTrustWith, staff, trustMembers } from './trustPeople';
import { escalateNow, storedCase } from './trustRolesSetup';

const m = trustMembers();
const REFUSED = /isn't one you handle, or doesn't exist/;
const ABOUT_THE_HEAD = { occurredOn: '2026-11-19', place: 'on-site', description: 'The Head shared pupil photos on a personal account.' };

interface Rule {
  setting: 'ceo' | 'chairOfTrustees' | 'schoolChair';
  holder: Member;
  title: RegExp;
  /** Trust and school officers the rule does not name: none of them may see the case. */
  others: Member[];
}

const RULES: Rule[] = [
  { setting: 'ceo', holder: m.lmarsh, title: /the trust's CEO/, others: [m.pquinn, m.gcross, m.rokafor] },
  { setting: 'chairOfTrustees', holder: m.pquinn, title: /Chair of Trustees/, others: [m.lmarsh, m.gcross, m.rokafor] },
  { setting: 'schoolChair', holder: m.gcross, title: /Chair of Governors/, others: [m.lmarsh, m.pquinn, m.rokafor] },
];

for (const rule of RULES) {
  describe(`an allegation about a headteacher with trust.headteacherAllegations: ${rule.setting} (e2e over HTTP, Azurite)`, function () {
    this.timeout(180_000);
    let h: Harness;

    before(async () => {
      const file = await exampleTrustWith((raw) => (raw.trust.headteacherAllegations = rule.setting));
      h = await startHarness({ modules: [incidentsModule], env: { SCHOOL_CONFIG: file } });
      for (const member of [...Object.values(m), ...Object.values(staff)]) h.connector.addMember(member);
      await know(h, m.aholt, m.sdunn, m.mreid, ...rule.others);
    });
    after(async () => h?.stop());

    it('says truthfully that it reached nobody while the officer cannot be reached, and never falls back to the Head', async () => {
      const { ref, receipt } = await fileReport(h, staff.ashgrove, { category: 'staff-misuse', subject: 'head', details: ABOUT_THE_HEAD });
      assert.match(receipt, new RegExp(`Not delivered: phone ${rule.holder.name}`));
      assert.match(receipt, new RegExp(`This is for ${rule.holder.name}, ${rule.title.source}, because it concerns the Head`));
      assert.equal(reached(h, m.aholt, ref), false, 'the Head was sent nothing of it');
      for (const other of rule.others) assert.equal(reached(h, other, ref), false, `${other.name} was sent nothing of it`);
    });

    it(`routes it 1:1 to ${rule.holder.name} only, never to the Head it is about, and keeps it there`, async () => {
      await know(h, rule.holder);
      const { ref, receipt } = await fileReport(h, staff.ashgrove, { category: 'staff-misuse', subject: 'head', details: ABOUT_THE_HEAD });
      assert.match(receipt, new RegExp(`Sent to\\s+${rule.holder.name}`));
      assert.match(receipt, new RegExp(`This went to ${rule.holder.name}, ${rule.title.source}, because it concerns the Head`));
      assert.match(receipt, /the Head will not see it/);
      assert.match(receivedBy(h, rule.holder), new RegExp(`Case ${ref} comes to you as ${rule.title.source}`));

      const c = await storedCase(h, 'ashgrove', ref);
      assert.equal(c.route, 'chair');
      assert.equal(c.chairRole, rule.setting === 'schoolChair' ? undefined : rule.setting);
      assert.deepEqual(c.owners, [rule.setting === 'ceo' ? 'lmarsh' : rule.setting === 'chairOfTrustees' ? 'pquinn' : 'gcross']);
      assert.equal(c.concerned, 'aholt');

      for (const who of [m.aholt, ...rule.others]) {
        const res = await h.click(who, 'incident.open', { ref, [SCHOOL_FIELD]: 'ashgrove' });
        assert.match(shown(res), REFUSED, `${who.name} is refused`);
        assert.doesNotMatch(JSON.stringify(res.body), /pupil photos/);
        assert.doesNotMatch((await h.say(who, `case ${ref}`)).map(visibleText).join('\n'), /pupil photos/);
      }
      const record = await h.click(rule.holder, 'incident.open', { ref, [SCHOOL_FIELD]: 'ashgrove' });
      assert.match(cardText(record.body?.value), /pupil photos on a personal account/);
      assert.match(cardText(record.body?.value), new RegExp(`${m.aholt.name}[\\s\\S]*Tried to open or change this case and was refused`), 'the holder sees that the Head tried');
      assert.ok(!JSON.stringify(record.body?.value).includes('"aholt"'), 'the Head is not offered as an assignee');

      await escalateNow(h, 'ashgrove', ref, 4);
      const escalations = (await schoolAudit(h, ref)).filter((e) => e.action === 'case.escalated');
      assert.equal(escalations.length, 2, 'reminders to the holder, then the chain ends: it never leaves the route');
      assert.ok(escalations.every((e) => e.reason?.endsWith(`sent to ${rule.holder.name}`)));
      assert.equal(reached(h, m.aholt, ref), false, 'the Head was sent nothing of it');
      for (const other of rule.others) assert.equal(reached(h, other, ref), false, `${other.name} was sent nothing of it`);

      const claimed = await h.click(rule.holder, 'incident.claim', { ref, [SCHOOL_FIELD]: 'ashgrove' });
      assert.match(cardText(claimed.body?.value), new RegExp(`Handled by\\s+${rule.holder.name}`));
      assert.ok((await schoolAudit(h, ref)).some((e) => e.action === 'case.claimed' && e.actor.name === rule.holder.name));
    });
  });
}

/** Whether Lantern sent this person anything of the case (its refusals, which name only the reference, aside). */
function reached(h: Harness, who: Member, ref: string): boolean {
  return receivedBy(h, who).split('\n---\n').some((message) => message.includes(ref) && !REFUSED.test(message));
}

function schoolAudit(h: Harness, ref: string) {
  return h.lantern.schools.find((s) => s.id === 'ashgrove')!.services.audit.history('incident', ref);
}
