import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXAMPLE_POLICIES } from '../../bot/policy';
import { PolicyLibrary, type PolicyAnswer } from '../../bot/policy/policyLibrary';
import { PolicySearchThread } from '../../bot/policy/searchThread';
import { OFF_TOPIC } from './offTopicQuestions';

const QUESTIONS = [
  ...(JSON.parse(readFileSync(path.join(__dirname, '..', 'eval', 'qa-example.json'), 'utf8')) as Array<{ q: string }>).map((c) => c.q),
  ...OFF_TOPIC.slice(0, 5),
  'a pupil told me her stepdad hits her',
];

/** What an answer worked out on the bot's own thread says, so a test can tell where an answer came from. */
const ON_THIS_THREAD: PolicyAnswer = { found: false, quote: 'answered on the bot thread', seeAlso: [], others: [], score: 0, nextSteps: [], childInDanger: false };

/** The library as the thread receives it (its documents), whose own answer() says it ran here. */
function marked(library: PolicyLibrary): PolicyLibrary {
  return Object.assign(Object.create(library) as PolicyLibrary, { answer: () => ON_THIS_THREAD });
}

describe('policy search thread (bot/policy/searchThread.ts)', () => {
  let library: PolicyLibrary;
  let thread: PolicySearchThread;
  let now = 0;

  before(async () => (library = await PolicyLibrary.fromDirectory(EXAMPLE_POLICIES)));
  beforeEach(() => (thread = new PolicySearchThread(() => now)));
  afterEach(() => thread.stop());

  it('answers every question as the library on the bot thread does, worked out on the search thread once it holds the library', async () => {
    const slot = thread.slot();
    const sent = marked(library);
    assert.equal(await slot.answer(sent, QUESTIONS[0]), ON_THIS_THREAD, 'asked before the thread has built it: answered here, without waiting');
    await slot.prepare(sent);
    const answers = await Promise.all(QUESTIONS.map((q) => slot.answer(sent, q)));
    assert.deepEqual(answers, QUESTIONS.map((q) => library.answer(q)));
    assert.ok(answers.some((a) => a.found) && answers.some((a) => !a.found) && answers.some((a) => a.childInDanger), 'the questions cover found, not found and a child in danger');
  });

  it('answers from the library a school reloaded, and keeps each school its own', async () => {
    const changed = marked(
      PolicyLibrary.fromDocuments('changed', [
        { id: 'gardening.md', fileName: 'gardening.md', title: 'Garden Policy', text: '# Garden Policy\n\n## 1 Watering\n\nStaff must water the school tomatoes every Tuesday before lessons.' },
      ]),
    );
    const original = marked(library);
    const [school, other] = [thread.slot(), thread.slot()];
    await Promise.all([school.prepare(original), other.prepare(original)]);
    const question = 'when must staff water the tomatoes?';
    assert.equal((await school.answer(original, question)).found, false);
    await school.prepare(changed);
    const reloaded = await school.answer(changed, question);
    assert.equal(reloaded.citation?.document, 'Garden Policy');
    assert.match(reloaded.quote, /every Tuesday/);
    const others = await other.answer(original, question);
    assert.notEqual(others, ON_THIS_THREAD);
    assert.equal(others.found, false, 'the other school still has its own policies');
  });

  it('answers on the bot thread while its thread is down, and starts a new thread a minute later', async () => {
    const logged: string[] = [];
    const slot = thread.slot((line) => logged.push(line));
    // Documents the thread cannot index take it down.
    const broken = Object.assign(Object.create(library) as PolicyLibrary, { sourceDocuments: () => [{ id: 'x', fileName: 'x', title: 'x', text: null }], answer: () => ON_THIS_THREAD });
    await slot.prepare(broken);
    assert.equal(await slot.answer(broken, 'usb stick allowed?'), ON_THIS_THREAD);
    assert.match(logged.join('\n'), /the search thread failed .*answering on the bot's thread/);
    const sent = marked(library);
    now += 30_000;
    await slot.prepare(sent);
    assert.equal(await slot.answer(sent, 'usb stick allowed?'), ON_THIS_THREAD, 'not restarted within the minute');
    now += 31_000;
    await slot.prepare(sent);
    assert.deepEqual(await slot.answer(sent, 'usb stick allowed?'), library.answer('usb stick allowed?'), 'a new thread after it');
  });

  it('answers on the bot thread once stopped', async () => {
    const slot = thread.slot();
    const sent = marked(library);
    await slot.prepare(sent);
    assert.notEqual(await slot.answer(sent, 'usb stick allowed?'), ON_THIS_THREAD);
    await thread.stop();
    assert.equal(await slot.answer(sent, 'usb stick allowed?'), ON_THIS_THREAD);
  });
});
