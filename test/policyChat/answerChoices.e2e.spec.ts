import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { policyModule } from '../../bot/policy';
import { QuestionLog } from '../../bot/policy/questionLog';
import { actionsOf, cardOf, cardText, visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { SMALL_POLICY } from '../policy/fixtures';

const plain = (s: string) => s.replace(/\*\*/g, '');
const recent = (h: Harness) => new QuestionLog(h.lantern.services.tables).recent();

describe('policy answers: other rules, "Do you mean…", typos and learned choices (over HTTP)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ modules: [policyModule] });
  });
  afterEach(async () => h.stop());

  it('quotes the other rules that may apply beneath the main rule, each with its citation, within 2,500 characters', async () => {
    const replies = await h.say(people.teacher, 'do i need to record teams calls with pupils');
    assert.ok(replies[0] && cardOf(replies[0]), `the answer is a card, not: ${JSON.stringify(replies).slice(0, 1000)}`);
    const text = plain(cardText(cardOf(replies[0])));
    assert.match(text, /Staff Acceptable Use Policy, 7\.4 Recording and notes/);
    const [, others] = text.split('Other rules that may apply');
    assert.ok(others, 'the card has an "Other rules that may apply" part');
    assert.match(others, /, 8\.2 Retention of records/);
    assert.match(others, /, 6\.1 Live lessons/);
    // Snippets, not titles: each citation follows quoted policy text.
    assert.ok(others.replace(/Staff Acceptable Use Policy, [\d.]+ [A-Za-z ]+/g, '').trim().length > 100, others);
    assert.ok(visibleText(replies[0]).length < 2500);
  });

  it('asks "Do you mean…" when the best rules are too close to call, and the choice answers at once and is recorded', async () => {
    const ask = cardOf((await h.say(people.teacher, 'can i post pics of kids on insta'))[0]);
    assert.match(cardText(ask), /Do you mean…/);
    const buttons = actionsOf(ask);
    assert.deepEqual(buttons.map((b) => b.title), ['4.2 Photos and videos of pupils', '5.1 Your personal accounts', '6.3 Messaging apps', 'None of these']);
    assert.ok(buttons.every((b) => b.verb === 'policy.choose'));

    const res = await h.click(people.teacher, buttons[0].verb, buttons[0].data);
    const answer = plain(cardText(res.body?.value));
    assert.match(answer, /Staff Acceptable Use Policy, 4\.2 Photos and videos of pupils/);
    assert.match(answer, /Did this answer your question\?/);
    const [q] = await recent(h);
    assert.equal(q.choice?.citation, 'Staff Acceptable Use Policy, 4.2 Photos and videos of pupils');
    assert.equal(q.citation, 'Staff Acceptable Use Policy, 4.2 Photos and videos of pupils');
  });

  it('asks back, saying it is unsure, when no rule answers well, and the question stays unanswered until a rule is chosen', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-unsure-'));
    try {
      await writeFile(path.join(dir, 'aup.txt'), SMALL_POLICY);
      await h.stop();
      h = await startHarness({ modules: [policyModule], env: { POLICY_DIR: dir } });
      const ask = cardOf((await h.say(people.teacher, 'someone from the pta wants the password to the photo folder on the network'))[0]);
      assert.match(cardText(ask), /Do you mean…/);
      assert.match(cardText(ask), /I couldn't find a rule that clearly answers this/);
      const buttons = actionsOf(ask);
      assert.deepEqual(buttons.map((b) => b.title), ['2 Photographs', '3 Passwords', 'None of these']);
      const [asked] = await recent(h);
      assert.equal(asked.found, false, 'an unsure ask-back is not an answer yet');
      await h.click(people.teacher, buttons[1].verb, buttons[1].data);
      const [chosen] = await recent(h);
      assert.equal(chosen.found, true);
      assert.equal(chosen.citation, 'Staff Acceptable Use Policy, 3 Passwords');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a forged or unknown choice, and a choice by someone other than the asker, plainly', async () => {
    const ask = cardOf((await h.say(people.teacher, 'can i post pics of kids on insta'))[0]);
    const first = actionsOf(ask)[0];
    const forged = await h.click(people.teacher, 'policy.choose', { ...first.data, key: 'ffffffffffffffff' });
    assert.equal(forged.body?.value, 'That is not one of the choices I offered for this question. Please ask it again.');
    const junk = await h.click(people.teacher, 'policy.choose', { questionId: first.data.questionId, key: { toString: 'x' } });
    assert.equal(junk.body?.value, 'That is not one of the choices I offered for this question. Please ask it again.');
    const stranger = await h.click(people.teacher2, first.verb, first.data);
    assert.equal(stranger.body?.value, 'Only the person who asked can choose an answer.');
    const [q] = await recent(h);
    assert.equal(q.choice, undefined, 'nothing was recorded');
  });

  it('"None of these" offers to pass the question to the online-safety lead', async () => {
    const ask = cardOf((await h.say(people.teacher, 'can i post pics of kids on insta'))[0]);
    const none = actionsOf(ask).find((b) => b.title === 'None of these')!;
    const res = await h.click(people.teacher, none.verb, none.data);
    assert.match(cardText(res.body?.value), /I couldn't find a rule that answers this/);
    assert.ok(actionsOf(res.body?.value).some((a) => a.verb === 'policy.escalate'));
    const [q] = await recent(h);
    assert.equal(q.choice?.key, 'none');
    assert.equal(q.found, false);
  });

  it('answers through typos, against the words the policies use', async () => {
    const text = plain(cardText(cardOf((await h.say(people.teacher, 'can i use whatsap to mesage parents'))[0])));
    assert.match(text, /Staff Acceptable Use Policy, 6\.3 Messaging apps/);
    const stick = plain(cardText(cardOf((await h.say(people.teacher, 'is a memroy stick ok to use'))[0])));
    assert.match(stick, /4\.4 Memory sticks and removable media/);
  });

  it('gives a re-worded question the rule someone chose for it, without asking again, and report:qa lists the choice', async () => {
    const ask = cardOf((await h.say(people.teacher, 'can i post pics of kids on insta'))[0]);
    const photos = actionsOf(ask)[0];
    await h.click(people.teacher, photos.verb, photos.data);
    const later = cardOf((await h.say(people.teacher2, 'posting pictures of students on insta ok?'))[0]);
    const text = plain(cardText(later));
    assert.doesNotMatch(text, /Do you mean/);
    assert.match(text, /Staff Acceptable Use Policy, 4\.2 Photos and videos of pupils/);
    const [q] = await recent(h);
    assert.equal(q.source, 'saved-answer');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bot/policy/reportQa.ts'], { env: { PATH: process.env.PATH, ...h.env }, encoding: 'utf8' });
    assert.match(stdout, /Chosen from "Do you mean…"[^\n]*\n.*Olivia Teacher\s+can i post pics of kids on insta\n\s+chose: Staff Acceptable Use Policy, 4\.2 Photos and videos of pupils/);
  });

  it('after "Not helpful", a question worded like it is asked back with the other rules instead of told the same rule', async () => {
    const card = cardOf((await h.say(people.teacher, 'whats a good password'))[0]);
    assert.match(plain(cardText(card)), /Staff Acceptable Use Policy, 3\.1 Keeping your password private/);
    const notHelpful = actionsOf(card).find((a) => a.title === 'Not helpful')!;
    await h.click(people.teacher, notHelpful.verb, notHelpful.data);
    const later = cardOf((await h.say(people.teacher2, 'tips for a good password?'))[0]);
    assert.match(cardText(later), /Do you mean…/);
    const titles = actionsOf(later).map((a) => a.title);
    assert.equal(titles.at(-1), 'None of these');
    assert.ok(titles.includes('3.1 Keeping your password private'), titles.join(' | '));
    assert.ok(titles.length >= 3, titles.join(' | '));
  });
});
