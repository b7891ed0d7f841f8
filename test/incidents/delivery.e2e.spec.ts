import assert from 'node:assert/strict';
import { incidentsModule } from '../../bot/incidents';
import { visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { personalChat, teamChannel } from '../support/teamsChannel';
import { fileReport, PUPIL_DETAILS } from './reportSteps';

describe('incident delivery when Teams refuses a message', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [incidentsModule] });
  });
  afterEach(async () => h.stop());

  it('counts a DSL whose chat refuses the card as not reached, and tells the reporter to phone them', async () => {
    await h.say(people.seniorDsl, 'help');
    h.connector.failing.add(personalChat(people.seniorDsl).id);
    const { receipt } = await fileReport(h, people.teacher, { section: 'Senior', category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS });
    assert.match(receipt, /^Not delivered: phone Daniel Khan \(07700 900003\) now\. Reference INC-/);
    assert.match(receipt, /\nSaved in Lantern, but it has reached no one yet\.\n/, 'stored is not received');
    assert.match(receipt, /Sent to\s+No one/);
    assert.doesNotMatch(receipt, /Delivered to|Report sent/);
    assert.match(receipt, /Lantern could not reach Daniel Khan \(07700 900003\) in Teams: tell them in person or by phone now/);
    const apologies = h.connector.sent.filter((s) => /something went wrong/i.test(visibleText(s)));
    assert.deepEqual(apologies, [], 'no "something went wrong" posted into anyone\'s chat');
  });

  it('falls back to the DSL 1:1 when the registered channel refuses the card', async () => {
    const channel = teamChannel('Safeguarding Senior');
    await h.say(people.dpo, 'register dsl Senior', channel);
    await h.say(people.seniorDsl, 'help');
    h.connector.failing.add(channel.id);
    const { receipt } = await fileReport(h, people.teacher, { section: 'Senior', category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS });
    assert.match(receipt, /Sent to\s+Daniel Khan/);
    assert.match(receipt, /could not reach the Safeguarding › Safeguarding Senior channel/);
    const dslChat = h.connector.messagesIn(personalChat(people.seniorDsl).id);
    assert.match(visibleText(dslChat.at(-1)), /Online-safety case INC-\d{4}-\d{4}/);
  });
});
