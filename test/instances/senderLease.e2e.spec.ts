import assert from 'node:assert/strict';
import { EXAMPLE_POLICIES } from '../../bot/policy';
import type { Delivery } from '../../bot/broadcast/broadcastQueue';
import { BroadcastQueue } from '../../bot/broadcast/broadcastQueue';
import { DocumentTable } from '../../bot/storage/documentTable';
import { startInstances, type BotInstances } from '../support/botInstances';
import { people } from '../support/people';
import { TEAMS_LIKE, Throttle } from '../support/throttle';
import { addToStaffTeam } from '../reach/reachSteps';
import { cardCounter, ROSTER_EXAMPLE_PEOPLE, schoolWithStaff, staffMembers } from '../acknowledgements/largeSchool';
import { startCampaign } from '../acknowledgements/steps';

const STAFF = 40;
const TARGET = STAFF + ROSTER_EXAMPLE_PEOPLE;
/**
 * Teams' limit scaled down, as in the two-school test, so this machine's speed cannot hide a
 * breach: the app may use 8 requests a second and Teams answers 429 above 10. One sender stays
 * under it; two instances each sending at the app's budget would ask for 16.
 */
const APP_REQUESTS_PER_SECOND = 8;
const LIMITS = { ...TEAMS_LIKE, perSecond: 10 };
/** The benchmark's scheduler tick. */
const SCHEDULER_INTERVAL_MS = '1000';
/** The school's own pace: above the app's budget, so the budget is what binds. */
const CARDS_PER_SECOND = 30;
/** Sends in flight at once (see Campaigns: cardsPerSecond / 2, at least 8): the most a kill can leave uncertain. */
const CONCURRENCY = Math.max(8, Math.ceil(CARDS_PER_SECOND / 2));

interface LeaseRow {
  holder: string;
  until: number;
}

/**
 * Two bot processes (`npm start`) on one Azurite sending one campaign: the app's sender lease
 * (bot/broadcast/appSender.ts) makes them one sender, at the app's one budget, and hands the
 * sending over when its holder stops or dies.
 */
describe('the broadcast sender lease between two bot processes (e2e, Azurite, a Teams-like throttle)', function () {
  this.timeout(180_000);
  let h: BotInstances;
  afterEach(async () => h?.stop());

  async function start(leaseMs: number) {
    const staff = staffMembers(STAFF);
    const file = await schoolWithStaff(staff, { cardsPerSecond: CARDS_PER_SECOND });
    h = await startInstances(2, {
      SCHOOL_CONFIG: file,
      POLICY_DIR: EXAMPLE_POLICIES,
      SCHEDULER_INTERVAL_MS,
      TEAMS_REQUESTS_PER_SECOND: String(APP_REQUESTS_PER_SECOND),
      BROADCAST_LEASE_MS: String(leaseMs),
    });
    await h.say(people.seniorDsl, 'help');
    await addToStaffTeam(h, [...Object.values(people), ...staff], people.dpo);
    const throttle = new Throttle(LIMITS);
    h.connector.throttle = throttle;
    const cards = cardCounter(h.connector);
    const { reply } = await startCampaign(h, people.seniorDsl, { audience: 'all', due: '2099-01-31' });
    assert.match(reply, new RegExp(`Started: ${TARGET} people`));
    return { throttle, cards, queue: new BroadcastQueue(h.lantern.services.tables), lease: new DocumentTable<LeaseRow>(h.lantern.services.tables, 'broadcast') };
  }

  /** The instance whose log says it took the sender lease as `holder` (its id is in the line). */
  function instanceHolding(holder: string): number {
    const i = h.bots.findIndex((b) => b.output().includes(`this instance (${holder}) took the sender lease`));
    assert.ok(i >= 0, `no instance logged taking the lease as ${holder}:\n${h.output().slice(-3000)}`);
    return i;
  }

  /** Waits for the lease row to name a holder whose lease is live, and which instance that is. */
  async function holderNow(lease: DocumentTable<LeaseRow>): Promise<{ i: number; row: LeaseRow }> {
    for (let tries = 0; tries < 200; tries++) {
      const found = (await lease.get('~lease', 'sender'))?.value;
      if (found && found.until > Date.now()) return { i: instanceHolding(found.holder), row: found };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no live sender lease:\n${h.output().slice(-3000)}`);
  }

  /** Every card out and nothing left queued; the deadline only stops a hung run. */
  async function finished(cards: ReturnType<typeof cardCounter>, queue: BroadcastQueue): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (cards.count() >= TARGET && (await queue.nextDue()) === undefined) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.fail(`the campaign did not finish: ${cards.count()} of ${TARGET} cards, rows still queued:\n${h.output().slice(-3000)}`);
  }

  async function rowsOfRound(queue: BroadcastQueue): Promise<Delivery[]> {
    const round = (await h.lantern.services.scheduler.pending('acks.overdue'))[0]?.payload.round;
    assert.ok(round, 'the round is known');
    return queue.rows(String(round));
  }

  /** The 429s are what one sender at the app's budget gets (the two-school test's bound), and how busy the busiest second was. */
  function withinOneBudget(throttle: Throttle): void {
    const attempted = throttle.requests.length;
    let busiest = 0;
    for (let i = 0, j = 0; i < throttle.requests.length; i++) {
      while (throttle.requests[j].at <= throttle.requests[i].at - 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    if (process.env.LEASE_LOG) console.log(`429s ${throttle.throttled} of ${attempted} requests; busiest second ${busiest} (Teams allows ${LIMITS.perSecond})`);
    assert.ok(throttle.throttled <= Math.ceil(attempted * 0.02), `429s: ${throttle.throttled} of ${attempted} requests (${JSON.stringify(throttle.throttledBy)}); the busiest second asked for ${busiest}, Teams allows ${LIMITS.perSecond}`);
  }

  it('with both running, one instance sends at a time: the campaign goes out at the one budget, one card each', async () => {
    const { throttle, cards, queue, lease } = await start(15_000);
    const { i: sender } = await holderNow(lease);
    await finished(cards, queue);
    assert.equal(cards.perConversation.size, TARGET, 'no one missed');
    assert.deepEqual([...cards.perConversation.values()].filter((n) => n !== 1), [], 'one card each');
    withinOneBudget(throttle);
    const rows = await rowsOfRound(queue);
    assert.deepEqual([...new Set(rows.map((r) => r.state))], ['sent']);
    assert.deepEqual(rows.filter((r) => r.uncertain), [], 'no row was taken from a live sender');
    assert.match(h.bots[sender].output(), /took the sender lease/);
  });

  it('the holder stopped gracefully half-way: the other takes over before the lease could have run out, and everyone gets exactly one card', async () => {
    // A lease of ten minutes: the other instance can only send within the test if it was released.
    const { throttle, cards, queue, lease } = await start(600_000);
    const { i: holder, row } = await holderNow(lease);
    await h.connector.waitFor(() => cards.count() >= TARGET / 2, 'half the cards', 60_000);
    assert.equal(await h.stopOne(holder), 0, 'the holder stopped cleanly');
    const atStop = cards.count();
    assert.ok(atStop < TARGET, `stopped mid-campaign (${atStop} of ${TARGET} sent)`);
    const released = (await lease.get('~lease', 'sender'))!.value;
    assert.ok(released.holder !== row.holder || released.until < Date.now(), 'the stopped holder released the lease');

    await finished(cards, queue);
    assert.ok(row.until > Date.now(), 'finished while the stopped holder\'s lease still had time to run');
    const other = 1 - holder;
    assert.match(h.bots[other].output(), /took the sender lease/, 'the other instance sent the rest');
    assert.equal(cards.perConversation.size, TARGET, 'no one missed');
    assert.deepEqual([...cards.perConversation.values()].filter((n) => n !== 1), [], 'exactly one card each');
    const rows = await rowsOfRound(queue);
    assert.deepEqual([...new Set(rows.map((r) => r.state))], ['sent']);
    assert.deepEqual(rows.filter((r) => r.uncertain), [], 'a graceful stop leaves nothing uncertain');
    withinOneBudget(throttle);
  });

  it('the holder killed with SIGKILL half-way: the other takes over once the lease runs out, and no one is missed or sent a card twice unless their send was cut off', async () => {
    const leaseMs = 3000;
    const { throttle, cards, queue, lease } = await start(leaseMs);
    const { i: holder } = await holderNow(lease);
    await h.connector.waitFor(() => cards.count() >= TARGET / 2, 'half the cards', 60_000);
    await h.killOne(holder);
    const atKill = cards.count();
    assert.ok(atKill < TARGET, `killed mid-campaign (${atKill} of ${TARGET} sent)`);
    // The dead holder's lease, as it last renewed it: nobody may send before it runs out.
    const dead = (await lease.get('~lease', 'sender'))!.value;
    let firstAfterKill: number | undefined;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const n = cards.count();
      if (n > atKill) firstAfterKill ??= Date.now();
      if (n >= TARGET && (await queue.nextDue()) === undefined) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(await queue.nextDue(), undefined, `the other instance finished the campaign:\n${h.output().slice(-3000)}`);
    assert.ok(firstAfterKill! >= dead.until, `no card went out while the dead holder's lease was live (${dead.until - firstAfterKill!} ms early)`);
    const other = 1 - holder;
    assert.match(h.bots[other].output(), /took the sender lease/, 'the other instance sent the rest');

    const rows = await rowsOfRound(queue);
    assert.equal(rows.length, TARGET);
    assert.deepEqual([...new Set(rows.map((r) => r.state))], ['sent'], 'every row ends sent');
    assert.equal(cards.perConversation.size, TARGET, 'no one missed');
    // A second card only for a row the survivor found mid-send (claimed by the killed holder, its
    // outcome never written): the stated guarantee after a crash.
    const uncertain = rows.filter((r) => (r.uncertain ?? 0) > 0);
    assert.ok(uncertain.length <= CONCURRENCY, `at most the sends in flight were cut off (${uncertain.length})`);
    const byConversation = new Map(rows.map((r) => [r.posted?.address.conversationId, r]));
    for (const [conversation, n] of cards.perConversation) {
      if (n === 1) continue;
      assert.equal(n, 2, `never more than two copies (${conversation})`);
      assert.ok((byConversation.get(conversation)?.uncertain ?? 0) > 0, `a second card in ${conversation} only where the row was found mid-send`);
    }
    withinOneBudget(throttle);
    if (process.env.LEASE_LOG) console.log(`killed at ${atKill}; found mid-send ${uncertain.length}; second copies ${[...cards.perConversation.values()].filter((n) => n > 1).length}; first card ${firstAfterKill! - dead.until} ms after the lease ran out`);
  });
});
