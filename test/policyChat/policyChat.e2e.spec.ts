import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFile, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CapabilityModule } from '../../bot/chat/capability';
import { EXAMPLE_POLICIES, policyModule } from '../../bot/policy';
import { actionsOf, cardOf, cardText, visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { teamChannel } from '../support/teamsChannel';

const TEST_POLICIES = path.resolve(__dirname, '../fixtures/policies');

/** Stands in for the incident and filter capabilities, so next-step buttons have somewhere to go. */
const nextStepTargets: CapabilityModule = {
  create: () => ({
    name: 'targets',
    actions: { 'incident.start': async () => ({ message: 'started' }), 'filter.start': async () => ({ message: 'started' }) },
  }),
};

describe('policy questions in chat', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('quotes the rule with its document and section, under 2,500 characters', async () => {
    h = await startHarness({ modules: [policyModule] });
    const replies = await h.say(people.teacher, 'can i use whatsapp to message parents?');
    assert.equal(replies.length, 1);
    const card = cardOf(replies[0])!;
    const text = cardText(card).replace(/\*\*/g, '');
    assert.match(text, /WhatsApp/i);
    assert.match(text, /must not be used to message pupils or parents/);
    assert.match(text, /Staff Acceptable Use Policy, 6\.3 Messaging apps/);
    assert.ok(JSON.stringify(card).length < 2500 * 2, 'card stays small');
    assert.ok(visibleText(replies[0]).length < 2500);
    const quote = (card.body as Array<{ text: string }>)[0].text;
    assert.ok(quote.replace(/\*\*/g, '').length <= 600, `quote is ${quote.length} characters`);
  });

  it('records helpful / not helpful once, from the asker only', async () => {
    h = await startHarness({ modules: [policyModule] });
    const card = cardOf((await h.say(people.teacher, 'usb memory stick allowed?'))[0]);
    const helpful = actionsOf(card).find((a) => a.title === 'Not helpful')!;
    const other = await h.click(people.teacher2, helpful.verb, helpful.data);
    assert.match(other.body?.value, /Only the person who asked/);
    const first = await h.click(people.teacher, helpful.verb, helpful.data);
    assert.match(cardText(first.body?.value), /will see that this answer did not help/);
    const again = await h.click(people.teacher, helpful.verb, helpful.data);
    assert.match(cardText(again.body?.value), /already rated/);
    const [q] = await recentQuestions(h);
    assert.equal(q.feedback?.helpful, false);
  });

  it('puts "call 999" and the DSL names before any policy text when a child may be in danger', async () => {
    h = await startHarness({ modules: [policyModule] });
    const replies = await h.say(people.teacher, 'a pupil told me her stepdad hits her, what do i do?');
    assert.ok(replies.length >= 2);
    const first = visibleText(replies[0]);
    assert.match(first, /If a child is in immediate danger, call 999 now, then tell the DSL/);
    assert.match(first, /Senior: Daniel Khan \(deputy: Laura Morris\)/);
    assert.match(first, /Prep: Priya Green/);
  });

  it('offers the matching next step only when that feature is installed', async () => {
    h = await startHarness({ modules: [policyModule] });
    const without = cardOf((await h.say(people.teacher, 'how do I get a website unblocked for my class?'))[0]);
    assert.equal(actionsOf(without).filter((a) => a.verb === 'filter.start').length, 0);
    await h.stop();
    h = await startHarness({ modules: [policyModule, nextStepTargets] });
    const withFilter = cardOf((await h.say(people.teacher, 'how do I get a website unblocked for my class?'))[0]);
    assert.deepEqual(actionsOf(withFilter).filter((a) => a.verb === 'filter.start').map((a) => a.title), ['Request a filter change']);
    const lost = cardOf((await h.say(people.teacher, 'I lost my school laptop on the train, what should I do?'))[0]);
    assert.ok(actionsOf(lost).some((a) => a.verb === 'incident.start' && a.title === 'Report an incident'));
  });

  it("passes an unanswered question to the online-safety lead and brings the answer back", async () => {
    h = await startHarness({ modules: [policyModule] });
    await h.say(people.seniorDsl, 'help'); // the lead has a chat with Lantern
    const question = 'Can the school choir sing at the Christmas market?';
    const none = cardOf((await h.say(people.teacher, question))[0]);
    assert.match(cardText(none), /I couldn't find a rule that answers this/);
    const escalate = actionsOf(none).find((a) => a.verb === 'policy.escalate')!;
    assert.match((await h.click(people.teacher2, escalate.verb, escalate.data)).body?.value, /Only the person who asked/);
    const sent = await h.click(people.teacher, escalate.verb, escalate.data);
    assert.match(cardText(sent.body?.value), /Sent to Daniel Khan/);

    const leadChat = `a:personal-${people.seniorDsl.aadObjectId}`;
    const leadCard = cardOf(h.connector.messagesIn(leadChat).at(-1))!;
    assert.match(cardText(leadCard), /Christmas market/);
    const send = actionsOf(leadCard).find((a) => a.verb === 'policy.answer')!;
    assert.match((await h.click(people.teacher2, send.verb, { ...send.data, answer: 'yes' })).body?.value, /Only the online-safety lead or a DSL/);
    const empty = await h.click(people.seniorDsl, send.verb, { ...send.data, answer: '  ' });
    assert.match(cardText(empty.body?.value), /Write an answer before sending/);
    const done = await h.click(people.seniorDsl, send.verb, { ...send.data, answer: 'Yes, with a DBS-checked adult present.', save: 'true' });
    assert.match(cardText(done.body?.value), /Answered by Daniel Khan/);

    const askerChat = `a:personal-${people.teacher.aadObjectId}`;
    assert.match(visibleText(h.connector.messagesIn(askerChat).at(-1)), /Yes, with a DBS-checked adult present/);
    // The saved pair now answers the same question, however it is phrased.
    const later = await h.say(people.teacher2, 'can the school choir sing at the christmas market');
    assert.match(visibleText(later[0]), /The online-safety lead has answered this before[\s\S]*DBS-checked adult/);
    const repeat = await h.click(people.seniorDsl, send.verb, { ...send.data, answer: 'changed my mind' });
    assert.doesNotMatch(cardText(repeat.body?.value), /changed my mind/, 'a second click on a finished question changes nothing');
  });

  it("tells the lead when their answer could not reach the asker, instead of showing it as delivered", async () => {
    h = await startHarness({ modules: [policyModule] });
    await h.say(people.seniorDsl, 'help');
    const none = cardOf((await h.say(people.teacher, 'Can the school choir sing at the Christmas market?'))[0]);
    const escalate = actionsOf(none).find((a) => a.verb === 'policy.escalate')!;
    await h.click(people.teacher, escalate.verb, escalate.data);
    const leadCard = cardOf(h.connector.messagesIn(`a:personal-${people.seniorDsl.aadObjectId}`).at(-1))!;
    const send = actionsOf(leadCard).find((a) => a.verb === 'policy.answer')!;
    // The asker's chat is gone by the time the lead answers (left, or removed the app).
    const askerChat = `a:personal-${people.teacher.aadObjectId}`;
    h.connector.failing.add(askerChat);
    const before = h.connector.messagesIn(askerChat).length;
    const done = cardText((await h.click(people.seniorDsl, send.verb, { ...send.data, answer: 'Yes, with a DBS-checked adult present.' })).body?.value);
    assert.equal(h.connector.messagesIn(askerChat).length, before, 'nothing reached the asker');
    assert.match(done, /Answered by Daniel Khan/);
    assert.match(done, /could not (reach|send)[\s\S]*Olivia Teacher|Olivia Teacher[\s\S]*(did not|has not) (get|receive)/, done);
  });

  it('posts the question in the online-safety channel when one is registered, and updates it there once answered', async () => {
    h = await startHarness({ modules: [policyModule] });
    const channel = teamChannel('Online Safety', 'Safeguarding');
    await h.say(people.dpo, 'register online-safety', channel);
    const none = cardOf((await h.say(people.teacher, 'Can the school choir sing at the Christmas market?'))[0]);
    const escalate = actionsOf(none).find((a) => a.verb === 'policy.escalate')!;
    const sent = await h.click(people.teacher, escalate.verb, escalate.data);
    assert.match(cardText(sent.body?.value), /Sent to the Safeguarding › Online Safety channel/);
    const posted = h.connector.messagesIn(channel.id).at(-1)!;
    const send = actionsOf(cardOf(posted)).find((a) => a.verb === 'policy.answer')!;
    await h.click(people.seniorDsl, send.verb, { ...send.data, answer: 'Yes, with a DBS-checked adult.' }, channel, posted.id);
    const update = h.connector.updated.find((u) => u.conversationId === channel.id && u.activityId === posted.id);
    assert.match(cardText(update?.activity.attachments?.[0]?.content), /Answered by Daniel Khan/);
    assert.match(visibleText(h.connector.messagesIn(`a:personal-${people.teacher.aadObjectId}`).at(-1)), /DBS-checked adult/);
  });

  it('never posts a question that suggests a child is in danger to a shared channel', async () => {
    h = await startHarness({ modules: [policyModule] });
    const channel = teamChannel('Online Safety', 'Safeguarding');
    await h.say(people.dpo, 'register online-safety', channel);
    await h.say(people.seniorDsl, 'help');
    const replies = await h.say(people.teacher, 'a child told me she is being hurt at home by the lodger and the climbing wall instructor');
    const none = cardOf(replies.at(-1));
    assert.match(visibleText(replies[0]), /call 999 now/);
    const escalate = actionsOf(none).find((a) => a.verb === 'policy.escalate')!;
    const before = h.connector.messagesIn(channel.id).length;
    const sent = await h.click(people.teacher, escalate.verb, escalate.data);
    assert.match(cardText(sent.body?.value), /Sent to Daniel Khan/);
    assert.equal(h.connector.messagesIn(channel.id).length, before);
  });

  it("answers from POLICY_DIR (a school's own policy, not the example set)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-pol-'));
    await copyFile(path.join(TEST_POLICIES, 'harbour-gate-staff-aup.txt'), path.join(dir, 'harbour-gate-staff-aup.txt'));
    h = await startHarness({ modules: [policyModule], env: { POLICY_DIR: dir } });
    const text = visibleText((await h.say(people.teacher, 'How is internet access filtered at the school?'))[0]);
    assert.match(text, /NetWarden/);
  });

  it('rebuilds the index when the policy folder changes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-pol-'));
    for (const f of await readdir(EXAMPLE_POLICIES)) await copyFile(path.join(EXAMPLE_POLICIES, f), path.join(dir, f));
    h = await startHarness({ modules: [policyModule], env: { POLICY_DIR: dir } });
    const question = 'are drones allowed over the school field?';
    assert.doesNotMatch(visibleText((await h.say(people.teacher, question))[0]), /bursar/);
    await writeFile(path.join(dir, 'drone-policy.md'), '# Drone Policy\n\n## 1. Drones on site\n\n### 1.1 Flying drones\nDrones must not be flown over the school field or buildings without written permission from the bursar.\n');
    const deadline = Date.now() + 10_000;
    let text = '';
    while (Date.now() < deadline) {
      text = visibleText((await h.say(people.teacher, question))[0]).replace(/\*\*/g, '');
      if (/written permission from the bursar/.test(text)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(text, /Drones must not be flown/);
    assert.match(text, /Drone Policy, 1\.1 Flying drones/);
  });
});

async function recentQuestions(h: Harness) {
  const { QuestionLog } = await import('../../bot/policy/questionLog.js');
  return new QuestionLog(h.lantern.services.tables).recent();
}

describe('npm run report:qa', () => {
  it('lists unanswered and unhelpful questions from the bot’s tables', async () => {
    const h = await startHarness({ modules: [policyModule] });
    try {
      await h.say(people.teacher, 'Can the school choir sing at the Christmas market?');
      const card = cardOf((await h.say(people.teacher2, 'usb memory stick allowed?'))[0]);
      const notHelpful = actionsOf(card).find((a) => a.title === 'Not helpful')!;
      await h.click(people.teacher2, notHelpful.verb, notHelpful.data);
      // Asynchronously: the table server runs in this process and must keep answering.
      const { stdout: out } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bot/policy/reportQa.ts'], { env: { PATH: process.env.PATH, ...h.env }, encoding: 'utf8' });
      assert.match(out, /Policy questions: 2 recorded, 1 without an answer, 1 marked not helpful/);
      assert.match(out, /Unanswered questions:\n.*Olivia Teacher\s+Can the school choir sing at the Christmas market\?\n\s+\(not passed on\)/);
      assert.match(out, /Answers marked "not helpful":\n.*Sam Tutor\s+usb memory stick allowed\?\n\s+answered from: Staff Acceptable Use Policy, 4\.4 Memory sticks and removable media/);
    } finally {
      await h.stop();
    }
  });
});

describe('the help card starts a policy question', () => {
  it('asks the example question when "Ask a policy question" is pressed', async () => {
    const h = await startHarness({ modules: [policyModule] });
    try {
      const help = cardOf((await h.say(people.teacher, 'help'))[0]);
      const ask = actionsOf(help).find((a) => a.verb === 'core.run' && /policy/.test(String(a.data.command)))!;
      const before = h.connector.sent.length;
      const res = await h.click(people.teacher, ask.verb, ask.data);
      assert.equal(res.body?.type, 'application/vnd.microsoft.card.adaptive');
      const answer = h.connector.sent.slice(before).map(visibleText).join('\n').replace(/\*\*/g, '');
      assert.match(answer, /Staff Acceptable Use Policy, 4\.1 Phones and smart watches in school/);
    } finally {
      await h.stop();
    }
  });
});
