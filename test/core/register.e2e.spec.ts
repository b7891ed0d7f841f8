import assert from 'node:assert/strict';
import { visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { teamChannel } from '../support/teamsChannel';

describe('registering channels as destinations', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  it('refuses a non-admin, changes nothing and audits the attempt', async () => {
    const channel = teamChannel('Safeguarding Senior');
    const reply = visibleText((await h.say(people.seniorDsl, 'register dsl Senior', channel))[0]);
    assert.match(reply, /Only a Lantern admin can register a channel\. Nothing was changed/);
    assert.equal(await h.lantern.services.destinations.get('dsl', 'Senior'), undefined);
    const audit = await h.lantern.services.audit.history('destination', 'dsl');
    assert.equal(audit.length, 1);
    assert.equal(audit[0].action, 'destination.register-refused');
    assert.equal(audit[0].actor.id, 'dkhan');
  });

  it('lets an admin register a DSL channel for a section, stored with its address', async () => {
    const channel = teamChannel('Safeguarding Senior');
    const reply = visibleText((await h.say(people.dpo, 'register dsl senior', channel))[0]);
    assert.match(reply, /safeguarding cases for one section \(Senior\) will now be posted in Safeguarding › Safeguarding Senior/);
    const dest = await h.lantern.services.destinations.get('dsl', 'Senior');
    assert.equal(dest?.address.conversationId, channel.id);
    assert.equal(dest?.registeredBy.id, 'adavies');
    const audit = await h.lantern.services.audit.history('destination', 'dsl:senior');
    assert.equal(audit[0].action, 'destination.registered');
  });

  it('asks for a valid section and destination, and only works in channels', async () => {
    const channel = teamChannel('IT');
    assert.match(visibleText((await h.say(people.dpo, 'register dsl Sixth Form', channel))[0]), /"Sixth Form" is not one of the school's sections \(Pre-Prep, Prep, Senior\)/);
    assert.match(visibleText((await h.say(people.dpo, 'register dsl', channel))[0]), /Which section's safeguarding cases/);
    assert.match(visibleText((await h.say(people.dpo, 'register printers', channel))[0]), /Tell me what this channel is for/);
    assert.match(visibleText((await h.say(people.dpo, 'register it'))[0]), /Register works in a team channel/);
    assert.equal((await h.lantern.services.destinations.all()).length, 0);
  });

  it('posts proactively to a registered channel and updates the card in place', async () => {
    const channel = teamChannel('IT Requests', 'IT');
    await h.say(people.itManager, 'register it', channel);
    const dest = (await h.lantern.services.destinations.get('it'))!;
    const posted = await h.lantern.services.messenger.post(dest.address, { text: 'New request REF-1' });
    const sent = h.connector.messagesIn(channel.id).at(-1)!;
    assert.equal(sent.activity.text, 'New request REF-1');
    assert.equal(posted.activityId, sent.id);
    await h.lantern.services.messenger.update(posted, { text: 'REF-1 approved' });
    assert.deepEqual(h.connector.updated.map((u) => [u.conversationId, u.activityId, u.activity.text]), [[channel.id, sent.id, 'REF-1 approved']]);
  });

  it('reaches a person 1:1: in their existing chat, or by opening one', async () => {
    await h.say(people.seniorDsl, 'help');
    const existing = await h.lantern.services.messenger.toPerson({ aadObjectId: people.seniorDsl.aadObjectId }, { text: 'hello DSL' });
    assert.equal(existing?.address.conversationId, `a:personal-${people.seniorDsl.aadObjectId}`);
    // Seen only in a channel: Lantern opens a new 1:1 conversation through the connector.
    await h.say(people.head, 'help', teamChannel('General'));
    const opened = await h.lantern.services.messenger.toPerson({ email: people.head.email }, { text: 'hello Head' });
    assert.ok(opened);
    assert.equal(h.connector.created.at(-1)?.parameters.members[0].id, people.head.id);
    assert.equal(h.connector.messagesIn(opened!.address.conversationId).at(-1)?.activity.text, 'hello Head');
    assert.equal(await h.lantern.services.messenger.toPerson({ aadObjectId: '99999999-9999-4999-8999-999999999999' }, { text: 'x' }), undefined);
  });
});
