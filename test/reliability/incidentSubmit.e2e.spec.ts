import assert from 'node:assert/strict';
import { listPostedCards } from '../../bot/cards/recordCards';
import { incidentsModule } from '../../bot/incidents';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { escalationJobId, ladoJobId } from '../../bot/incidents/submitReport';
import { DocumentTable } from '../../bot/storage/documentTable';
import { visibleText } from '../support/cards';
import type { Member } from '../support/fakeConnector';
import { fakeDate } from '../support/fakeDate';
import type { FaultProxy } from '../support/faultProxy';
import { behindFaultProxy, submitAtEveryFaultPoint, type FaultRig } from '../support/faultPoints';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { invokeActivity, personalChat, teamChannel } from '../support/teamsChannel';
import { know, PUPIL_DETAILS, refIn, shown } from '../incidents/reportSteps';

const CHANNEL = teamChannel('Safeguarding Prep');
/** A filter bypass goes to the Prep DSL channel and 1:1 to the IT manager: one post of each kind. */
const details = (round: number) => ({ ...PUPIL_DETAILS, pupilYear: 'Year 5', description: `Round ${round}: pupil using a VPN app on a school laptop.` });

describe('incident "Send report" with storage cut at every point (e2e, fault proxy)', function () {
  this.timeout(180_000);
  let proxy: FaultProxy;
  let h: Harness;
  let rig: FaultRig;
  before(async () => {
    ({ proxy, h } = rig = await behindFaultProxy((env) => startHarness({ modules: [incidentsModule], env })));
    await h.say(people.dpo, 'register dsl Prep', CHANNEL);
    await know(h, people.itManager);
  });
  after(async () => {
    await rig.stop();
  });

  const cases = async () => (await new DocumentTable<IncidentCase>(h.lantern.services.tables, 'incidents').list('case')).map((s) => s.value);
  /** Messages with this case's card in a conversation: the channel, or someone's 1:1 chats. */
  const cardsIn = (conversations: string[], ref: string) => h.connector.sent.filter((s) => conversations.includes(s.conversationId) && visibleText(s).includes(ref)).length;
  const chatsOf = (m: Member) => [personalChat(m).id, ...h.connector.created.filter((c) => c.parameters.members?.[0]?.id === m.id).map((c) => c.id)];

  /** Fills the form up to its last step, as the reporter does before pressing Send report. */
  async function upToDetails(user: Member, section = 'Prep', category = 'filter-bypass', subject = 'pupil'): Promise<void> {
    await h.say(user, 'report an incident');
    await h.click(user, 'incident.danger', { step: 'safety', answer: 'no', section });
    await h.click(user, 'incident.next', { step: 'category', category, subject });
  }

  it('makes exactly one case, audits it once, posts each card once, schedules its escalation and shows the receipt, whatever request fails', async () => {
    const user = people.teacher;
    const run = await submitAtEveryFaultPoint(h, proxy, {
      prepare: () => upToDetails(user),
      press: () => invokeActivity(h.connector.url, user, personalChat(user), 'incident.next', { step: 'details', section: 'Prep', ...details(0) }),
      check: async (round, answer) => {
        const receipt = shown(answer);
        const ref = refIn(receipt);
        assert.ok(ref, `round ${round}: no receipt in ${receipt.slice(0, 300)}`);
        assert.match(receipt, /Safeguarding Prep channel, Mark Cole/, `round ${round}: the receipt names where it went`);
        const all = await cases();
        assert.equal(all.length, round + 1, `round ${round}: one case per round`);
        const c = all.find((x) => x.ref === ref)!;
        assert.ok(c, `round ${round}: the receipt's case is stored`);
        const history = (await h.lantern.services.audit.history('incident', ref!)).map((e) => e.action);
        assert.deepEqual(history, ['case.reported', 'case.routed'], `round ${round}: audited once`);
        assert.equal(cardsIn([CHANNEL.id], ref!), 1, `round ${round}: one card in the DSL channel`);
        assert.equal(cardsIn(chatsOf(people.itManager), ref!), 1, `round ${round}: the IT manager told once`);
        assert.equal(c.posts.length, 2, `round ${round}: both cards recorded on the case for later updates`);
        assert.ok(await h.lantern.services.scheduler.get(escalationJobId(ref!)), `round ${round}: escalation scheduled`);
      },
    });
    console.log(`      incident submit: ${run.requests} storage requests; fault points tried and held: ${run.tried.length}/${run.requests}`);
    assert.deepEqual(run.tried, Array.from({ length: run.requests }, (_, i) => i + 1));
  });

  it('staff misuse to the Head: one case, the Head told once, escalation and LADO reminder scheduled, whatever request fails', async () => {
    const user = people.teacher2;
    await know(h, people.head);
    const staff = (round: number) => ({ occurredOn: '2026-11-19', place: 'on-site', staffName: 'A. Colleague', description: `Round ${round}: saw a colleague using a pupil login to change marks.` });
    let round = 0;
    const run = await submitAtEveryFaultPoint(h, proxy, {
      prepare: async (r) => {
        round = r;
        await upToDetails(user, 'Senior', 'staff-misuse', 'staff');
      },
      press: () => invokeActivity(h.connector.url, user, personalChat(user), 'incident.next', { step: 'details', section: 'Senior', ...staff(round) }),
      // The first half (draft, task, reference, case) is the same code the test above cuts at every
      // point; this route's own part is the second half: the Head's card, the jobs, the receipt.
      points: (n) => Array.from({ length: n - Math.floor(n / 2) }, (_, i) => Math.floor(n / 2) + i + 1),
      check: async (r, answer) => {
        const ref = refIn(shown(answer));
        assert.ok(ref, `round ${r}: no receipt in ${shown(answer).slice(0, 300)}`);
        const mine = (await cases()).filter((c) => c.facts.description.startsWith(`Round ${r}: saw a colleague`));
        assert.deepEqual(mine.map((c) => c.ref), [ref], `round ${r}: exactly one case, the receipt's`);
        assert.deepEqual((await h.lantern.services.audit.history('incident', ref!)).map((e) => e.action), ['case.reported', 'case.routed'], `round ${r}: audited once`);
        assert.equal(cardsIn(chatsOf(people.head), ref!), 1, `round ${r}: the Head told once`);
        assert.equal(mine[0].posts.length, 1, `round ${r}: the Head's card recorded`);
        assert.ok(await h.lantern.services.scheduler.get(escalationJobId(ref!)), `round ${r}: escalation scheduled`);
        assert.ok(await h.lantern.services.scheduler.get(ladoJobId(ref!)), `round ${r}: LADO reminder scheduled`);
      },
    });
    console.log(`      incident submit (Head route): ${run.requests} storage requests; fault points tried and held: ${run.tried.length}/${run.requests}`);
    assert.equal(run.tried.at(-1), run.requests);
  });

  it('a send cut off part-way is finished after a restart by the scheduler, which posts the receipt in the reporter\'s chat', async () => {
    const user = people.teacher;
    await upToDetails(user);
    // Past the saved task, the reference and the case, before its audit and any card: a card posted
    // and not yet recorded when the process dies is the one message a restart can repeat.
    proxy.failAfter(16);
    const cut = await h.click(user, 'incident.next', { step: 'details', section: 'Prep', ...details(99) });
    proxy.restore();
    assert.match(shown(cut), /Your report is saved, but Lantern's storage failed/);
    await h.restart();
    const clock = fakeDate(Date.now() + 2 * 60_000); // the interrupted claim's lease has run out
    try {
      const chat = personalChat(user).id;
      const before = h.connector.messagesIn(chat).length;
      assert.ok((await h.lantern.services.scheduler.runDue()) >= 1);
      const receipts = h.connector.messagesIn(chat).slice(before).map(visibleText);
      assert.equal(receipts.length, 1, receipts.join('\n---\n'));
      const ref = refIn(receipts[0]);
      assert.ok(ref, receipts[0]);
      const kept = (await listPostedCards(h.lantern.services.tables, 'incident', ref!)).filter((r) => r.view === 'receipt');
      assert.deepEqual(kept.map((r) => r.posted.activityId), [h.connector.messagesIn(chat).slice(before)[0].id], 'the posted receipt is a card of the case, redrawn as it moves on');
      assert.equal(await h.lantern.services.scheduler.runDue(), 0, 'nothing left to do');
      assert.equal(cardsIn([CHANNEL.id], ref!), 1, 'one card in the DSL channel');
      assert.equal(cardsIn(chatsOf(people.itManager), ref!), 1, 'the IT manager told once');
      // Pressing Send report again on the old card shows the same receipt and sends nothing new.
      assert.equal(refIn(shown(await h.click(user, 'incident.next', { step: 'details', section: 'Prep', ...details(99) }))), ref);
      assert.equal((await cases()).filter((c) => c.facts.description.startsWith('Round 99:')).length, 1);
      assert.equal(cardsIn([CHANNEL.id], ref!), 1);
    } finally {
      clock.restore();
    }
  });
});
