import assert from 'node:assert/strict';
import { filteringModule } from '../../bot/filtering';
import { RequestStore } from '../../bot/filtering/requestStore';
import { SCHOOL_FIELD } from '../../bot/trust/schoolStamp';
import { STEP_JOBS, stepJobId } from '../../bot/filtering/stepSchedule';
import { actionsOf, cardOf, cardText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { personalChat } from '../support/teamsChannel';
import { act, sendRequest } from '../filtering/helpers';
import { know, shown } from '../incidents/reportSteps';
import { EXAMPLE_TRUST, staff, trustMembers } from './trustPeople';
import { schoolOf } from './trustRolesSetup';

const m = trustMembers();

async function storedRequest(h: Harness, school: string, reference: string) {
  const found = await new RequestStore(schoolOf(h, school).services.tables).get(reference);
  assert.ok(found, `${reference} is not stored in ${school}`);
  return found.value;
}

/** Cards sent 1:1 about a request of one school (each school numbers its own, so references repeat across schools). */
function cardsAbout(h: Harness, who: (typeof m)[string], reference: string, school: string) {
  return h.connector
    .messagesIn(personalChat(who).id)
    .map((s) => cardOf(s))
    .filter((c) => c && cardText(c).includes(reference) && actionsOf(c).some((a) => a.data[SCHOOL_FIELD] === school));
}

describe("the trust's IT manager and filter requests (e2e over HTTP, Azurite)", function () {
  this.timeout(180_000);
  let h: Harness;

  before(async () => {
    h = await startHarness({ modules: [filteringModule], env: { SCHOOL_CONFIG: EXAMPLE_TRUST } });
    for (const member of [...Object.values(m), ...Object.values(staff)]) h.connector.addMember(member);
    await know(h, m.bhale, m.sdunn, m.kobi, m.jellis);
    await h.click(m.jellis, 'school.choose', { school: 'ashgrove' });
  });
  after(async () => h?.stop());

  it("takes the IT manager's steps of a request the school's own IT manager made, 1:1, instead of refusing it as a dead end", async () => {
    // Jo Ellis is Ashgrove's IT manager and has no technician: nobody in the school could authorise his request.
    const ref = await sendRequest(h, m.jellis, { audienceDetail: 'Year 5' });
    assert.match(shown(await act(h, m.sdunn, 'filter.approve', ref, 'sanction')), /sanction/i);
    const authorise = cardsAbout(h, m.bhale, ref, 'ashgrove').flatMap((c) => actionsOf(c)).find((a) => a.verb === 'filter.approve' && a.data.step === 'authorise');
    assert.ok(authorise, 'the trust IT manager was sent the authorise card 1:1');
    assert.equal(authorise.data[SCHOOL_FIELD], 'ashgrove');
    await h.click(m.bhale, 'filter.approve', { ...authorise.data, comment: '', filterReference: '' });
    const request = await storedRequest(h, 'ashgrove', ref);
    assert.equal(request.step, 'make');
    assert.deepEqual(request.history.map((s) => [s.step, s.by.name]), [['sanction', m.sdunn.name], ['authorise', m.bhale.name]]);
    const audit = await schoolOf(h, 'ashgrove').services.audit.history('filter-request', ref);
    assert.ok(audit.some((e) => e.action === 'filter.authorised' && e.actor.name === m.bhale.name), audit.map((e) => e.action).join(', '));
    // He still may not act on his own request at any step.
    assert.match(shown(await act(h, m.jellis, 'filter.approve', ref, 'make', { filterReference: 'SW-1' })), /someone else must act on it/);
  });

  it("is escalated a stalled IT step of another school with the school's IT manager, and authorises it there, which ordinary staff may not", async () => {
    const ref = await sendRequest(h, staff.brookfield);
    assert.match(shown(await act(h, m.kobi, 'filter.approve', ref, 'sanction')), /sanction/i);
    assert.match(shown(await act(h, staff.brookfield, 'filter.approve', ref, 'authorise')), /Only the IT manager can do this step/);
    assert.equal((await storedRequest(h, 'brookfield', ref)).step, 'authorise');
    assert.equal(cardsAbout(h, m.bhale, ref, 'brookfield').length, 0, "Brookfield's own IT manager has the step: the trust's is not sent it yet");

    // Nobody authorises it for as long again as the reminder: the escalation reaches both IT managers.
    const scheduler = schoolOf(h, 'brookfield').scheduler;
    await scheduler.schedule(STEP_JOBS.nudge, new Date(0), { reference: ref, step: 'authorise', round: 2 }, stepJobId(ref, 'authorise'));
    await scheduler.runDue();
    assert.ok(h.connector.messagesIn(personalChat(m.bhale).id).some((s) => new RegExp(`Escalated to you as the trust's IT manager: filter request ${ref}`).test(s.activity.text ?? '')));
    assert.ok(h.connector.messagesIn(personalChat(m.jellis).id).some((s) => new RegExp(`Escalated to you as the IT manager: filter request ${ref}`).test(s.activity.text ?? '')));
    const button = cardsAbout(h, m.bhale, ref, 'brookfield').flatMap((c) => actionsOf(c)).find((a) => a.verb === 'filter.approve' && a.data[SCHOOL_FIELD] === 'brookfield');
    assert.ok(button, 'the escalation card carries Brookfield\'s stamp');
    await h.click(m.bhale, 'filter.approve', { ...button.data, comment: '', filterReference: '' });
    const request = await storedRequest(h, 'brookfield', ref);
    assert.equal(request.step, 'make');
    assert.equal(request.history.at(-1)?.by.name, m.bhale.name);
  });
});
