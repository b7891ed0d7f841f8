import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type sinon from 'sinon';
import { tutoringModule } from '../../bot/tutoring';
import { TutorLogStore } from '../../bot/tutoring/tutorLogStore';
import { cardText } from '../support/cards';
import { fakeDate } from '../support/fakeDate';
import type { FaultProxy } from '../support/faultProxy';
import { behindFaultProxy, submitAtEveryFaultPoint, type FaultRig } from '../support/faultPoints';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { invokeActivity, personalChat } from '../support/teamsChannel';

describe('tutor log save with storage cut at every point (e2e, fault proxy)', function () {
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

  it('stores exactly one log with one audit event, and answers the retry with the saved card', async () => {
    const user = people.teacher;
    let formId = '';
    let topic = '';
    const run = await submitAtEveryFaultPoint(h, proxy, {
      prepare: async (round) => {
        formId = randomUUID(); // a fresh form each round, as "log tutor session" gives
        topic = `Round ${round}: anti-bullying week`;
      },
      press: () => invokeActivity(h.connector.url, user, personalChat(user), 'tutor.save', { id: '', formId, group: '9B', date: '2026-11-25', time: '08:45', mode: 'in-person', attended: 24, absentees: '', topic, concern: 'false' }),
      check: async (round, answer) => {
        assert.match(cardText(answer.body?.value), /Logged: 9B tutor session/, `round ${round}: ${JSON.stringify(answer.body?.value).slice(0, 200)}`);
        const logs = await new TutorLogStore(h.lantern.services.tables).week('2026-11-23');
        assert.equal(logs.length, round + 1, `round ${round}: one log per round`);
        const mine = logs.filter((l) => l.topic === topic);
        assert.equal(mine.length, 1, `round ${round}: exactly one record`);
        const history = await h.lantern.services.audit.history('tutor-log', mine[0].id);
        assert.deepEqual(history.map((e) => e.action), ['tutor-log.created'], `round ${round}: audited once`);
      },
    });
    console.log(`      tutor log save: ${run.requests} storage requests; fault points tried and held: ${run.tried.length}/${run.requests}`);
    assert.deepEqual(run.tried, Array.from({ length: run.requests }, (_, i) => i + 1));
  });
});
