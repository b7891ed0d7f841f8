import assert from 'node:assert/strict';
import { cardOf, visibleText, actionsOf } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { groupChat, messageActivity, personalChat, teamChannel } from '../support/teamsChannel';

describe('conversation basics over HTTP', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.stop());

  it('answers help in a personal chat with a card for that person', async () => {
    const replies = await h.say(people.teacher, 'help');
    assert.equal(replies.length, 1);
    const text = visibleText(replies[0]);
    assert.match(text, /What Lantern can do for you/);
    assert.match(text, /Olivia Teacher — staff/);
    assert.doesNotMatch(text, /Register a channel/, 'ordinary staff are not offered admin commands');
  });

  it('shows admins the admin commands and names their roles', async () => {
    const text = visibleText((await h.say(people.dpo, 'Help!'))[0]);
    assert.match(text, /Anna Davies — data-protection lead, Lantern admin/);
    assert.match(text, /Register a channel/);
  });

  it('strips the @mention in channels and group chats', async () => {
    const inChannel = await h.say(people.teacher, 'help', teamChannel('General'));
    assert.match(visibleText(inChannel[0]), /What Lantern can do for you/);
    const inGroup = await h.say(people.teacher, 'help', groupChat('year9-team'));
    assert.match(visibleText(inGroup[0]), /What Lantern can do for you/);
  });

  it('sends a welcome card suited to where it was installed', async () => {
    const personal = await h.install(people.teacher, personalChat(people.teacher));
    assert.match(visibleText(personal[0]), /Ask me a policy question/);
    const team = await h.install(people.dpo, teamChannel('General'));
    assert.match(visibleText(team[0]), /register dsl Pre-Prep/, "the example names the school's own first section");
    const group = await h.install(people.teacher, groupChat('staffroom'));
    assert.match(visibleText(group[0]), /private chat with me/);
  });

  it('opens help from the welcome card button', async () => {
    const res = await h.click(people.teacher, 'core.help');
    assert.equal(res.status, 200);
    assert.equal(res.body?.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(res.body?.value), /What Lantern can do for you/);
  });

  it('refuses a help-card command the person was not offered', async () => {
    const res = await h.click(people.teacher, 'core.run', { command: 'register' });
    assert.equal(res.body?.type, 'application/vnd.microsoft.activity.message');
    assert.match(res.body?.value, /not available to you/);
  });

  it('answers malformed card payloads and unknown verbs with a plain message', async () => {
    const broken = await h.post({ ...baseInvoke(), value: { action: { type: 'Action.Execute' } } });
    assert.equal(broken.status, 200);
    assert.match(broken.body?.value, /not understood/);
    const unknown = await h.click(people.teacher, 'nothing.here', {});
    assert.match(unknown.body?.value, /no longer supported/);
  });

  it('tells the sender when a message is too long, without a stack trace', async () => {
    const text = visibleText((await h.say(people.teacher, 'x'.repeat(2500)))[0]);
    assert.match(text, /2500 characters long; I can read up to 2000/);
  });

  it('suggests the command a typo was meant to be', async () => {
    assert.match(visibleText((await h.say(people.teacher, 'hlep'))[0]), /I don't know "hlep"\. Did you mean \*\*help\*\*\?/);
  });

  it('ignores a redelivered command (same id); help, which only replies, may answer a redelivery again', async () => {
    const check = messageActivity(h.connector.url, people.dpo, personalChat(people.dpo), 'config check');
    const before = h.connector.sent.length;
    await h.post(check);
    const once = h.connector.sent.length - before;
    assert.ok(once > 0, 'the configuration check answered');
    await h.post(check);
    assert.equal(h.connector.sent.length - before, once, 'nothing more for the redelivery');

    const helpCards = () => h.connector.messagesIn(personalChat(people.teacher).id).filter((m) => /What Lantern can do for you/.test(visibleText(m))).length;
    const cardsBefore = helpCards();
    const help = messageActivity(h.connector.url, people.teacher, personalChat(people.teacher), 'help');
    await h.post(help);
    await h.post(help);
    assert.equal(helpCards() - cardsBefore, 2);
  });

  it('keeps buttons on the help card wired to real verbs', async () => {
    const card = cardOf((await h.say(people.dpo, 'help'))[0]);
    assert.ok(actionsOf(card).every((a) => a.verb === 'core.run' && typeof a.data.command === 'string'));
  });

  function baseInvoke() {
    return {
      type: 'invoke', name: 'adaptiveCard/action', id: 'inv-broken', channelId: 'msteams', serviceUrl: h.connector.url,
      from: { id: people.teacher.id, aadObjectId: people.teacher.aadObjectId, name: people.teacher.name },
      recipient: { id: '28:lantern-bot', name: 'Lantern' },
      conversation: { id: personalChat(people.teacher).id, conversationType: 'personal', tenantId: 't' },
      channelData: { tenant: { id: 't' } },
    };
  }
});

describe('files sent to Lantern', () => {
  it('keeps none, warns about evidence, and still answers any text', async () => {
    const h = await startHarness();
    try {
      const chat = personalChat(people.teacher);
      const withFile = {
        ...messageActivity(h.connector.url, people.teacher, chat, ''),
        attachments: [{ contentType: 'application/vnd.microsoft.teams.file.download.info', name: 'screenshot.png', contentUrl: 'https://contoso.sharepoint.com/x', content: { downloadUrl: 'https://contoso.sharepoint.com/x', uniqueId: '1', fileType: 'png' } }],
      };
      const before = h.connector.sent.length;
      await h.post(withFile);
      const replies = h.connector.sent.slice(before);
      assert.equal(replies.length, 1);
      assert.match(visibleText(replies[0]), /doesn't take files or pictures, and kept nothing you sent.*don't copy, forward or screenshot images of a child/s);
      const withText = { ...withFile, id: 'act-in-file-2', text: 'help', attachments: [{ contentType: 'image/png', contentUrl: 'data:image/png;base64,AAAA' }] };
      const more = h.connector.sent.length;
      await h.post(withText);
      const texts = h.connector.sent.slice(more).map(visibleText);
      assert.match(texts[0], /doesn't take files/);
      assert.match(texts[1], /What Lantern can do for you/, 'a command with a file still runs');

      // Text with a file that is no command is not searched as a policy question.
      const question = { ...withFile, id: 'act-in-file-3', text: 'can I use my own phone to call a parent?' };
      const asked = h.connector.sent.length;
      await h.post(question);
      const answers = h.connector.sent.slice(asked).map(visibleText);
      assert.equal(answers.length, 2, answers.join('\n---\n'));
      assert.match(answers[0], /doesn't take files/);
      assert.match(answers[1], /didn't read your message as a policy question, because it came with a file[\s\S]*send the question on its own/);
    } finally {
      await h.stop();
    }
  });
});
