import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type sinon from 'sinon';
import { incidentsModule } from '../../bot/incidents';
import { fakeDate } from '../support/fakeDate';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { fileReport, receivedBy } from './reportSteps';

const EXAMPLE = path.resolve(__dirname, '../../bot/config/school.example.yaml');

/** The example school with its `school:` block lines replaced, e.g. another nation or term dates. */
async function schoolWith(lines: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'lantern-school-')), 'school.yaml');
  await writeFile(file, (await readFile(EXAMPLE, 'utf8')).replace('  nation: england\n', lines));
  return file;
}

const ABOUT_HEAD = { occurredOn: '2027-03-24', place: 'on-site', staffId: 'hbrook', description: 'The Head shared pupil photos on a personal account.' };

describe('LADO reminder on working days, skipping bank holidays (end to end)', () => {
  let h: Harness | undefined;
  let clock: sinon.SinonFakeTimers | undefined;
  afterEach(async () => {
    clock?.restore();
    clock = undefined;
    await h?.stop();
    h = undefined;
  });

  const ladoReminders = (m: typeof people.chair) => receivedBy(h!, m).split('\n---\n').filter((t) => /^Reminder: case /.test(t));

  it('reminds the Chair about an allegation about the Head one working day later, after Good Friday and Easter Monday (England)', async () => {
    h = await startHarness({ modules: [incidentsModule] });
    await h.say(people.chair, 'help');
    await h.say(people.head, 'help');
    // Thursday 25 March 2027, 10:00 in London (GMT); Friday 26 and Monday 29 are bank holidays.
    clock = fakeDate('2027-03-25T10:00:00Z');
    const { ref } = await fileReport(h, people.teacher, { section: 'Senior', category: 'staff-misuse', subject: 'staff', details: ABOUT_HEAD });
    const lado = (await h.lantern.services.scheduler.pending('incident.lado-reminder')).find((j) => j.payload.ref === ref);
    // Tuesday 30 March, 10:00 London time, which is BST by then.
    assert.equal(lado?.due, '2027-03-30T09:00:00.000Z');
    await h.lantern.services.scheduler.runDue();
    assert.deepEqual(ladoReminders(people.chair), [], 'no reminder on the Easter Monday bank holiday');
    clock.setSystemTime(new Date('2027-03-30T09:00:01Z'));
    await h.lantern.services.scheduler.runDue();
    const [reminder] = ladoReminders(people.chair);
    assert.match(reminder, new RegExp(`Reminder: case ${ref} is an allegation about the Head, which came to you as Chair of Governors\\. .*LADO within one working day`));
    assert.ok(!receivedBy(h, people.head).includes(ref), 'the Head hears nothing of it');
  });

  it("counts Scotland's bank holidays for a Scottish school: Easter Monday is a working day there", async () => {
    h = await startHarness({ modules: [incidentsModule], env: { SCHOOL_CONFIG: await schoolWith('  nation: scotland\n') } });
    clock = fakeDate('2027-03-25T10:00:00Z');
    const { ref } = await fileReport(h, people.teacher, { section: 'Senior', category: 'staff-misuse', subject: 'staff', details: ABOUT_HEAD });
    const lado = (await h.lantern.services.scheduler.pending('incident.lado-reminder')).find((j) => j.payload.ref === ref);
    assert.equal(lado?.due, '2027-03-29T09:00:00.000Z');
  });

  it('refuses term dates that end before they start, naming the field', async () => {
    const file = await schoolWith('  termDates:\n    - { start: 2026-09-03, end: 2026-12-16 }\n    - { start: 2027-04-13, end: 2027-01-05 }\n');
    await assert.rejects(startHarness({ modules: [incidentsModule], env: { SCHOOL_CONFIG: file } }), /school\.termDates\[1\]\.end: a term must end on or after its start/);
  });

  it('refuses an unknown nation, naming the field', async () => {
    await assert.rejects(startHarness({ modules: [incidentsModule], env: { SCHOOL_CONFIG: await schoolWith('  nation: cornwall\n') } }), /school\.nation/);
  });
});
