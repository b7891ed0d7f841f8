import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import type sinon from 'sinon';
import { tutoringModule } from '../../bot/tutoring';
import { REMINDER_JOB, SUMMARY_JOB } from '../../bot/tutoring/tutorJobs';
import { cardOf, cardText, visibleText } from '../support/cards';
import { receiveFiles } from '../support/fileConsent';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat, teamChannel } from '../support/teamsChannel';
import { fakeDate as schoolClock } from '../support/fakeDate';

const session = (over: Record<string, unknown> = {}) => ({ id: '', group: '9B', date: '2026-11-25', time: '08:45', mode: 'in-person', attended: 24, absentees: 'J.S.', topic: 'Anti-bullying week', concern: 'false', ...over });

function rowValues(sheet: ExcelJS.Worksheet, n: number): unknown[] {
  const out: unknown[] = [];
  sheet.getRow(n).eachCell({ includeEmpty: true }, (cell, col) => (out[col - 1] = cell.value ?? ''));
  return out;
}

describe('the weekly tutor record (e2e)', () => {
  let h: Harness;
  let clock: sinon.SinonFakeTimers;
  beforeEach(async () => {
    clock = schoolClock('2026-11-25T10:00:00Z'); // Wednesday 25 Nov, GMT
    h = await startHarness({ modules: [tutoringModule] });
    await h.click(people.teacher, 'tutor.save', session());
    clock.tick(60_000);
    await h.click(people.teacher2, 'tutor.save', session({ group: '10A', date: '2026-11-23', time: '08:40', mode: 'video', attended: '', absentees: 'A.B.', topic: '=HYPERLINK("http://x.example")' }));
  });
  afterEach(async () => {
    await h.stop();
    clock.restore();
  });

  it('shows groups × days with who logged and what is missing, to the deputy head (pastoral) only', async () => {
    const card = cardOf((await h.say(people.pastoralHead, 'tutor log week'))[0]);
    const text = cardText(card);
    assert.match(text, /Tutor sessions, week of Mon 23 Nov 2026/);
    assert.match(text, /2 sessions logged for 3 tutor groups × 5 days \(15 expected\); 7 missing so far/);
    const groups = (card!.body as any[]).filter((b) => b.type === 'Container').map((c) => c.items.map((i: any) => i.text));
    assert.deepEqual(groups, [
      ['**9B** · o.teacher', '**Mon 23 Nov** · MISSING', '**Tue 24 Nov** · MISSING', '**Wed 25 Nov** · 08:45 Olivia Teacher', '**Thu 26 Nov** · not yet due', '**Fri 27 Nov** · not yet due'],
      ['**10A** · s.tutor', '**Mon 23 Nov** · 08:40 Sam Tutor', '**Tue 24 Nov** · MISSING', '**Wed 25 Nov** · MISSING', '**Thu 26 Nov** · not yet due', '**Fri 27 Nov** · not yet due'],
      ['**11C** · Chris Shaw', '**Mon 23 Nov** · MISSING', '**Tue 24 Nov** · MISSING', '**Wed 25 Nov** · MISSING', '**Thu 26 Nov** · not yet due', '**Fri 27 Nov** · not yet due'],
    ]);
    const days = (card!.body as any[]).filter((b) => b.type === 'Container').flatMap((c) => c.items.slice(1));
    assert.deepEqual(days.filter((d: any) => d.color === 'Attention').map((d: any) => d.text), days.filter((d: any) => / · MISSING$/.test(d.text)).map((d: any) => d.text), 'the colour only repeats the word MISSING');
    assert.doesNotMatch(text, /J\.S\.|Anti-bullying/, 'the grid carries no pupil details or topics');

    assert.match(visibleText((await h.say(people.teacher, 'tutor log week'))[0]), /weekly tutor record is for the deputy head \(pastoral\), the DSLs and Lantern admins/);
    assert.match(visibleText((await h.say(people.teacher, 'export tutor log'))[0]), /weekly tutor record is for the deputy head/);
  });

  it('exports the week as an .xlsx workbook and a CSV file in personal chat', async () => {
    const sent = await h.say(people.pastoralHead, 'export tutor log 2026-11-25');
    assert.match(sent[0].activity.text, /^The tutor record for the week of Mon 23 Nov 2026: 2 sessions logged, 7 missing\. The 2 files follow: choose Allow on each/);
    const files = await receiveFiles(h, people.pastoralHead, sent);
    assert.deepEqual(files.map((f) => [f.name, f.contentType]), [
      ['tutor-log-2026-11-23.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['tutor-log-2026-11-23.csv', 'text/csv'],
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(files[0].bytes as any);
    const week = wb.getWorksheet('Week')!;
    assert.deepEqual(rowValues(week, 1), ['Group', 'Tutor', 'Mon 23 Nov', 'Tue 24 Nov', 'Wed 25 Nov', 'Thu 26 Nov', 'Fri 27 Nov']);
    assert.deepEqual(rowValues(week, 2), ['9B', 'o.teacher@hollinspark.example.org', 'MISSING', 'MISSING', '08:45 Olivia Teacher', '', '']);
    assert.deepEqual(rowValues(week, 3), ['10A', 's.tutor@hollinspark.example.org', '08:40 Sam Tutor', 'MISSING', 'MISSING', '', '']);
    assert.equal(week.getCell('C2').font?.color?.argb, 'FFC00000', 'missing cells stand out');
    const sessions = wb.getWorksheet('Sessions')!;
    assert.deepEqual(rowValues(sessions, 1).slice(0, 12), ['Week', 'Group', 'Tutor', 'Day', 'Date', 'Status', 'Time', 'Mode', 'Present', 'Absentees', 'Topic', 'Concern raised']);
    assert.deepEqual(rowValues(sessions, 4).slice(0, 13), ['2026-11-23', '9B', 'o.teacher@hollinspark.example.org', 'Wednesday', '2026-11-25', 'logged', '08:45', 'In person', 24, 'J.S.', 'Anti-bullying week', 'no', 'Olivia Teacher']);
    assert.deepEqual(rowValues(sessions, 7).slice(0, 11), ['2026-11-23', '10A', 's.tutor@hollinspark.example.org', 'Monday', '2026-11-23', 'logged', '08:40', 'Video on Teams', '', 'A.B.', `'=HYPERLINK("http://x.example")`]);
    assert.equal(sessions.rowCount, 16);

    const csv = files[1].bytes.toString('utf8').split('\r\n');
    assert.equal(csv[0], 'Week,Group,Tutor,Day,Date,Status,Time,Mode,Present,Absentees,Topic,Concern raised,Logged by,Logged at,Corrected at');
    assert.equal(csv[1], '2026-11-23,9B,o.teacher@hollinspark.example.org,Monday,2026-11-23,MISSING,,,,,,,,,');
    assert.equal(csv[6], `2026-11-23,10A,s.tutor@hollinspark.example.org,Monday,2026-11-23,logged,08:40,Video on Teams,,A.B.,"'=HYPERLINK(""http://x.example"")",no,Sam Tutor,2026-11-25T10:01:00.000Z,`);

    const audit = await h.lantern.services.audit.history('tutor-week', '2026-11-23');
    assert.equal(audit.at(-1)?.action, 'tutor-log.exported');
    const inChannel = await h.say(people.pastoralHead, 'export tutor log', teamChannel('Pastoral'));
    assert.match(visibleText(inChannel[0]), /only send it in a 1:1 chat/);
    assert.equal(inChannel[0].activity.attachments, undefined);
  });

  it('reminds tutors with missing days on Friday, then posts the summary to the pastoral channel and schedules next week', async () => {
    const pastoral = teamChannel('Pastoral', 'Staff');
    await h.say(people.dpo, 'register pastoral', pastoral);
    await h.say(people.teacher2, 'hello');
    await h.say(people.teacher, 'hello');
    await h.click(people.teacher2, 'tutor.save', session({ group: '10A', date: '2026-11-24' }));
    await h.click(people.teacher2, 'tutor.save', session({ group: '10A', date: '2026-11-25' }));

    clock.setSystemTime(Date.parse('2026-11-27T11:59:00Z'));
    assert.equal(await h.lantern.services.scheduler.runDue(), 0, 'nothing before noon on Friday');
    clock.setSystemTime(Date.parse('2026-11-27T12:01:00Z'));
    await h.lantern.services.scheduler.runDue();
    const toTeacher = h.connector.messagesIn(personalChat(people.teacher).id).map(visibleText).at(-1);
    assert.match(toTeacher ?? '', /no tutor session for \*\*9B\*\* is logged on Mon 23 Nov, Tue 24 Nov, Thu 26 Nov, Fri 27 Nov/);
    const toTeacher2 = h.connector.messagesIn(personalChat(people.teacher2).id).map(visibleText).at(-1);
    assert.match(toTeacher2 ?? '', /no tutor session for \*\*10A\*\* is logged on Thu 26 Nov, Fri 27 Nov/);
    assert.equal((await h.lantern.services.scheduler.get(REMINDER_JOB.id))?.due, '2026-12-04T12:00:00.000Z');
    assert.equal(h.connector.messagesIn(pastoral.id).length, 1, 'only the registration reply so far');

    clock.setSystemTime(Date.parse('2026-11-27T15:31:00Z'));
    await h.lantern.services.scheduler.runDue();
    const posted = h.connector.messagesIn(pastoral.id).at(-1)!;
    const text = cardText(cardOf(posted));
    assert.match(text, /Weekly tutor record, week of Mon 23 Nov 2026/);
    assert.match(text, /4 sessions logged for 3 tutor groups × 5 days \(15 expected\); 11 missing so far/);
    assert.doesNotMatch(text, /J\.S\.|A\.B\.|Anti-bullying|HYPERLINK/, 'no pupil details or topics in the channel');
    assert.equal((cardOf(posted)!.actions ?? []).length, 0, 'no export buttons in a channel');
    assert.equal((await h.lantern.services.scheduler.get(SUMMARY_JOB.id))?.due, '2026-12-04T15:30:00.000Z');
  });

  it('sends the summary 1:1 to the deputy head (pastoral) when no pastoral channel is registered, and survives a restart', async () => {
    await h.say(people.pastoralHead, 'hello');
    await h.restart();
    clock.setSystemTime(Date.parse('2026-11-27T15:31:00Z'));
    await h.lantern.services.scheduler.runDue();
    const last = h.connector.messagesIn(personalChat(people.pastoralHead).id).at(-1);
    assert.match(cardText(cardOf(last)), /Weekly tutor record, week of Mon 23 Nov 2026/);
  });
});
