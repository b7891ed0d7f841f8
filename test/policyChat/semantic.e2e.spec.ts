import assert from 'node:assert/strict';
import { policyModule } from '../../bot/policy';
import { DocumentTable } from '../../bot/storage/documentTable';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import type { StoredVector } from '../../bot/policy/semantic/vectorStore';
import { actionsOf, cardOf, cardText } from '../support/cards';
import { quietly, rerankCandidates, startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';

// Words the example policies never use: the lexical index finds nothing, a model that knows what they mean does.
const OWN_WORDS = 'thinkpad in the motor overnight?';
const WHATSAPP = 'can i use whatsapp to message parents?';
const flat = (s: string) => s.replace(/\*\*/g, '');
/** The main citation and the "other rules" part of a policy answer card, as read. */
function answerParts(card: unknown): { main: string; others: string } {
  const [main, others = ''] = flat(cardText(card)).split('Other rules that may apply');
  return { main, others };
}
const candidatesOf = (fake: FakeOpenAI, i = 0) => rerankCandidates(fake.rerankRequests[i].body);

describe('semantic policy retrieval (optional): Azure OpenAI embeddings and re-rank, end to end', () => {
  let h: Harness | undefined;
  let fake: FakeOpenAI;
  let logs: string[] = [];
  const log = (m: string) => logs.push(m);
  beforeEach(async () => {
    logs = [];
    fake = await startFakeOpenAI();
    // What a real embedding model knows and the policies' own words do not say.
    fake.sameMeaning('laptop', 'thinkpad').sameMeaning('car', 'motor');
  });
  afterEach(async () => {
    await h?.stop();
    h = undefined;
    await fake.stop();
  });
  const azure = () => ({ AZURE_OPENAI_API_KEY: 'azure-key', AZURE_OPENAI_ENDPOINT: fake.url, AZURE_OPENAI_DEPLOYMENT: 'lantern-chat', AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'lantern-embed' });
  const start = async (env: Record<string, string> = azure()) => (h = await startHarness({ modules: [policyModule], env, log }));

  it('answers with the clause whose meaning matches when the question misses the lexical index', async () => {
    await start({});
    assert.match(cardText(cardOf((await h!.say(people.teacher, OWN_WORDS))[0])), /I couldn't find a rule that answers this/);
    await h!.stop();

    await start();
    assert.ok(logs.includes('policies: semantic retrieval on (azure, embeddings lantern-embed, re-ranked by lantern-chat)'));
    const built = fake.embeddingRequests.flatMap((r) => r.input).length;
    assert.ok(built > 60, 'every section of the example policies is embedded once at start');
    const replies = await h!.say(people.teacher, OWN_WORDS);
    assert.equal(replies.length, 1);
    const { main } = answerParts(cardOf(replies[0]));
    assert.match(main, /Online Safety Policy, 8\.1 Devices off site/);
    assert.match(main, /kept out of sight in a car/);

    // Azure's REST shape: the deployment in the path, the api version, the key header; the question as typed.
    const asked = fake.embeddingRequests.at(-1)!;
    assert.deepEqual([asked.path, asked.apiVersion, asked.headers['api-key'], asked.input], ['/openai/deployments/lantern-embed/embeddings', '2024-06-01', 'azure-key', [OWN_WORDS]]);
    assert.equal(fake.rerankRequests.length, 1);
    assert.equal(fake.rerankRequests[0].deployment, 'lantern-chat');
    assert.equal(fake.rerankRequests[0].body.messages.at(-1)!.content, OWN_WORDS);
    assert.ok(candidatesOf(fake).some((c) => c.title === 'Online Safety Policy, 8.1 Devices off site'));

    // The vectors are in Tables, one per section, each with the hash of the text it came from.
    const tables = new TableProvisioner(endpointFromConnectionString(h!.env.TABLES_CONNECTION_STRING, 'test', h!.env.TABLES_PREFIX));
    const rows = await new DocumentTable<StoredVector>(tables, 'policyvectors').all();
    assert.equal(rows.length, built);
    assert.ok(rows.every((r) => /^[0-9a-f]{64}$/.test(r.value.textHash) && r.value.vector.length > 0));

    // "Not helpful" marks the clause that was shown, not whatever the lexical index would say.
    const notHelpful = actionsOf(cardOf(replies[0])).find((a) => a.title === 'Not helpful')!;
    const rated = await h!.click(people.teacher, notHelpful.verb, notHelpful.data);
    assert.match(flat(cardText(rated.body?.value)), /Online Safety Policy, 8\.1 Devices off site[\s\S]*will see that this answer did not help/);
  });

  it('builds the index once: a restart on the same tables embeds no section again', async () => {
    await start();
    const first = fake.embeddingRequests.length;
    await h!.restart();
    assert.equal(fake.embeddingRequests.length, first);
    assert.ok(logs.some((m) => /^policies: semantic index: \d+ sections, 0 embedded now, 0 removed/.test(m)));
  });

  it('re-ranks before the grounded phrasing: the model is given the clause the re-rank chose (OpenAI-compatible endpoint)', async () => {
    fake.next = { content: 'Keep it out of sight in the car [1].' };
    await start({ OPENAI_API_KEY: 'sk-test', OPENAI_ENDPOINT: fake.url, OPENAI_MODEL: 'gpt-test', OPENAI_EMBEDDING_MODEL: 'text-embedding-3-small' });
    const replies = await h!.say(people.teacher, OWN_WORDS);
    assert.deepEqual(fake.requests.map((r) => (fake.rerankRequests.includes(r) ? 'rerank' : 'phrase')), ['rerank', 'phrase']);
    assert.equal(fake.embeddingRequests.at(-1)!.path, '/embeddings');
    assert.match(fake.sentText(1), /\[1\] Online Safety Policy, 8\.1 Devices off site\n[^\n]*kept out of sight in a car/);
    assert.equal(replies.length, 2);
    assert.equal(replies[0].activity.text, 'Keep it out of sight in the car [1].');
    assert.match(answerParts(cardOf(replies[1])).main, /Online Safety Policy, 8\.1 Devices off site/);
  });

  it("honours the model's order: its first choice is the main quote, the next the other rule", async () => {
    fake.rerank = { content: 'Here you are: {"order": [3, 1]}' };
    await start();
    const replies = await h!.say(people.teacher, WHATSAPP);
    const offered = candidatesOf(fake);
    assert.equal(offered[0].title, 'Staff Acceptable Use Policy, 6.3 Messaging apps', 'the lexical best is offered first');
    const { main, others } = answerParts(cardOf(replies[0]));
    assert.match(main, new RegExp(offered[2].title.replace(/[.()]/g, '\\$&')));
    assert.match(others, new RegExp(offered[0].title.replace(/[.()]/g, '\\$&')));
    assert.doesNotMatch(others, new RegExp(offered[1].title.replace(/[.()]/g, '\\$&')), 'a candidate the model left out is not shown');
  });

  for (const [why, reply] of [
    ['an answer that is not the order asked for', { content: 'The first passage answers it best.' }],
    ['an order naming only candidates never offered', { content: '{"order": [7, 42]}' }],
    ['an error from the chat deployment', { status: 500 }],
  ] as const) {
    it(`falls back to the lexical answer on ${why}`, async () => {
      fake.rerank = reply;
      await start();
      const replies = await quietly(() => h!.say(people.teacher, WHATSAPP));
      assert.equal(fake.rerankRequests.length, 1);
      assert.equal(replies.length, 1);
      assert.match(answerParts(cardOf(replies[0])).main, /Staff Acceptable Use Policy, 6\.3 Messaging apps/);
      assert.ok(logs.some((m) => /^semantic retrieval failed: .*; lexical answer$/.test(m)));
    });
  }

  it('falls back to the lexical answer when the embeddings endpoint fails, and asks the model nothing', async () => {
    await start();
    fake.embeddings = { status: 500 };
    const replies = await h!.say(people.teacher, WHATSAPP);
    assert.match(answerParts(cardOf(replies[0])).main, /Staff Acceptable Use Policy, 6\.3 Messaging apps/);
    assert.match(cardText(cardOf((await h!.say(people.teacher, OWN_WORDS))[0])), /I couldn't find a rule that answers this/);
    assert.equal(fake.rerankRequests.length, 0);
    assert.ok(logs.includes('semantic retrieval failed: HTTP 500; lexical answer'));
  });

  it('starts and answers lexically when the index cannot be built', async () => {
    fake.embeddings = { status: 500 };
    await start();
    assert.ok(logs.some((m) => /^policies: semantic index incomplete \(0 sections have vectors\): HTTP 500/.test(m)));
    const replies = await h!.say(people.teacher, WHATSAPP);
    assert.match(answerParts(cardOf(replies[0])).main, /Staff Acceptable Use Policy, 6\.3 Messaging apps/);
    assert.equal(fake.rerankRequests.length, 0);
  });

  it('keeps a question about a child in danger in school: the 999 notice, the lexical rule, nothing sent', async () => {
    await start();
    const before = fake.calls;
    const replies = await h!.say(people.teacher, 'a pupil told me her stepdad hits her, what do i do?');
    assert.match(cardText(cardOf(replies[0])) + (replies[0].activity.text ?? ''), /999/);
    assert.equal(fake.calls, before);
  });

  it('is off by default: no settings, no call to the stand-in, the lexical answer as before', async () => {
    await start({});
    const replies = await h!.say(people.teacher, WHATSAPP);
    assert.match(answerParts(cardOf(replies[0])).main, /Staff Acceptable Use Policy, 6\.3 Messaging apps/);
    assert.equal(fake.calls, 0);
    assert.deepEqual(logs.filter((m) => /semantic (retrieval|index)/.test(m)), []);
  });

  it('stays off with generative answers configured but no embeddings deployment: only the phrasing call', async () => {
    fake.next = { content: 'No [1].' };
    await start({ OPENAI_API_KEY: 'test', OPENAI_ENDPOINT: fake.url });
    await h!.say(people.teacher, WHATSAPP);
    assert.equal(fake.embeddingRequests.length, 0);
    assert.equal(fake.rerankRequests.length, 0);
    assert.equal(fake.requests.length, 1);
  });
});
