import assert from 'node:assert/strict';
import type sinon from 'sinon';
import { callsModule } from '../../bot/calls';
import { cardOf, cardText, visibleText } from '../support/cards';
import { fakeDate as schoolClock } from '../support/fakeDate';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat, teamChannel } from '../support/teamsChannel';
import { call } from './callSteps';

/**
 * A 1-1 call's cards name the pupil, so they belong in the teacher's private chat: in a channel,
 * everyone in the team would read them (and a card Lantern keeps current is redrawn for all).
 */
describe('1-1 calls and shared chats (e2e)', () => {
  let h: Harness;
  let clock: sinon.SinonFakeTimers;
  const staffroom = teamChannel('Staffroom', 'Staff');
  // Everything anyone in the channel can read: what was posted there and every later redraw.
  const channelText = () => [...h.connector.messagesIn(staffroom.id).map(visibleText), ...h.connector.updated.filter((u) => u.conversationId === staffroom.id).map((u) => cardText(u.activity.attachments?.[0]?.content))].join('\n');
  const calls = async () => {
    const t = await h.lantern.services.tables.table('calls');
    const rows = [];
    for await (const e of t.listEntities()) rows.push(e);
    return rows;
  };

  beforeEach(async () => {
    clock = schoolClock('2026-11-25T10:00:00Z');
    h = await startHarness({ modules: [callsModule] });
    for (const m of [people.teacher, people.academicHead]) await h.say(m, 'hello');
  });
  afterEach(async () => {
    await h.stop();
    clock.restore();
  });

  it('a plan pressed on a card in a channel is refused and saves nothing; no card in the channel ever names the pupil', async () => {
    const form = (await h.say(people.teacher, 'plan a 1-1 call', staffroom)).at(-1)!;
    const res = await h.click(people.teacher, 'call.plan', call({ purpose: 'academic-reason', reason: 'Coursework moderation feedback' }), staffroom, form.id);
    // Were it planned, the deputy head's answer redraws the teacher's card of the call wherever it is.
    const id = /CALL-\d{8}-[0-9A-F]{6}/.exec(cardText(res.body?.value))?.[0];
    if (id) await h.click(people.academicHead, 'call.approve', { id });
    assert.doesNotMatch(channelText(), /Jamie|Smith/);
    assert.equal(res.body?.type, 'application/vnd.microsoft.activity.message', cardText(res.body?.value));
    assert.match(String(res.body?.value), /private chat/);
    assert.equal((await calls()).length, 0, 'nothing is planned from a shared chat');
    assert.doesNotMatch(channelText(), /Jamie|Smith/);
  });

  it('typed in a channel, the planning form and the list of calls go to the private chat', async () => {
    await h.click(people.teacher, 'call.plan', call());
    const form = await h.say(people.teacher, 'plan a 1-1 call', staffroom);
    assert.doesNotMatch(form.map(visibleText).join('\n'), /Plan a 1-1 call with a pupil/);
    assert.match(cardText(cardOf(h.connector.messagesIn(personalChat(people.teacher).id).at(-1))), /Plan a 1-1 call with a pupil/);
    const mine = await h.say(people.teacher, 'my calls', staffroom);
    assert.match(mine.map(visibleText).join('\n'), /private message/);
    assert.match(visibleText(h.connector.messagesIn(personalChat(people.teacher).id).at(-1)), /Jamie Smith/);
    assert.doesNotMatch(channelText(), /Jamie|Smith/);
  });
});
