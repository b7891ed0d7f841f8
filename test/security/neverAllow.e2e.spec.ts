import assert from 'node:assert/strict';
import { filteringHarness, formData, lastPrivate, messageOf } from '../filtering/helpers';
import type { Member } from '../support/fakeConnector';
import type { Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat, teamChannel } from '../support/teamsChannel';

const TERROR = 'Terrorist content (police CTIRU list)';
const CSAM = 'Child sexual abuse material (IWF list)';

describe('security: the DSL is told of never-allow unblock attempts (e2e)', function () {
  this.timeout(60_000);
  let h: Harness;
  afterEach(async () => h?.stop());

  const ask = (who: Member = people.teacher, category = TERROR) => h.click(who, 'filter.preview', formData({ targetKind: 'category', category, url: '' }));
  const signals = async (category: string) => (await h.lantern.services.audit.history('filter-request', `category:${category}`)).filter((e) => e.action === 'filter.never-allow-signalled');

  it('tells the DSL on duty 1:1 who asked, for what and when; tells the asker truthfully; audits it', async () => {
    h = await filteringHarness({ itChannel: false });
    const itBefore = h.connector.sent.length;
    const answer = messageOf(await ask());
    assert.match(answer, /never unblocks/);
    assert.match(answer, /Daniel Khan has been told that you asked\./);
    const told = lastPrivate(h, people.seniorDsl);
    assert.match(told, new RegExp(`Safeguarding signal: ${people.teacher.name} asked Lantern at \\w{3} \\d{1,2} \\w{3} \\d{4}, \\d{2}:\\d{2} to unblock "Terrorist content \\(police CTIRU list\\)"`));
    assert.ok(!h.connector.messagesIn(personalChat(people.itManager).id).slice(itBefore).length, 'IT is not asked');
    const [event] = await signals(TERROR);
    assert.equal(event?.actor.name, people.teacher.name);
    assert.deepEqual(event?.detail?.told, ['Daniel Khan']);
  });

  it('when the DSL asks, the deputies are told instead (never the asker)', async () => {
    h = await filteringHarness({ itChannel: false });
    const before = h.connector.messagesIn(personalChat(people.seniorDsl).id).length;
    const answer = messageOf(await ask(people.seniorDsl, CSAM));
    assert.match(answer, /Laura Morris has been told that you asked\./);
    assert.match(lastPrivate(h, people.seniorDeputy), /Safeguarding signal: Daniel Khan asked Lantern/);
    const toAsker = h.connector.messagesIn(personalChat(people.seniorDsl).id).slice(before).map((s) => s.activity.text ?? '');
    assert.ok(!toAsker.some((t) => /Safeguarding signal/.test(t)));
  });

  it("posts to the section's DSL channel when one is registered", async () => {
    h = await filteringHarness({ itChannel: false });
    const channel = teamChannel('Safeguarding Senior');
    await h.say(people.dpo, 'register dsl Senior', channel);
    const answer = messageOf(await ask());
    assert.match(answer, /The DSL team's channel has been told that you asked\./);
    const posted = h.connector.messagesIn(channel.id).map((s) => s.activity.text ?? '').join('\n');
    assert.match(posted, new RegExp(`Safeguarding signal: ${people.teacher.name} asked Lantern .* to unblock "Terrorist content`));
    assert.equal((await signals(TERROR))[0]?.detail?.channel, true);
  });

  it('does not signal an ordinary refusal or a block of the category', async () => {
    h = await filteringHarness({ itChannel: false });
    const before = h.connector.messagesIn(personalChat(people.seniorDsl).id).length;
    await h.click(people.teacher, 'filter.preview', formData({ targetKind: 'category', category: TERROR, change: 'block', url: '' }));
    assert.equal(h.connector.messagesIn(personalChat(people.seniorDsl).id).length, before);
    assert.equal((await signals(TERROR)).length, 0);
  });
});
