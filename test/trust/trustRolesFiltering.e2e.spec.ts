import assert from 'node:assert/strict';
import { filteringModule } from '../../bot/filtering';
import { RequestStore } from '../../bot/filtering/requestStore';
import { SCHOOL_FIELD } from '../../bot/trust/schoolStamp';
import { STEP_JOBS, stepJobId } from '../../bot/filtering/stepSchedule';
import { actionsOf, cardOf, cardText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { personalChat } from '../support/teamsChannel';
import { act, sendRequest } from '../filtering/helpers';
import { consentCards, receiveFiles } from '../support/fileConsent';
import type { SentActivity } from '../support/fakeConnector';
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

  describe("the trust IT manager's filter log and export, school by school", () => {
    const seen = (sent: SentActivity[]) => sent.map((x) => [x.activity.text ?? '', cardText(cardOf(x)), ...consentCards([x]).map((c) => c.name)].join('\n')).join('\n');
    before(async () => {
      // Each school's request names a site only it uses: references repeat across schools, sites do not.
      await sendRequest(h, staff.ashgrove, { url: 'https://ashgrove-only.example.org/', audienceDetail: 'Year 5' });
      await sendRequest(h, staff.brookfield, { url: 'https://brookfield-only.example.org/' });
      await know(h, m.rokafor, m.lmarsh, m.pquinn, m.kobi);
    });

    it('shows the log of the school he names, headed by its name, and nothing of the other', async () => {
      const brk = seen(await h.say(m.bhale, 'filter log brookfield'));
      assert.match(brk, /Brookfield Academy · \d+ requests?, newest first/);
      assert.match(brk, /brookfield-only\.example\.org/);
      assert.doesNotMatch(brk, /ashgrove/i);
      const ash = seen(await h.say(m.bhale, 'show the filter log for Ashgrove'));
      assert.match(ash, /Ashgrove Primary School · /);
      assert.match(ash, /ashgrove-only\.example\.org/);
      assert.doesNotMatch(ash, /brookfield/i);
    });

    it('is asked once which school a plain `filter log` is for, then sees that school only', async () => {
      const asked = seen(await h.say(m.bhale, 'filter log'));
      assert.match(asked, /Which school/i);
      await h.click(m.bhale, 'school.choose', { school: 'brookfield' });
      const log = seen(h.connector.messagesIn(personalChat(m.bhale).id).slice(-1));
      assert.match(log, /Brookfield Academy · /);
      assert.doesNotMatch(log, /ashgrove-only/);
      assert.match(seen(await h.say(m.bhale, 'help')), /See a school's filter log[^]*the school you name/, 'help tells him to name the school');
    });

    it("exports the named school's log through file consent, the files named for the school, audited in that school's log only", async () => {
      const sent = await h.say(m.bhale, 'export filter log brookfield');
      assert.match(seen(sent), /for Brookfield Academy's governors' review/);
      const files = await receiveFiles(h, m.bhale, sent);
      assert.deepEqual(files.map((f) => f.name.replace(/\d{4}-\d{2}-\d{2}/, 'DATE')), ['filter-change-log-brookfield-DATE.csv', 'filter-checks-brookfield-DATE.csv']);
      const csv = files[0].bytes.toString('utf8');
      assert.match(csv, /brookfield-only\.example\.org/);
      assert.doesNotMatch(csv, /ashgrove/i);
      const exported = async (school: string) => (await schoolOf(h, school).services.audit.history('filter-log', 'all')).filter((e) => e.action === 'filter.exported' && e.actor.name === m.bhale.name);
      const brkAudit = await exported('brookfield');
      assert.equal(brkAudit.length, 1);
      assert.deepEqual(brkAudit[0].detail?.as, 'trust-it-manager');
      assert.equal((await exported('ashgrove')).length, 0, "Ashgrove's audit has no export it did not make");
    });

    it("gives no other trust officer, nor a school's own people, another school's log", async () => {
      for (const who of [m.rokafor, m.lmarsh, m.pquinn]) {
        for (const typed of ['filter log brookfield', 'export filter log ashgrove']) {
          const text = seen(await h.say(who, typed));
          assert.match(text, /for the DSLs and IT only\. Nothing was shown/, `${who.name}: ${typed}`);
          assert.doesNotMatch(text, /-only\.example\.org|filter-change-log/, `${who.name}: ${typed}`);
        }
      }
      // A DSL of one school names the other: her own school answers, and shows nothing.
      for (const [who, typed, other] of [[m.sdunn, 'filter log brookfield', /brookfield-only/], [m.kobi, 'export filter log ashgrove', /ashgrove-only|filter-change-log/]] as const) {
        const sent = await h.say(who, typed);
        assert.match(seen(sent), /is not a school whose filter log you can see here, so nothing was shown/);
        assert.doesNotMatch(seen(sent), other);
        assert.equal(consentCards(sent).length, 0);
      }
    });
  });
});
