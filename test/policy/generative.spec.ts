import assert from 'node:assert/strict';
import { checkAnswer, createOpenAIPhraser, groundingPassages, minimise, phraseAnswers, phrasingFromSettings, type GroundingPassage, type Phraser, type PhraserOptions } from '../../bot/policy/generative';
import type { PolicyAnswer } from '../../bot/policy/policyLibrary';
import { quietly, startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';

const answer: PolicyAnswer = {
  found: true,
  quote: 'Personal messaging apps such as **WhatsApp** must not be used to message pupils or parents.',
  citation: { document: 'Staff Acceptable Use Policy', section: '6.3 Messaging apps' },
  seeAlso: [{ document: 'Staff Code of Conduct', section: '4.1 Contact with pupils' }],
  others: [],
  score: 0.9,
  nextSteps: [],
  childInDanger: false,
};
const passages = groundingPassages(answer);
const openAI = (endpoint: string) => ({ kind: 'openai' as const, apiKey: 'test-key', endpoint, model: 'gpt-test' });

describe('generative answers: checking the model’s reply', () => {
  it('numbers the quote [1] and the see-also sections after it', () => {
    assert.deepEqual(
      passages.map((p) => [p.position, p.title]),
      [
        [1, 'Staff Acceptable Use Policy, 6.3 Messaging apps'],
        [2, 'Staff Code of Conduct, 4.1 Contact with pupils'],
      ],
    );
    assert.deepEqual(groundingPassages({ ...answer, found: false, quote: '', citation: undefined }), []);
  });

  it('keeps a reply whose every [n] is a given passage, listing only the cited ones', () => {
    const ok = checkAnswer('No: WhatsApp must not be used to message parents [1].', passages)!;
    assert.deepEqual(ok.citations.map((c) => c.position), [1]);
    assert.equal(checkAnswer('No [1, 2].', passages)!.text, 'No [1][2].', 'Teams renders only single markers');
  });

  it('rejects a reply that cites nothing, or a passage that was not given', () => {
    assert.equal(checkAnswer('The policy does not say.', passages), undefined);
    assert.equal(checkAnswer('No [1], see also [3].', passages), undefined);
    assert.equal(checkAnswer('', passages), undefined);
    assert.equal(checkAnswer(`${'word '.repeat(400)}[1]`, passages), undefined, 'far past 120 words');
  });

  it('takes contact details out of the question before it leaves the school', () => {
    assert.equal(minimise('can I text 07700 900123 or email j.smith@pupils.school.uk about year 7?'), 'can I text [number] or email [email] about year 7?');
  });
});

describe('generative answers: the teams-ai planner against a fake endpoint', () => {
  let fake: FakeOpenAI;
  beforeEach(async () => (fake = await startFakeOpenAI()));
  afterEach(async () => fake.stop());

  it('sends the instructions, the numbered passages and the question, and returns the cited answer', async () => {
    fake.next = { content: 'No. Staff must not use WhatsApp to message parents [1].' };
    const phraser = createOpenAIPhraser(openAI(fake.url));
    const result = await phraser.phrase('can i use whatsapp to message parents?', passages);
    assert.equal(result?.text, 'No. Staff must not use WhatsApp to message parents [1].');
    assert.equal(fake.requests.length, 1);
    const { body, headers, path } = fake.requests[0];
    assert.equal(path, '/chat/completions');
    assert.equal(headers.authorization, 'Bearer test-key');
    assert.equal(body.model, 'gpt-test');
    assert.equal(body.temperature, 0);
    const [system, user] = body.messages;
    assert.equal(system.role, 'system');
    assert.match(system.content, /Answer ONLY from the numbered passages/);
    assert.match(system.content, /Do not use outside knowledge/);
    assert.match(system.content, /The policy does not say/);
    assert.match(system.content, /at most 120 words/);
    assert.match(system.content, /\[1\] Staff Acceptable Use Policy, 6\.3 Messaging apps\nPersonal messaging apps such as WhatsApp must not be used/);
    assert.match(system.content, /\[2\] Staff Code of Conduct, 4\.1 Contact with pupils/);
    assert.deepEqual(user, { role: 'user', content: 'can i use whatsapp to message parents?' });
  });

  it("calls Azure OpenAI's deployment path with its api-key header", async () => {
    fake.next = { content: 'Not allowed [1].' };
    // Azure endpoints must be https; the test sends what would go to Azure to the local server.
    const toFake: typeof fetch = (input, init) => fetch(String(input).replace('https://school.openai.azure.com', fake.url), init);
    const phraser = createOpenAIPhraser({ kind: 'azure', apiKey: 'azure-key', endpoint: 'https://school.openai.azure.com', model: 'lantern-gpt' }, { fetch: toFake as unknown as PhraserOptions['fetch'] });
    assert.equal((await phraser.phrase('whatsapp for parents?', passages))?.text, 'Not allowed [1].');
    const [req] = fake.requests;
    assert.equal(req.deployment, 'lantern-gpt');
    assert.match(req.apiVersion ?? '', /^\d{4}-\d{2}-\d{2}/);
    assert.equal(req.headers['api-key'], 'azure-key');
    assert.match(req.body.messages[0].content, /Answer ONLY from the numbered passages/);
  });

  it('gives up after the timeout, so the quoted card is not held back', async () => {
    fake.next = { delayMs: 3000, content: 'Too late [1].' };
    const phraser = createOpenAIPhraser(openAI(fake.url), { timeoutMs: 200 });
    const started = Date.now();
    assert.equal(await quietly(() => phraser.phrase('whatsapp?', passages)), undefined);
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
  });

  it('falls back when the endpoint fails, without retrying', async () => {
    fake.next = { status: 500 };
    const logs: string[] = [];
    const phraser = createOpenAIPhraser(openAI(fake.url), { log: (m) => logs.push(m) });
    assert.equal(await quietly(() => phraser.phrase('whatsapp?', passages)), undefined);
    assert.equal(fake.requests.length, 1);
    assert.match(logs.join('\n'), /quoted card only/);
  });

  it('is off when an Azure endpoint is not https, and says why', () => {
    const logs: string[] = [];
    assert.equal(phrasingFromSettings({ kind: 'azure', apiKey: 'k', endpoint: 'http://plain', model: 'd' }, (m) => logs.push(m)), undefined);
    assert.match(logs.join('\n'), /generative answers off: .*HTTPS/);
  });
});

describe('generative answers: what reaches the phraser', () => {
  const spy = () => {
    const calls: Array<{ question: string; passages: GroundingPassage[] }> = [];
    const phraser: Phraser = { phrase: async (question, passages) => (calls.push({ question, passages }), { text: 'Yes [1].', citations: [passages[0]] }) };
    return { calls, phrase: phraseAnswers(phraser) };
  };

  it('builds an AI-labelled message with a clipped abstract per cited passage', async () => {
    const { phrase } = spy();
    const out = await phrase('whatsapp?', { ...answer, quote: `**Rule**: ${'x'.repeat(300)}` });
    assert.equal(out?.text, 'Yes [1].');
    const [c] = out!.aiGenerated!.citations;
    assert.equal(c.position, 1);
    assert.equal(c.title, 'Staff Acceptable Use Policy, 6.3 Messaging apps');
    assert.ok(c.abstract.length <= 160 && c.abstract.startsWith('Rule: x'));
  });

  it('sends nothing when nothing was found or a child may be in danger', async () => {
    const { calls, phrase } = spy();
    assert.equal(await phrase('q', { ...answer, found: false, quote: '', citation: undefined, seeAlso: [] }), undefined);
    assert.equal(await phrase('my pupil says she is hit at home', { ...answer, childInDanger: true }), undefined);
    assert.equal(calls.length, 0);
  });
});
