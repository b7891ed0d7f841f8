import assert from 'node:assert/strict';
import { incidentsModule } from '../../bot/incidents';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { retentionModule } from '../../bot/retention';
import { tutoringModule } from '../../bot/tutoring';
import { DocumentTable } from '../../bot/storage/documentTable';
import type { Member } from '../support/fakeConnector';
import { HandClock } from '../support/fakeDate';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { teamChannel } from '../support/teamsChannel';
import { fileReport, PUPIL_DETAILS, refIn, shown } from '../incidents/reportSteps';

interface Mark {
  result?: { ref?: string };
  at: string;
}

describe('the daily retention sweep forgets finished submits’ outbox marks (end to end, on a sinon clock)', () => {
  const clock = new HandClock();
  let h: Harness;
  const marks = () => new DocumentTable<Mark>(h.lantern.services.tables, 'outbox');
  const cases = async () => (await new DocumentTable<IncidentCase>(h.lantern.services.tables, 'incidents').list('case')).length;
  /** The task whose done mark holds this case's receipt. */
  const taskOf = async (ref: string) => (await marks().named('~done')).find((m) => m.value.result?.ref === ref)?.partitionKey;
  const sendAgain = (who: Member) => h.click(who, 'incident.next', { step: 'details', ...PUPIL_DETAILS });
  let old: { ref: string; task: string };
  let recent: { ref: string; task: string };
  const failing = { attempts: 0 };
  const TUTOR_FORM = '6f1c2a9e-4b7d-4c3e-9a51-2d8e7f6b1c04';
  const saveTutorLog = () => h.click(people.teacher, 'tutor.save', { id: '', formId: TUTOR_FORM, group: '9B', date: '2026-11-23', time: '08:45', mode: 'in-person', attended: 24, absentees: '', topic: 'Anti-bullying week', concern: 'false' });
  const tutorLogLines = async () => {
    const logs = await new DocumentTable<{ id: string }>(h.lantern.services.tables, 'tutorlogs').all();
    assert.equal(logs.length, 1, 'one tutor log');
    return (await h.lantern.services.audit.history('tutor-log', logs[0].value.id)).map((e) => e.action);
  };

  before(async function () {
    this.timeout(120_000);
    clock.at('2026-11-23T09:00:00Z');
    h = await startHarness({ modules: [incidentsModule, retentionModule, tutoringModule] });
    await h.say(people.dpo, 'register dsl Senior', teamChannel('Safeguarding Senior'));
    for (const m of [people.seniorDsl, people.seniorDeputy, people.head, people.teacher, people.hodMaths]) await h.say(m, 'help');
    const outbox = h.lantern.services.outbox;
    // A task whose second step keeps failing: its first step is recorded, it is never done.
    outbox.define('test.unfinished', async (_p, run) => {
      await run.step('first', async () => 'kept');
      await run.step('second', async () => {
        failing.attempts += 1;
        throw new Error('Teams refused');
      });
      return 'never';
    });
    await assert.rejects(outbox.submit('test.unfinished', 'unfinished-running', {}), /Teams refused/);
    // The same, but its job gave up: nothing will run it again unless someone presses again.
    await assert.rejects(outbox.submit('test.unfinished', 'unfinished-given-up', {}), /Teams refused/);
    await h.lantern.services.scheduler.cancel('unfinished-given-up');

    assert.match(shown(await saveTutorLog()), /Logged/);

    const first = await fileReport(h, people.teacher, { category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS });
    old = { ref: first.ref, task: (await taskOf(first.ref))! };
    clock.at('2026-12-20T09:00:00Z');
    const second = await fileReport(h, people.hodMaths, { category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS });
    recent = { ref: second.ref, task: (await taskOf(second.ref))! };
    assert.ok(old.task && recent.task);
    assert.ok((await marks().list(old.task)).length > 3, 'a report leaves a mark per step');
  });
  after(async () => {
    clock.restore();
    await h.stop();
  });

  it('keeps a sent report’s marks while its draft is kept, so Send pressed again shows the receipt and sends nothing', async () => {
    clock.at('2026-12-21T02:30:00Z');
    await h.lantern.services.scheduler.runDue();
    assert.ok((await marks().list(old.task)).some((m) => m.rowKey === '~done'), 'a report 28 days old keeps its marks');
    const before = await cases();
    assert.equal(refIn(shown(await sendAgain(people.teacher))), old.ref, 'the same receipt');
    assert.equal(await cases(), before, 'no second case');
  });

  it('after the period, removes every mark of a finished task; keeps a recent one, and every mark of an unfinished one', async () => {
    // 32 days after the first report (drafts are kept 30, the marks 30 and a day): the sweep at 02:30.
    clock.at('2026-12-25T02:30:00Z');
    await h.lantern.services.scheduler.runDue();
    assert.deepEqual(await marks().list(old.task), [], 'the old report’s marks are gone');
    assert.ok((await marks().list(recent.task)).some((m) => m.rowKey === '~done'), 'a report five days old keeps its marks');
    assert.deepEqual((await marks().list('unfinished-running')).map((m) => m.rowKey), ['first'], 'a task still retried keeps its marks');
    assert.deepEqual((await marks().list('unfinished-given-up')).map((m) => m.rowKey), ['first'], 'a task a press may still finish keeps its marks');
    assert.ok(await h.lantern.services.scheduler.get('unfinished-running'), 'and its job is still there');
  });

  it('Send pressed again after the sweep sends nothing again; pressed on the recent report it shows the same receipt', async () => {
    const before = await cases();
    const sent = h.connector.sent.length;
    const again = shown(await sendAgain(people.teacher));
    assert.equal(refIn(again), undefined, `no new receipt: ${again}`);
    assert.equal(await cases(), before, 'no second case');
    assert.equal(h.connector.sent.length, sent, 'nobody was told again');
    assert.equal(refIn(shown(await sendAgain(people.hodMaths))), recent.ref, 'the same receipt');
    assert.equal(await cases(), before);
  });

  it('Save pressed again on a tutor log form after the sweep shows the log and records nothing again', async () => {
    assert.deepEqual(await tutorLogLines(), ['tutor-log.created']);
    assert.match(shown(await saveTutorLog()), /Logged/);
    assert.deepEqual(await tutorLogLines(), ['tutor-log.created'], 'no second audit line');
  });

  it('a month later the recent report’s marks go too, and the unfinished tasks’ still stay', async () => {
    clock.at('2027-01-25T02:30:00Z');
    await h.lantern.services.scheduler.runDue();
    assert.deepEqual(await marks().list(recent.task), []);
    assert.deepEqual((await marks().list('unfinished-given-up')).map((m) => m.rowKey), ['first']);
    assert.deepEqual((await marks().list('unfinished-running')).map((m) => m.rowKey), ['first']);
  });
});
