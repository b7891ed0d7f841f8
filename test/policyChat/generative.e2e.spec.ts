import assert from 'node:assert/strict';
import { policyModule } from '../../bot/policy';
import { actionsOf, cardOf, cardText, visibleText } from '../support/cards';
import { quietly, startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';

const QUESTION = 'can i use whatsapp to message parents?';
const aiEntityOf = (activity: Record<string, any>) => activity.entities?.find((e: any) => e['@type'] === 'Message' && e.additionalType?.includes('AIGeneratedContent'));

describe('generative policy answers (optional)', () => {
  let h: Harness;
  let fake: FakeOpenAI;
  beforeEach(async () => (fake = await startFakeOpenAI()));
  afterEach(async () => {
    await h?.stop();
    await fake.stop();
  });
  let logs: string[] = [];
  const log = (m: string) => logs.push(m);
  beforeEach(() => (logs = []));
  const start = () => startHarness({ modules: [policyModule], env: { OPENAI_API_KEY: 'test', OPENAI_ENDPOINT: fake.url }, log }).then((x) => (h = x));

  it('phrases the answer from the retrieved passage, with the AI label and a Teams citation, then the quoted card', async () => {
    fake.next = { content: 'No. Staff must not use WhatsApp or other personal messaging apps to message parents [1].' };
    await start();
    assert.ok(logs.includes('policies: generative answers on (openai, gpt-4o-mini)'));
    const replies = await h.say(people.teacher, QUESTION);
    assert.equal(replies.length, 2);
    const [ai, card] = replies;
    assert.equal(ai.activity.text, 'No. Staff must not use WhatsApp or other personal messaging apps to message parents [1].');
    assert.equal(cardOf(ai), undefined);
    const entity = aiEntityOf(ai.activity);
    assert.deepEqual({ ...entity, citation: undefined }, { type: 'https://schema.org/Message', '@type': 'Message', '@context': 'https://schema.org', '@id': '', additionalType: ['AIGeneratedContent'], citation: undefined });
    assert.equal(entity.citation.length, 1);
    const [cite] = entity.citation;
    assert.equal(cite['@type'], 'Claim');
    assert.equal(cite.position, 1);
    assert.equal(cite.appearance['@type'], 'DigitalDocument');
    assert.equal(cite.appearance.name, 'Staff Acceptable Use Policy, 6.3 Messaging apps');
    assert.match(cite.appearance.abstract, /must not be used to message pupils or parents/);
    assert.ok(cite.appearance.abstract.length <= 160);

    // What left the school: the instructions, the retrieved passage and the question, nothing else.
    assert.equal(fake.requests.length, 1);
    const sent = fake.sentText();
    assert.match(sent, /Answer ONLY from the numbered passages/);
    assert.match(sent, /\[1\] Staff Acceptable Use Policy, 6\.3 Messaging apps\n[^\n]*must not be used to message pupils or parents/);
    assert.equal(fake.requests[0].body.messages.at(-1)?.content, QUESTION);
    assert.doesNotMatch(sent, new RegExp(people.teacher.name));

    // The quoted card still follows, and its feedback buttons still work.
    assert.match(cardText(cardOf(card)).replace(/\*\*/g, ''), /Staff Acceptable Use Policy, 6\.3 Messaging apps/);
    const notHelpful = actionsOf(cardOf(card)).find((a) => a.title === 'Not helpful')!;
    assert.match(cardText((await h.click(people.teacher, notHelpful.verb, notHelpful.data)).body?.value), /will see that this answer did not help/);
  });

  it('shows only the quoted card when the model cites a passage it was not given', async () => {
    fake.next = { content: 'No, see the messaging rules [1] and the social media policy [4].' };
    await start();
    const replies = await h.say(people.teacher, QUESTION);
    assert.equal(fake.requests.length, 1);
    assert.equal(replies.length, 1);
    assert.ok(cardOf(replies[0]));
    assert.equal(aiEntityOf(replies[0].activity), undefined);
    assert.match(visibleText(replies[0]).replace(/\*\*/g, ''), /must not be used to message pupils or parents/);
  });

  it('shows only the quoted card when the model answers without citing anything', async () => {
    fake.next = { content: 'The policy does not say.' };
    await start();
    const replies = await h.say(people.teacher, QUESTION);
    assert.equal(replies.length, 1);
    assert.match(visibleText(replies[0]).replace(/\*\*/g, ''), /Staff Acceptable Use Policy, 6\.3 Messaging apps/);
  });

  it('shows only the quoted card when the endpoint fails', async () => {
    fake.next = { status: 503 };
    await start();
    const replies = await quietly(() => h.say(people.teacher, QUESTION));
    assert.equal(fake.requests.length, 1);
    assert.equal(replies.length, 1);
    assert.ok(cardOf(replies[0]));
    assert.equal(aiEntityOf(replies[0].activity), undefined);
    assert.ok(logs.some((m) => /generative answer: error; quoted card only/.test(m)));
  });

  it('keeps the 999 notice first and sends nothing to the endpoint when a child may be in danger', async () => {
    fake.next = { content: 'Tell the DSL [1].' };
    await start();
    const replies = await h.say(people.teacher, 'a pupil told me her stepdad hits her, what do i do?');
    assert.match(visibleText(replies[0]), /call 999 now/);
    assert.ok(replies.every((r) => !aiEntityOf(r.activity)));
    assert.equal(fake.requests.length, 0);
  });

  it('asks nothing of the endpoint when a question has no answer in the policies', async () => {
    await start();
    const replies = await h.say(people.teacher, 'Can the school choir sing at the Christmas market?');
    assert.match(cardText(cardOf(replies[0])), /I couldn't find a rule that answers this/);
    assert.equal(fake.requests.length, 0);
  });

  it('is off by default: no endpoint configured, no request, the quoted card as before', async () => {
    fake.next = { content: 'No [1].' };
    h = await startHarness({ modules: [policyModule], log });
    assert.equal(logs.filter((m) => /generative/.test(m)).length, 0);
    const replies = await h.say(people.teacher, QUESTION);
    assert.equal(replies.length, 1);
    assert.ok(cardOf(replies[0]));
    assert.equal(replies[0].activity.entities, undefined);
    assert.equal(fake.requests.length, 0);
  });
});
