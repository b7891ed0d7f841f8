import assert from 'node:assert/strict';
import { RequestStore } from '../../bot/filtering/requestStore';
import { neededByJobId, stepJobId } from '../../bot/filtering/stepSchedule';
import { cardText } from '../support/cards';
import { fakeDate } from '../support/fakeDate';
import type { FaultProxy } from '../support/faultProxy';
import { behindFaultProxy, submitAtEveryFaultPoint, type FaultRig } from '../support/faultPoints';
import type { Harness } from '../support/harness';
import { people } from '../support/people';
import { invokeActivity, personalChat } from '../support/teamsChannel';
import { cardBody, filteringHarness, formData, IT_CHANNEL, sendRequest } from '../filtering/helpers';

describe('filter request submit with storage cut at every point (e2e, fault proxy)', function () {
  this.timeout(180_000);
  let proxy: FaultProxy;
  let h: Harness;
  let rig: FaultRig;
  before(async () => {
    ({ proxy, h } = rig = await behindFaultProxy((env) => filteringHarness({ env })));
  });
  after(async () => {
    await rig.stop();
  });

  it('makes exactly one request, one card per recipient, both jobs and a receipt, whatever request fails', async () => {
    const user = people.teacher;
    const run = await submitAtEveryFaultPoint(h, proxy, {
      prepare: async (round) => {
        const preview = await h.click(user, 'filter.preview', formData({ reason: `Round ${round}: Year 9 history sources for the Holocaust unit.` }));
        assert.match(cardText(cardBody(preview)), /Check your filter change request/);
      },
      press: () => invokeActivity(h.connector.url, user, personalChat(user), 'filter.send', {}),
      check: async (round, answer) => {
        const receipt = cardText(cardBody(answer));
        const reference = /Request (FLT-\d{4}-\d{4}) sent/.exec(receipt)?.[1];
        assert.ok(reference, `round ${round}: no receipt in ${receipt.slice(0, 200)}`);
        const all = await new RequestStore(h.lantern.services.tables).all();
        assert.equal(all.length, round + 1, `round ${round}: one request per round`);
        assert.equal(all.filter((r) => r.details.reason.startsWith(`Round ${round}:`)).length, 1, `round ${round}: exactly one record`);
        const history = await h.lantern.services.audit.history('filter-request', reference);
        assert.deepEqual(history.map((e) => e.action), ['filter.requested'], `round ${round}: audited once`);
        const posts = h.connector.sent.filter((s) => s.activity.attachments && cardText(s.activity.attachments[0].content).includes(`Web filter change ${reference}`));
        const perRecipient = new Map<string, number>();
        for (const p of posts) perRecipient.set(p.conversationId, (perRecipient.get(p.conversationId) ?? 0) + 1);
        assert.ok(perRecipient.size > 0, `round ${round}: the first step's card went out`);
        assert.deepEqual([...perRecipient.values()].filter((n) => n !== 1), [], `round ${round}: each card delivered once`);
        const stored = all.find((r) => r.reference === reference)!;
        assert.equal(stored.cards.sanction?.length, perRecipient.size, `round ${round}: every card recorded for later updates`);
        assert.ok(await h.lantern.services.scheduler.get(stepJobId(reference, 'sanction')), `round ${round}: nudge scheduled`);
        assert.ok(await h.lantern.services.scheduler.get(neededByJobId(reference)), `round ${round}: needed-by scheduled`);
      },
    });
    console.log(`      filter submit: ${run.requests} storage requests; fault points tried and held: ${run.tried.length}/${run.requests}`);
    assert.deepEqual(run.tried, Array.from({ length: run.requests }, (_, i) => i + 1));
  });

  it('a send cut off part-way is finished after a restart by the scheduler, which posts the receipt in chat', async () => {
    const user = people.teacher2;
    await h.click(user, 'filter.preview', formData({ reason: 'Restart: Year 9 history sources for the Holocaust unit.' }));
    proxy.failAfter(14); // past the job and the request, before the card goes out
    const cut = await h.click(user, 'filter.send');
    proxy.restore();
    assert.match(String(cut.body?.value), /Your request is saved, but Lantern's storage failed before it went on to the DSL/);
    await h.restart();
    const clock = fakeDate(Date.now() + 2 * 60_000); // the interrupted claim's lease has run out
    try {
      const chat = personalChat(user).id;
      const before = h.connector.messagesIn(chat).length;
      // Other rounds may have left finished tasks' jobs behind (their delete was cut); those run as no-ops.
      assert.ok((await h.lantern.services.scheduler.runDue()) >= 1);
      const receipts = h.connector.messagesIn(chat).slice(before).map((m) => cardText(m.activity.attachments?.[0]?.content));
      assert.equal(receipts.length, 1);
      const reference = /Request (FLT-\d{4}-\d{4}) sent/.exec(receipts[0])?.[1];
      assert.ok(reference, receipts[0]);
      assert.equal(await h.lantern.services.scheduler.runDue(), 0, 'nothing left to do');
      // Pressing Send again now shows the same receipt.
      assert.match(cardText(cardBody(await h.click(user, 'filter.send'))), new RegExp(`Request ${reference} sent`));
      const mine = (await new RequestStore(h.lantern.services.tables).all()).filter((r) => r.requestedBy.aadObjectId === user.aadObjectId);
      assert.deepEqual(mine.map((r) => r.reference), [reference]);
    } finally {
      clock.restore();
    }
  });

  it('a sanction press: the request moves on once, with one audit event, one IT card, one notice, its jobs and a receipt', async () => {
    let reference = '';
    const run = await submitAtEveryFaultPoint(h, proxy, {
      prepare: async () => {
        reference = await sendRequest(h, people.teacher2);
      },
      press: () => invokeActivity(h.connector.url, people.seniorDsl, personalChat(people.seniorDsl), 'filter.approve', { reference, step: 'sanction', comment: '', filterReference: '' }),
      check: async (round, answer) => {
        assert.match(cardText(cardBody(answer)), /Sanctioned\. Thank you/, `round ${round}`);
        const request = (await new RequestStore(h.lantern.services.tables).get(reference))!.value;
        assert.equal(request.step, 'authorise', `round ${round}`);
        assert.deepEqual(request.history.map((r) => r.step), ['sanction'], `round ${round}: one step recorded`);
        const audit = (await h.lantern.services.audit.history('filter-request', reference)).map((e) => e.action);
        assert.deepEqual(audit, ['filter.requested', 'filter.sanctioned'], `round ${round}: audited once`);
        const itCards = h.connector.messagesIn(IT_CHANNEL.id).filter((m) => m.activity.attachments && cardText(m.activity.attachments[0].content).includes(`Web filter change ${reference}`));
        assert.equal(itCards.length, 1, `round ${round}: the authorise card went to IT once`);
        assert.deepEqual(request.cards.authorise?.map((c) => c.activityId), itCards.map((c) => c.id), `round ${round}: and was recorded`);
        const notices = h.connector.messagesIn(personalChat(people.teacher2).id).filter((m) => (m.activity.text ?? '').includes(`${reference}: sanctioned by`));
        assert.equal(notices.length, 1, `round ${round}: the requester was told once`);
        const sanctionCards = new Set(request.cards.sanction?.map((c) => c.activityId));
        assert.ok(h.connector.updated.some((u) => sanctionCards.has(u.activityId)), `round ${round}: the DSL's card shows it is done`);
        assert.ok(await h.lantern.services.scheduler.get(stepJobId(reference, 'authorise')), `round ${round}: authorise nudge scheduled`);
        assert.equal(await h.lantern.services.scheduler.get(stepJobId(reference, 'sanction')), undefined, `round ${round}: sanction nudge cancelled`);
      },
    });
    console.log(`      filter sanction step: ${run.requests} storage requests; fault points tried and held: ${run.tried.length}/${run.requests}`);
    assert.deepEqual(run.tried, Array.from({ length: run.requests }, (_, i) => i + 1));
  });
});
