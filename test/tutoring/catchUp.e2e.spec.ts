import assert from 'node:assert/strict';
import type sinon from 'sinon';
import { tutoringModule } from '../../bot/tutoring';
import { REMINDER_JOB, SUMMARY_JOB } from '../../bot/tutoring/tutorJobs';
import { cardOf, cardText, visibleText } from '../support/cards';
import { fakeDate } from '../support/fakeDate';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat, teamChannel } from '../support/teamsChannel';

describe('weekly tutor jobs after downtime run once, for the latest week (e2e)', () => {
  let h: Harness;
  let clock: sinon.SinonFakeTimers;
  afterEach(async () => {
    await h.stop();
    clock.restore();
  });

  it('three weeks down: one reminder for the current week, one summary for the latest Friday, audit lines for each dropped week', async () => {
    clock = fakeDate('2026-11-25T10:00:00Z'); // Wednesday 25 Nov
    h = await startHarness({ modules: [tutoringModule] });
    const pastoral = teamChannel('Pastoral', 'Staff');
    await h.say(people.dpo, 'register pastoral', pastoral);
    await h.say(people.teacher, 'hello');
    assert.equal((await h.lantern.services.scheduler.get(REMINDER_JOB.id))?.due, '2026-11-27T12:00:00.000Z');

    // Lantern is down from Wednesday 25 Nov until Friday 18 Dec, 12:30: three Friday reminders missed.
    await h.lantern.stop();
    clock.setSystemTime(Date.parse('2026-12-18T12:30:00Z'));
    await h.restart();
    const chat = personalChat(people.teacher).id;
    const before = h.connector.messagesIn(chat).length;
    const pastoralBefore = h.connector.messagesIn(pastoral.id).length;
    await h.lantern.services.scheduler.runDue();
    await h.lantern.services.scheduler.runDue(); // a second tick finds nothing more to catch up

    const reminders = h.connector.messagesIn(chat).slice(before).map(visibleText);
    assert.equal(reminders.length, 1, reminders.join('\n---\n'));
    assert.match(reminders[0], /no tutor session for \*\*9B\*\* is logged on Mon 14 Dec, Tue 15 Dec, Wed 16 Dec, Thu 17 Dec, Fri 18 Dec/);
    assert.equal((await h.lantern.services.scheduler.get(REMINDER_JOB.id))?.due, '2026-12-25T12:00:00.000Z', 'the next run is next Friday, not a missed one');

    // The summary was due on 27 Nov, 4 Dec and 11 Dec (15:30): only 11 Dec's week is sent.
    const summaries = h.connector.messagesIn(pastoral.id).slice(pastoralBefore);
    assert.equal(summaries.length, 1);
    assert.match(cardText(cardOf(summaries[0])), /Weekly tutor record, week of Mon 7 Dec 2026/);
    assert.equal((await h.lantern.services.scheduler.get(SUMMARY_JOB.id))?.due, '2026-12-18T15:30:00.000Z');

    const dropped = async (week: string) => (await h.lantern.services.audit.history('tutor-week', week)).map((e) => `${e.action}: ${e.reason}`);
    for (const week of ['2026-11-23', '2026-11-30', '2026-12-07']) {
      assert.ok(
        (await dropped(week)).some((line) => /^tutor-week\.reminder-dropped: Lantern was not running when the reminder was due \(Fri \d+ (Nov|Dec) 2026, 12:00\)/.test(line)),
        `week ${week}: ${(await dropped(week)).join('; ')}`,
      );
    }
    assert.ok(!(await dropped('2026-12-14')).some((l) => l.includes('dropped')), 'the current week is sent, not dropped');
    for (const week of ['2026-11-23', '2026-11-30']) {
      assert.ok((await dropped(week)).some((line) => line.startsWith('tutor-week.summary-dropped: Lantern was not running when the summary was due')), week);
    }
    assert.ok((await dropped('2026-12-07')).some((l) => l.startsWith('tutor-week.summary-sent')));
  });

  it('a job on time drops nothing', async () => {
    clock = fakeDate('2026-11-25T10:00:00Z');
    h = await startHarness({ modules: [tutoringModule] });
    clock.setSystemTime(Date.parse('2026-11-27T12:05:00Z'));
    await h.lantern.services.scheduler.runDue();
    const lines = (await h.lantern.services.audit.history('tutor-week', '2026-11-23')).map((e) => e.action);
    assert.ok(!lines.some((a) => a.endsWith('-dropped')), lines.join(', '));
    assert.equal((await h.lantern.services.scheduler.get(REMINDER_JOB.id))?.due, '2026-12-04T12:00:00.000Z');
  });
});
