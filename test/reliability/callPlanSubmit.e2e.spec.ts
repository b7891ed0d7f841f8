import assert from 'node:assert/strict';
import { listPostedCards } from '../../bot/cards/recordCards';
import { randomUUID } from 'node:crypto';
import type sinon from 'sinon';
import { callsModule } from '../../bot/calls';
import { cardText, visibleText } from '../support/cards';
import { fakeDate } from '../support/fakeDate';
import type { FaultProxy } from '../support/faultProxy';
import { behindFaultProxy, submitAtEveryFaultPoint, type FaultRig } from '../support/faultPoints';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { invokeActivity, personalChat } from '../support/teamsChannel';

describe('1-1 call plan with storage cut at every point (e2e, fault proxy)', function () {
  this.timeout(120_000);
  let proxy: FaultProxy;
  let h: Harness;
  let rig: FaultRig;
  let clock: sinon.SinonFakeTimers;
  before(async () => {
    clock = fakeDate('2026-11-25T10:00:00Z');
    ({ proxy, h } = rig = await behindFaultProxy((env) => startHarness({ modules: [callsModule], env })));
    await h.say(people.academicHead, 'hello');
    await h.say(people.teacher, 'hello');
  });
  after(async () => {
    await rig.stop();
    clock.restore();
  });

  it('stores one call, audits it once, asks the deputy head once and answers the retry with the receipt', async () => {
    const user = people.teacher;
    let formId = '';
    let reason = '';
    const run = await submitAtEveryFaultPoint(h, proxy, {
      prepare: async (round) => {
        formId = randomUUID();
        reason = `Round ${round}: coursework moderation feedback`;
      },
      press: () => invokeActivity(h.connector.url, user, personalChat(user), 'call.plan', { formId, kind: 'video', pupil: 'Jamie Smith', year: 'Year 9', purpose: 'academic-reason', department: '', date: '2026-11-26', time: '16:00', reason }),
      check: async (round, answer) => {
        const receipt = cardText(answer.body?.value);
        assert.match(receipt, /Needs permission first: the request has gone to the deputy head \(academic\)/, `round ${round}: ${JSON.stringify(answer.body?.value).slice(0, 200)}`);
        const id = /CALL-\d{8}-[0-9A-F]{6}/.exec(receipt)![0];
        const calls = await (await h.lantern.services.tables.table('calls')).listEntities().byPage().next();
        const mine = (calls.value ?? []).map((e: Record<string, unknown>) => JSON.parse(String(e.json0))).filter((c: { reason?: string }) => c.reason === reason);
        assert.equal(mine.length, 1, `round ${round}: exactly one record`);
        const posted = await listPostedCards(h.lantern.services.tables, 'call', id);
        assert.deepEqual(posted.map((c) => c.view), ['permission'], `round ${round}: the request card is recorded`);
        const history = await h.lantern.services.audit.history('call', id);
        assert.deepEqual(history.map((e) => e.action), ['call.planned'], `round ${round}: audited once`);
        const asked = h.connector.messagesIn(personalChat(people.academicHead).id).filter((m) => visibleText(m).includes(`permission request ${id}`));
        assert.equal(asked.length, 1, `round ${round}: the deputy head was asked once`);
      },
    });
    console.log(`      call plan: ${run.requests} storage requests; fault points tried and held: ${run.tried.length}/${run.requests}`);
    assert.deepEqual(run.tried, Array.from({ length: run.requests }, (_, i) => i + 1));
  });
});
