import assert from 'node:assert/strict';
import type sinon from 'sinon';
import { tutoringModule } from '../../bot/tutoring';
import { actionsOf, cardOf, cardText, visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { fakeDate as schoolClock } from '../support/fakeDate';

const session = (over: Record<string, unknown> = {}) => ({ id: '', group: '9B', date: '2026-11-25', time: '08:45', mode: 'in-person', attended: 24, absentees: '', topic: 'Anti-bullying week', concern: 'false', ...over });

function inputValue(card: Record<string, any> | undefined, id: string): unknown {
  let found: unknown;
  const walk = (n: any): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    if (n.id === id && typeof n.type === 'string' && n.type.startsWith('Input.')) found = n.value;
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}

describe('tutor session logs (e2e)', () => {
  let h: Harness;
  let clock: sinon.SinonFakeTimers;
  beforeEach(async () => {
    clock = schoolClock('2026-11-25T10:00:00Z'); // Wednesday, GMT
    h = await startHarness({ modules: [tutoringModule] });
  });
  afterEach(async () => {
    await h.stop();
    clock.restore();
  });

  it('offers the form with the tutor\'s own group, today and now filled in', async () => {
    const card = cardOf((await h.say(people.teacher, 'log tutor session'))[0]);
    assert.match(cardText(card), /Log a tutor session/);
    assert.equal(inputValue(card, 'group'), '9B');
    assert.equal(inputValue(card, 'date'), '2026-11-25');
    assert.equal(inputValue(card, 'time'), '10:00');
    assert.equal(inputValue(card, 'mode'), 'in-person');
    assert.deepEqual(actionsOf(card).map((a) => a.verb), ['tutor.save', 'tutor.cancel']);
  });

  it('re-shows the form with errors beside the fields and keeps what was typed', async () => {
    const res = await h.click(people.teacher, 'tutor.save', session({ attended: '', topic: '', time: '8.45', absentees: 'J.S., K.L.'.padEnd(301, 'x') }));
    const text = cardText(res.body?.value);
    assert.match(text, /Give the time as HH:MM/);
    assert.match(text, /Say briefly what the session covered/);
    assert.match(text, /Absentees can be up to 300 characters; this is 301/);
    assert.equal(inputValue(res.body?.value, 'time'), '8.45');
    assert.equal(inputValue(res.body?.value, 'group'), '9B');
    const h2 = await h.click(people.teacher, 'tutor.save', session({ attended: '', absentees: '' }));
    assert.match(cardText(h2.body?.value), /Give the number present, or list who was absent/);
    assert.equal((await h.lantern.services.tables.table('tutorlogs').then((t) => t.listEntities().next())).done, true, 'nothing stored');
  });

  it('takes the number present only as whole-number digits: 1e1, 0x1A, 2.0 and 1,000 are asked again, nothing saved', async () => {
    for (const typed of ['1e1', '0x1A', '2.0', '1,000', ' 12a']) {
      const res = await h.click(people.teacher, 'tutor.save', session({ attended: typed }));
      assert.match(cardText(res.body?.value), /The number present must be a whole number from 0 to/, `"${typed}" was accepted`);
    }
    assert.equal((await h.lantern.services.tables.table('tutorlogs').then((t) => t.listEntities().next())).done, true, 'nothing stored');
  });

  it('logs a session, offers the incident hand-over for a concern, and corrects it the same day with the change audited', async () => {
    const saved = await h.click(people.teacher, 'tutor.save', session({ concern: 'true' }));
    const card = saved.body?.value;
    assert.match(cardText(card), /Logged: 9B tutor session/);
    const incident = actionsOf(card).find((a) => a.verb === 'incident.start');
    assert.deepEqual(incident?.data, { source: 'tutor session', context: 'Tutor group 9B session on Wed 25 Nov 2026 at 08:45' });
    const id = actionsOf(card).find((a) => a.verb === 'tutor.edit')!.data.id as string;

    clock.tick(60 * 60_000);
    const form = (await h.click(people.teacher, 'tutor.edit', { id })).body?.value;
    assert.equal(inputValue(form, 'attended'), 24);
    assert.equal(inputValue(form, 'topic'), 'Anti-bullying week');
    const corrected = await h.click(people.teacher, 'tutor.save', session({ id, attended: 25, concern: 'true' }));
    assert.match(cardText(corrected.body?.value), /Corrected: 9B tutor session/);

    const history = await h.lantern.services.audit.history('tutor-log', id);
    assert.deepEqual(history.map((e) => e.action), ['tutor-log.created', 'tutor-log.corrected']);
    assert.deepEqual(history[1].changes, { attended: { from: 24, to: 25 } });
    assert.equal(history[1].actor.id, people.teacher.email);

    const refused = await h.click(people.teacher2, 'tutor.save', session({ id, attended: 3 }));
    assert.match(refused.body?.value, /Only the person who logged a session can correct it/);

    clock.setSystemTime(Date.parse('2026-11-26T09:00:00Z'));
    const tooLate = await h.click(people.teacher, 'tutor.edit', { id });
    assert.match(tooLate.body?.value, /only on the day it was logged/);
    const mine = cardOf((await h.say(people.teacher, 'my tutor logs'))[0]);
    assert.match(cardText(mine), /\*\*9B\*\* · Wed 25 Nov 08:45 · In person/);
    assert.equal(actionsOf(mine).some((a) => a.verb === 'tutor.edit'), false, 'no correction the next day');
  });

  it('offers its commands on the help card by role, and the help button opens the form', async () => {
    const teacherHelp = cardOf((await h.say(people.teacher, 'help'))[0]);
    const commands = actionsOf(teacherHelp).filter((a) => a.verb === 'core.run').map((a) => a.data.command);
    assert.ok(commands.includes('log tutor session') && commands.includes('my tutor logs'));
    assert.ok(!commands.includes('tutor log week'));
    const headHelp = cardOf((await h.say(people.pastoralHead, 'help'))[0]);
    assert.ok(actionsOf(headHelp).some((a) => a.data.command === 'tutor log week'));
    await h.click(people.teacher, 'core.run', { command: 'log tutor session' });
    assert.match(visibleText(h.connector.sent.at(-1)), /Log a tutor session/);
  });

  it('answers malformed or stale button data with a plain message', async () => {
    assert.match((await h.click(people.teacher, 'tutor.edit', { id: 42 })).body?.value, /could not find that tutor log/);
    assert.match((await h.click(people.teacher, 'tutor.save', session({ id: '2026-11-23.ffffffffff' }))).body?.value, /could not find that tutor log, so nothing was changed/);
    assert.match((await h.click(people.pastoralHead, 'tutor.week', { week: 'last friday' })).body?.value, /week was not understood/);
    assert.match((await h.click(people.pastoralHead, 'tutor.export', { week: '2026-11-23', format: 'pdf' })).body?.value, /data was not understood, so nothing was sent/);
  });

  it('remembers the group a tutor logged last time', async () => {
    await h.click(people.teacher2, 'tutor.save', session({ group: '9B' }));
    const card = cardOf((await h.say(people.teacher2, 'log tutor session'))[0]);
    assert.equal(inputValue(card, 'group'), '9B');
    const other = cardOf((await h.say(people.teacher2, 'log a tutor session'))[0]);
    assert.equal(inputValue(other, 'group'), '9B');
  });
});
