import assert from 'node:assert/strict';
import { QuestionLog } from '../../bot/policy/questionLog';
import { cardOf, cardText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { messageActivity, personalChat, teamChannel } from '../support/teamsChannel';

const ANSWERED = /Did this answer your question\?|Do you mean…/;

/**
 * A policy question takes no claim in the turn-state row: the question's own row, keyed by the
 * message, is what tells Teams' redelivery from a new question (test/storage/turnRequests counts
 * the requests). These are the cases where that must still come out right.
 */
describe('policy questions Teams redelivers (over HTTP)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  const questions = () => new QuestionLog(h.lantern.services.tables).recent();
  const answersIn = (conversationId: string) => h.connector.messagesIn(conversationId).filter((m) => ANSWERED.test(cardText(cardOf(m))));

  it('an answer Teams refused to take is given when Teams re-sends the question, and the question is logged once', async () => {
    const chat = personalChat(people.teacher);
    const activity = messageActivity(h.connector.url, people.teacher, chat, 'can pupils use mobile phones in school');
    h.connector.failing.add(chat.id);
    await h.post(activity);
    assert.equal(answersIn(chat.id).length, 0, 'Teams took no answer');
    assert.equal((await questions()).length, 0, 'the question whose answer was not sent is not kept as answered');

    h.connector.failing.delete(chat.id);
    await h.post(activity);
    assert.equal(answersIn(chat.id).length, 1, 'answered on the redelivery');
    await h.post(activity);
    assert.equal(answersIn(chat.id).length, 1, 'and only once');
    assert.equal((await questions()).length, 1);
  });

  it('a question asked again in a new message is answered again: only the same message is a redelivery', async () => {
    const chat = personalChat(people.teacher);
    await h.say(people.teacher, 'can pupils use mobile phones in school');
    await h.say(people.teacher, 'can pupils use mobile phones in school');
    assert.equal(answersIn(chat.id).length, 2);
    assert.equal((await questions()).length, 2);
  });

  it('a command @mentioned in a channel is still claimed: its redelivery registers nothing twice', async () => {
    const channel = teamChannel('Safeguarding Senior');
    const activity = messageActivity(h.connector.url, people.dpo, channel, 'register dsl Senior');
    await h.post(activity);
    await h.post(activity);
    assert.equal(h.connector.messagesIn(channel.id).length, 1, 'one reply in the channel');
    assert.deepEqual((await h.lantern.services.audit.history('destination', 'dsl:senior')).map((e) => e.action), ['destination.registered']);
  });
});
