import assert from 'node:assert/strict';
import { actionsOf, cardOf, visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import type { Member } from '../support/fakeConnector';
import type { SentActivity } from '../support/fakeConnector';

/** The policy search answered (a quote, "Do you mean…" or "I couldn't find a rule"): its card carries policy buttons. */
const isPolicyReply = (sent: SentActivity[]) => sent.some((s) => actionsOf(cardOf(s)).some((a) => a.verb.startsWith('policy.')));

describe('a known command typed with wrong or missing arguments is answered with how to type it (e2e)', () => {
  let h: Harness;
  before(async function () {
    this.timeout(60_000);
    h = await startHarness();
  });
  after(async () => h.stop());

  const usage = async (who: Member, typed: string, expected: RegExp) => {
    const sent = await h.say(who, typed);
    const text = sent.map(visibleText).join('\n');
    assert.ok(!isPolicyReply(sent), `"${typed}" was searched as a policy question: ${text}`);
    assert.doesNotMatch(text, /couldn't find a rule/);
    assert.match(text, expected, `"${typed}" got: ${text}`);
  };

  it('the confirmed examples: each names the command as it should be typed, with an example', async () => {
    await usage(people.seniorDsl, 'away', /\*\*away on\*\*.*\*\*away off\*\*/s);
    await usage(people.seniorDsl, 'away on please', /\*\*away on\*\*/);
    await usage(people.teacher, 'call note CALL-1', /\*\*call note CALL-\d{8}-[0-9A-F]{6}\*\*/);
    await usage(people.teacher, 'call note', /\*\*call note CALL-/);
    await usage(people.seniorDsl, 'hold xyz reason', /\*\*hold INC-2026-0001 /);
    await usage(people.dpo, 'config check foo', /\*\*config check\*\*/);
    await usage(people.seniorDsl, 'export tutor log 2026-11-24 pdf', /\*\*export tutor log 2026-11-16 csv\*\*/);
    await usage(people.seniorDsl, 'export tutor log 24/11/2026', /\*\*export tutor log 2026-11-16\*\*/);
  });

  it('the other commands of the same kind (found by reading every capability)', async () => {
    await usage(people.seniorDsl, 'release hold xyz reason', /\*\*release hold INC-2026-0001 /);
    await usage(people.seniorDsl, 'export case INC-2026-0001 csv', /\*\*export case INC-2026-0001\*\*/);
    await usage(people.seniorDsl, 'case INC-2026-0001 please', /\*\*case INC-2026-0001\*\*/);
    await usage(people.seniorDsl, 'tutor log week 2026-11-16 csv', /\*\*tutor log week 2026-11-16\*\*/);
    await usage(people.seniorDsl, 'filter check today', /\*\*filter check\*\*/);
    await usage(people.seniorDsl, 'retention report next month', /\*\*retention report\*\*/);
    await usage(people.dpo, 'setup check now', /\*\*setup check\*\*/);
    await usage(people.teacher, 'log tutor session 7B', /\*\*log tutor session\*\*/);
    await usage(people.teacher, 'my tutor logs last week', /\*\*my tutor logs\*\*/);
    await usage(people.teacher, 'plan a 1-1 call with Amy tomorrow', /\*\*plan a 1-1 call\*\*/);
    await usage(people.teacher, 'log a call with Amy', /\*\*log a call\*\*/);
    await usage(people.teacher, 'request a filter change for youtube.com', /\*\*request a filter change\*\*/);
  });

  it('does not tell someone of a command their role cannot use, any more than help does', async () => {
    for (const typed of ['away on please', 'hold xyz reason', 'export tutor log 24/11/2026', 'config check foo', 'export case INC-2026-0001 csv']) {
      const sent = await h.say(people.teacher, typed);
      const text = sent.map(visibleText).join('\n');
      assert.doesNotMatch(text, /\*\*(away on|hold INC|export tutor log|config check|export case)/, `"${typed}" told a teacher: ${text}`);
      assert.ok(isPolicyReply(sent), `"${typed}" from a teacher goes where it went before (a policy search): ${text}`);
    }
  });

  it('still answers policy questions that begin with a command word', async () => {
    for (const question of ['hold on, can I use my phone in class?', 'call my parents during lessons allowed?', 'report writing rules', 'away on a school trip can I use my own phone?', 'log a call with a parent, do I need permission?', 'export of pupil data to a USB stick allowed?']) {
      const sent = await h.say(people.seniorDsl, question);
      assert.ok(isPolicyReply(sent), `"${question}" got: ${sent.map(visibleText).join('\n')}`);
    }
  });

  it('"my cases" with none open answers in a whole sentence', async () => {
    const text = visibleText((await h.say(people.seniorDsl, 'my cases'))[0]);
    assert.equal(text, 'You have no open cases to handle.');
  });
});
