import assert from 'node:assert/strict';
import { MEMBER_EMAIL_LIFETIME_MS } from '../../bot/teams/memberEmails';
import type { Member } from '../support/fakeConnector';
import { HandClock } from '../support/fakeDate';
import { startHarness, type Harness } from '../support/harness';
import { visibleText } from '../support/cards';

describe('a sender whose email Teams will not give costs one Teams request per two minutes, not one per turn', () => {
  const clock = new HandClock();
  let h: Harness;
  const start = Date.parse('2026-11-23T09:00:00Z');
  // In no roster; Teams answers 404 for the first and an account with no mail for the second.
  const visitor: Member = { id: '29:visitor', name: 'Val Visitor', aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001' };
  const noMail: Member = { id: '29:nomail', name: 'Nico Nomail', aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000002' };
  const asked = (m: Member) => h.connector.memberRequests.filter((id) => id === m.id).length;

  before(async () => {
    clock.at(start);
    h = await startHarness();
    h.connector.addMember(noMail);
  });
  after(async () => {
    clock.restore();
    await h.stop();
  });

  for (const who of [visitor, noMail]) {
    it(`${who.name}: two turns ask Teams once, and a turn after the lifetime asks again`, async () => {
      clock.at(start);
      const before = asked(who);
      assert.match(visibleText((await h.say(who, 'help'))[0]), /\S/);
      await h.say(who, 'help');
      assert.equal(asked(who) - before, 1, 'one request for two turns');
      clock.at(start + MEMBER_EMAIL_LIFETIME_MS - 1000);
      await h.say(who, 'help');
      assert.equal(asked(who) - before, 1, 'still one just before the lifetime ends');
      clock.at(start + MEMBER_EMAIL_LIFETIME_MS + 1000);
      await h.say(who, 'help');
      assert.equal(asked(who) - before, 2, 'asked again after it');
    });
  }
});
