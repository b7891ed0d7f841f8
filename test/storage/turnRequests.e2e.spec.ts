import assert from 'node:assert/strict';
import type sinon from 'sinon';
import { QuestionLog } from '../../bot/policy/questionLog';
import { cardOf, cardText, visibleText } from '../support/cards';
import { fakeDate } from '../support/fakeDate';
import { behindFaultProxy, type FaultRig } from '../support/faultPoints';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { messageActivity, personalChat } from '../support/teamsChannel';

const POLICY_QUESTION = 'can pupils use mobile phones in school';

/**
 * Table requests per turn, counted by a proxy in front of the real Azurite. The school's clock is
 * held still so the configuration cache (30 s) does not expire part-way and add its own reads.
 */
describe('table requests per turn (e2e, counting proxy)', function () {
  this.timeout(120_000); // two bots start in this suite, on a machine that may be busy
  let rig: FaultRig;
  let other: Harness | undefined;
  let clock: sinon.SinonFakeTimers;
  beforeEach(async () => {
    rig = await behindFaultProxy((env) => startHarness({ env }));
    clock = fakeDate(Date.now());
  });
  afterEach(async () => {
    clock.restore();
    await other?.stop();
    other = undefined;
    await rig.stop();
  });

  const counted = async <T>(turn: () => Promise<T>): Promise<{ result: T; requests: string[] }> => {
    rig.proxy.reset();
    const result = await turn();
    return { result, requests: [...rig.proxy.seen] };
  };

  it('help makes no table request, a command one conditional write, a policy answer only its question log, a redelivery one read', async () => {
    // The first turns create tables, record who someone is and load the saved answers.
    await rig.h.say(people.teacher, 'help');
    await rig.h.say(people.teacher, 'who is the designated safeguarding lead');
    await rig.h.say(people.dpo, 'config check');

    // Help only replies (a redelivery may show it twice): there is nothing to write, so no claim.
    const help = await counted(() => rig.h.say(people.teacher, 'help'));
    assert.match(visibleText(help.result[0]), /What Lantern can do for you/);
    assert.deepEqual(help.requests, []);

    // A command that changes nothing still takes its claim, in the row's conditional write.
    const check = await counted(() => rig.h.say(people.dpo, 'config check'));
    assert.ok(check.result.length, 'the configuration check answered');
    assert.equal(check.requests.length, 1, check.requests.join('\n'));
    assert.match(check.requests[0], /^PUT \S*turnstate\(/);

    // The question's row is the turn's claim: no write of the turn-state row.
    const policy = await counted(() => rig.h.say(people.teacher, POLICY_QUESTION));
    assert.ok(cardOf(policy.result[0]), 'a policy answer card');
    assert.equal(policy.requests.length, 1, policy.requests.join('\n'));
    assert.match(policy.requests[0], /^POST \S*policyquestions/);

    const activity = messageActivity(rig.h.connector.url, people.dpo, personalChat(people.dpo), 'config check');
    await rig.h.post(activity);
    const sentBefore = rig.h.connector.sent.length;
    const again = await counted(() => rig.h.post(activity));
    assert.equal(again.result.status, 200);
    assert.equal(rig.h.connector.sent.length, sentBefore, 'nothing sent for the redelivery');
    assert.deepEqual(again.requests.map((r) => r.split(' ')[0]), ['GET'], 'a duplicate is confirmed by reading the row, and nothing is written');
  });

  it("a policy question Teams redelivers is answered and logged once: its question's row is there", async () => {
    await rig.h.say(people.teacher, POLICY_QUESTION);
    const log = new QuestionLog(rig.h.lantern.services.tables);
    const logged = (await log.recent()).length;
    const activity = messageActivity(rig.h.connector.url, people.teacher, personalChat(people.teacher), 'who do I tell if a pupil is being bullied online');
    const sent = async () => {
      const before = rig.h.connector.sent.length;
      assert.equal((await rig.h.post(activity)).status, 200);
      return rig.h.connector.sent.slice(before);
    };
    const first = await sent();
    assert.match(cardText(first.map(cardOf).find(Boolean)), /Did this answer your question\?|Do you mean…/);
    const again = await counted(sent);
    assert.deepEqual(again.result, [], 'nothing sent for the redelivery');
    assert.deepEqual(again.requests.map((r) => r.split(' ')[0]), ['POST'], "the question's row, refused as there already, and nothing else");
    assert.equal((await log.recent()).length, logged + 1, 'one question logged');
  });

  it('two instances on one table service: a redelivery to either is ignored, and a stale cache costs one read', async () => {
    other = await startHarness({ env: { TABLES_CONNECTION_STRING: rig.proxy.connectionString, TABLES_PREFIX: rig.h.env.TABLES_PREFIX } });
    const sent = () => rig.h.connector.sent.length + other!.connector.sent.length;
    await rig.h.say(people.dpo, 'config check');

    const activity = messageActivity(rig.h.connector.url, people.dpo, personalChat(people.dpo), 'config check');
    const before = sent();
    await Promise.all([rig.h.post(activity), other.post(activity)]);
    await other.post(activity);
    await rig.h.post(activity);
    assert.equal(sent() - before, 1, 'one reply for one activity delivered four times to two instances');

    // The other instance has written the row since this one cached it: the conditional write fails, one read, one write.
    await other.say(people.dpo, 'config check');
    const stale = await counted(() => rig.h.say(people.dpo, 'config check'));
    assert.ok(stale.result.length, 'the configuration check answered');
    assert.deepEqual(stale.requests.map((r) => r.split(' ')[0]), ['PUT', 'GET', 'PUT']);
  });

  it('two instances on one table service: a policy question delivered four times to both is answered once', async () => {
    other = await startHarness({ env: { TABLES_CONNECTION_STRING: rig.proxy.connectionString, TABLES_PREFIX: rig.h.env.TABLES_PREFIX } });
    const answers = () => [...rig.h.connector.sent, ...other!.connector.sent].filter((s) => /Did this answer your question\?|Do you mean…/.test(cardText(cardOf(s))));
    await rig.h.say(people.teacher, POLICY_QUESTION);
    const log = new QuestionLog(rig.h.lantern.services.tables);
    const logged = (await log.recent()).length;
    const before = answers().length;

    const activity = messageActivity(rig.h.connector.url, people.teacher, personalChat(people.teacher), 'can I use my own phone to photograph a pupil');
    await Promise.all([rig.h.post(activity), other.post(activity)]);
    await other.post(activity);
    await rig.h.post(activity);
    assert.equal(answers().length - before, 1, 'one answer for one question delivered four times to two instances');
    assert.equal((await log.recent()).length, logged + 1, 'one question logged');
  });
});
