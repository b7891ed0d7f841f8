import assert from 'node:assert/strict';
import type sinon from 'sinon';
import { tutoringModule } from '../../bot/tutoring';
import { REMINDER_JOB, SUMMARY_JOB } from '../../bot/tutoring/tutorJobs';
import { cardOf, cardText } from '../support/cards';
import { fakeDate } from '../support/fakeDate';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat } from '../support/teamsChannel';

describe('tutor reminders and the Friday summary skip bank holidays (e2e)', () => {
  let h: Harness;
  let clock: sinon.SinonFakeTimers;
  beforeEach(async () => {
    clock = fakeDate('2027-03-24T10:00:00Z'); // Wednesday before Good Friday 2027
    h = await startHarness({ modules: [tutoringModule] });
    await h.say(people.pastoralHead, 'hello');
  });
  afterEach(async () => {
    await h.stop();
    clock.restore();
  });

  it('moves the Good Friday summary to the next school day (after Easter Monday), about the week before, counting only school days', async () => {
    const summaries = () => h.connector.messagesIn(personalChat(people.pastoralHead).id).map((m) => cardText(cardOf(m))).filter((t) => /Weekly tutor record/.test(t));
    assert.equal((await h.lantern.services.scheduler.get(SUMMARY_JOB.id))?.due, '2027-03-26T15:30:00.000Z');
    clock.setSystemTime(Date.parse('2027-03-26T15:31:00Z'));
    await h.lantern.services.scheduler.runDue();
    assert.deepEqual(summaries(), [], 'nothing sent on Good Friday');
    // Easter Monday is a bank holiday too: Tuesday 30 March, 15:30 BST.
    assert.equal((await h.lantern.services.scheduler.get(SUMMARY_JOB.id))?.due, '2027-03-30T14:30:00.000Z');
    assert.equal((await h.lantern.services.scheduler.get(REMINDER_JOB.id))?.due, '2027-03-30T11:00:00.000Z');
    clock.setSystemTime(Date.parse('2027-03-30T14:31:00Z'));
    await h.lantern.services.scheduler.runDue();
    const [summary] = summaries();
    assert.match(summary, /Weekly tutor record, week of Mon 22 Mar 2027/);
    assert.match(summary, /× 4 days/, 'Good Friday is not a session day');
    assert.equal((await h.lantern.services.scheduler.get(SUMMARY_JOB.id))?.due, '2027-04-02T14:30:00.000Z', 'back to Fridays');
  });
});
