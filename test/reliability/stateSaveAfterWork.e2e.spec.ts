import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type sinon from 'sinon';
import { tutoringModule } from '../../bot/tutoring';
import { TutorLogStore } from '../../bot/tutoring/tutorLogStore';
import { PLACE_NOT_KEPT_STORAGE, SOMETHING_WRONG } from '../../bot/teams/createTeamsApp';
import { cardText } from '../support/cards';
import { fakeDate } from '../support/fakeDate';
import type { FaultProxy } from '../support/faultProxy';
import { behindFaultProxy, type FaultRig } from '../support/faultPoints';
import type { Harness } from '../support/harness';
import { startHarness } from '../support/harness';
import { people } from '../support/people';
import { invokeActivity, personalChat } from '../support/teamsChannel';

/**
 * The turn's work is done and only the end-of-turn save of the person's state fails: the answer
 * must not say "nothing was changed", and Teams' retry must not do the work twice.
 */
describe('turn state that cannot be saved after the work was done (e2e, fault proxy)', function () {
  this.timeout(120_000);
  let proxy: FaultProxy;
  let h: Harness;
  let rig: FaultRig;
  let clock: sinon.SinonFakeTimers;
  before(async () => {
    clock = fakeDate('2026-11-25T10:00:00Z'); // Wednesday, GMT
    ({ proxy, h } = rig = await behindFaultProxy((env) => startHarness({ modules: [tutoringModule], env })));
  });
  after(async () => {
    await rig.stop();
    clock.restore();
  });

  const save = (group: string, topic: string) =>
    invokeActivity(h.connector.url, people.teacher, personalChat(people.teacher), 'tutor.save', { id: '', formId: randomUUID(), group, date: '2026-11-25', time: '08:45', mode: 'in-person', attended: 24, absentees: '', topic, concern: 'false' });
  const chat = () => h.connector.messagesIn(personalChat(people.teacher).id).map((m) => m.activity.text ?? '');

  it('says the log was saved and only the place in a form may be lost; a redelivery does not log it twice', async () => {
    assert.match(cardText((await h.post(save('9B', 'First of the day'))).body?.value), /Logged: 9B tutor session/);
    const press = save('10A', 'State write cut');
    // The claim is this turn's first write of the person's state row; the second is the end-of-turn save.
    proxy.failMatching(/^(PUT|MERGE|PATCH|POST) .*turnstate/i, 2);
    const before = chat().length;
    const answer = await h.post(press);
    proxy.restore();
    assert.match(cardText(answer.body?.value), /Logged: 10A tutor session/, 'the press shows what was done');
    const told = chat().slice(before);
    assert.deepEqual(told, [PLACE_NOT_KEPT_STORAGE]);
    assert.ok(!told.includes(SOMETHING_WRONG));
    const retry = await h.post(press);
    assert.match(cardText(retry.body?.value), /Logged: 10A tutor session/, 'Teams\' retry is answered with the saved log');
    const logs = (await new TutorLogStore(h.lantern.services.tables).week('2026-11-23')).filter((l) => l.topic === 'State write cut');
    assert.equal(logs.length, 1, 'logged once');
    assert.deepEqual((await h.lantern.services.audit.history('tutor-log', logs[0].id)).map((e) => e.action), ['tutor-log.created']);
  });
});
