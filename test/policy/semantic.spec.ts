import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../bot/config/configErrors';
import { EXAMPLE_POLICIES } from '../../bot/policy';
import { PolicyLibrary } from '../../bot/policy/policyLibrary';
import { candidatesToOffer, createEmbeddingsClient, createReranker, fuseRankings, OpenAIRequestError, parseOrder, SectionVectors, SemanticRetriever, VectorStore } from '../../bot/policy/semantic';
import { readSettings } from '../../bot/settings';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import { startLocalServer } from '../support/localServer';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

const POLICY = 'online-safety-policy.md';
const azure = (endpoint: string) => ({ kind: 'azure' as const, apiKey: 'azure-key', endpoint, model: 'lantern-chat' });
const openai = (endpoint: string) => ({ kind: 'openai' as const, apiKey: 'sk-test', endpoint, model: 'gpt-test' });
const embeddedInputs = (fake: FakeOpenAI) => fake.embeddingRequests.flatMap((r) => r.input);

async function freshTables(): Promise<TableProvisioner> {
  return new TableProvisioner(endpointFromConnectionString((await sharedAzurite()).connectionString, 'test', uniquePrefix()));
}

describe('semantic retrieval: section vectors in Tables', () => {
  let fake: FakeOpenAI;
  let dir: string;
  beforeEach(async () => {
    fake = await startFakeOpenAI();
    dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-semantic-'));
    await copyFile(path.join(EXAMPLE_POLICIES, POLICY), path.join(dir, POLICY));
  });
  afterEach(async () => {
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('embeds only the section whose text changed between two index builds, and drops a removed one', async () => {
    const tables = await freshTables();
    const client = createEmbeddingsClient(azure(fake.url), 'lantern-embed');
    const vectors = () => new SectionVectors(new VectorStore(tables, 'azure:test:lantern-embed'), client);

    const first = await PolicyLibrary.fromDirectory(dir);
    const sections = first.clauses().length;
    assert.deepEqual(await vectors().sync(first.clauses()), { sections, embedded: sections, removed: 0 });
    assert.equal(embeddedInputs(fake).length, sections);
    assert.equal(fake.embeddingRequests.length, Math.ceil(sections / 16), 'in batches of 16');

    // One clause reworded, as a school edits its policy; a new process reads the vectors stored by the first.
    await writeFile(path.join(dir, POLICY), (await readFile(path.join(dir, POLICY), 'utf8')).replace('returned for updates when IT asks', 'returned for updates every half term'));
    const second = await PolicyLibrary.fromDirectory(dir);
    fake.embeddingRequests.length = 0;
    // The clause is short, so its key (which reads its first 200 characters) changed too: the old row goes.
    assert.deepEqual(await vectors().sync(second.clauses()), { sections, embedded: 1, removed: 1 });
    assert.equal(embeddedInputs(fake).length, 1);
    assert.match(embeddedInputs(fake)[0], /^Online Safety Policy\n8\.1 Devices off site\n.*every half term/);

    // A change past the first 200 characters keeps the clause's key: the same row gets the new vector and hash.
    await writeFile(path.join(dir, POLICY), (await readFile(path.join(dir, POLICY), 'utf8')).replace('dealt with under the behaviour policy', 'dealt with by the head of year'));
    const edited = await PolicyLibrary.fromDirectory(dir);
    fake.embeddingRequests.length = 0;
    assert.deepEqual(await vectors().sync(edited.clauses()), { sections, embedded: 1, removed: 0 });
    assert.match(embeddedInputs(fake)[0], /^Online Safety Policy\n3\.2 What staff do when a pupil bypasses the filter\n.*head of year/);

    // Nothing changed: nothing to embed.
    fake.embeddingRequests.length = 0;
    assert.deepEqual(await vectors().sync(edited.clauses()), { sections, embedded: 0, removed: 0 });
    assert.equal(fake.embeddingRequests.length, 0);

    // A section taken out: its stored vector goes too, and the rest are untouched.
    await writeFile(path.join(dir, POLICY), (await readFile(path.join(dir, POLICY), 'utf8')).replace(/### 8\.2 Retention of records\n[^\n]*\n/, ''));
    const third = await PolicyLibrary.fromDirectory(dir);
    assert.deepEqual(await vectors().sync(third.clauses()), { sections: sections - 1, embedded: 0, removed: 1 });
    assert.equal(fake.embeddingRequests.length, 0);
  });

  it('keeps the vectors embedded before a failure, and says which call failed', async () => {
    const tables = await freshTables();
    const store = new VectorStore(tables, 'azure:test:lantern-embed');
    const library = await PolicyLibrary.fromDirectory(dir);
    let calls = 0;
    const failing = createEmbeddingsClient(azure(fake.url), 'lantern-embed', {
      fetch: (async (input: string | URL | Request, init?: RequestInit) => (++calls === 2 ? new Response('{}', { status: 429 }) : fetch(input, init))) as typeof fetch,
    });
    await assert.rejects(new SectionVectors(store, failing).sync(library.clauses()), (err: unknown) => err instanceof OpenAIRequestError && err.kind === 'http' && err.status === 429);
    fake.embeddingRequests.length = 0;
    const report = await new SectionVectors(store, createEmbeddingsClient(azure(fake.url), 'lantern-embed')).sync(library.clauses());
    assert.equal(report.embedded, report.sections - 16, 'the first batch was stored before the second failed');
  });
});

describe('semantic retrieval: the embeddings client', () => {
  let fake: FakeOpenAI;
  beforeEach(async () => (fake = await startFakeOpenAI()));
  afterEach(async () => fake.stop());

  it("calls Azure's deployment path with its key, and OpenAI's path with the model and a bearer token", async () => {
    const [a] = await createEmbeddingsClient(azure(`${fake.url}/`), 'embed-dep').embed(['phones in class']);
    const [o] = await createEmbeddingsClient(openai(fake.url), 'text-embedding-3-small').embed(['phones in class']);
    const [az, oa] = fake.embeddingRequests;
    assert.deepEqual([az.path, az.apiVersion, az.headers['api-key'], az.headers.authorization], ['/openai/deployments/embed-dep/embeddings', '2024-06-01', 'azure-key', undefined]);
    assert.deepEqual([oa.path, oa.headers.authorization, oa.headers['api-key']], ['/embeddings', 'Bearer sk-test', undefined]);
    assert.deepEqual([...a], [...o]);
    assert.ok(Math.abs(a.reduce((n, x) => n + x * x, 0) - 1) < 1e-5, 'unit length');
  });

  it('fails with a typed error on an HTTP error, a reply that does not match the inputs, or no answer in time', async () => {
    fake.embeddings = { status: 503 };
    await assert.rejects(createEmbeddingsClient(azure(fake.url), 'e').embed(['x']), (e: unknown) => e instanceof OpenAIRequestError && e.kind === 'http' && e.status === 503);

    const wrong = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ index: 0, embedding: [1, 0] }] }));
    });
    const silent = await startLocalServer(() => undefined);
    try {
      await assert.rejects(createEmbeddingsClient(azure(wrong.url), 'e').embed(['x', 'y']), (e: unknown) => e instanceof OpenAIRequestError && e.kind === 'bad-reply');
      await assert.rejects(createEmbeddingsClient(azure(silent.url), 'e', { timeoutMs: 50 }).embed(['x']), (e: unknown) => e instanceof OpenAIRequestError && e.kind === 'timeout');
    } finally {
      await wrong.stop();
      await silent.stop();
    }
  });
});

describe('semantic retrieval: fusion and the re-rank reply', () => {
  it('fuses by rank: a clause both lists find beats one only a single list puts first', () => {
    assert.deepEqual(fuseRankings([['a', 'b', 'c'], ['d', 'b', 'e']], 10), ['b', 'a', 'd', 'c', 'e']);
    assert.deepEqual(fuseRankings([['a', 'b'], []], 10), ['a', 'b'], 'with no vectors, the lexical order');
    assert.deepEqual(fuseRankings([['a'], ['b']], 10), ['a', 'b'], 'a tie keeps the lexical list first');
    assert.deepEqual(fuseRankings([['a', 'b', 'c']], 2), ['a', 'b']);
  });

  it("always offers the lexical index's best few, in fused order, and fills the rest from the vectors", () => {
    // Fused alone, the two vector-only clauses x and y would push the lexical c out of three places.
    assert.deepEqual(fuseRankings([['a', 'b', 'c', 'd'], ['x', 'y', 'a', 'b']], 3), ['a', 'b', 'x']);
    assert.deepEqual(candidatesToOffer([['a', 'b', 'c', 'd'], ['x', 'y', 'a', 'b']], 4, 3), ['a', 'b', 'x', 'c']);
    assert.deepEqual(candidatesToOffer([[], ['x', 'y']], 5, 3), ['x', 'y'], 'nothing lexical: the vectors alone');
  });

  it('reads the order of offered ids only, in prose or a code fence, and rejects anything else', () => {
    assert.deepEqual(parseOrder('{"order": [3, 1]}', [1, 2, 3]), [3, 1]);
    assert.deepEqual(parseOrder('Sure:\n```json\n{"order": ["2", 2, 9, 1]}\n```', [1, 2, 3]), [2, 1], 'strings of digits count, repeats and unknown ids do not');
    assert.deepEqual(parseOrder('{"order": []}', [1, 2]), [], 'none answers');
    for (const bad of ['3, 1', '{"ranking": [1]}', '{"order": "1"}', '{"order": [5, 6]}', '{order: [1]}'])
      assert.throws(() => parseOrder(bad, [1, 2, 3]), (e: unknown) => e instanceof OpenAIRequestError && e.kind === 'bad-reply', bad);
  });

  it('sends the candidates as the instructions and the question alone as the user message', async () => {
    const fake = await startFakeOpenAI();
    try {
      fake.rerank = { content: '{"order": [2]}' };
      const ids = await createReranker(openai(fake.url)).rank('phones on trips', [
        { id: 1, title: 'AUP, 2.1 Mobile phones', text: 'Phones stay in bags.' },
        { id: 2, title: 'AUP, 4.1 Trips', text: 'On trips phones may be used.' },
      ]);
      assert.deepEqual(ids, [2]);
      const [req] = fake.rerankRequests;
      assert.equal(req.body.model, 'gpt-test');
      assert.deepEqual(req.body.messages.map((m) => m.role), ['system', 'user']);
      assert.equal(req.body.messages[1].content, 'phones on trips');
      assert.match(req.body.messages[0].content, /"id":2,"title":"AUP, 4\.1 Trips","text":"On trips phones may be used\."/);
    } finally {
      await fake.stop();
    }
  });
});

describe('semantic retrieval: the retriever', () => {
  let fake: FakeOpenAI;
  let library: PolicyLibrary;
  let logs: string[];
  let retriever: SemanticRetriever;
  before(async () => (library = await PolicyLibrary.fromDirectory(EXAMPLE_POLICIES)));
  beforeEach(async () => {
    logs = [];
    fake = await startFakeOpenAI();
    fake.sameMeaning('laptop', 'thinkpad').sameMeaning('car', 'motor');
    const ai = azure(fake.url);
    const embeddings = createEmbeddingsClient(ai, 'lantern-embed');
    retriever = new SemanticRetriever(new SectionVectors(new VectorStore(await freshTables(), 'azure:test:lantern-embed'), embeddings), embeddings, createReranker(ai), { log: (m) => logs.push(m) });
    await retriever.index(library);
  });
  afterEach(async () => fake.stop());

  it('leaves a question the model says no candidate answers as the lexical index had it: not found', async () => {
    fake.rerank = { content: '{"order": []}' };
    const { answer, order } = await retriever.retrieve('thinkpad in the motor overnight?', library);
    assert.equal(answer.found, false);
    assert.equal(order, undefined);
    assert.ok(logs.includes('semantic retrieval: the model found no candidate that answers; lexical answer'));
  });

  it('quotes the chosen clauses as the lexical answer would, main first, with their keys for later clicks', async () => {
    const { answer, order } = await retriever.retrieve('thinkpad in the motor overnight?', library);
    assert.equal(answer.citation?.section, '8.1 Devices off site');
    assert.equal(order?.[0], answer.key);
    assert.deepEqual(order?.slice(1), answer.others.map((o) => o.key));
    assert.deepEqual(library.answerInOrder('thinkpad in the motor overnight?', order!), answer);
  });

  it('takes contact details out of the question before it leaves the school', async () => {
    await retriever.retrieve('can i text 07700 900123 about the thinkpad left in the motor?', library);
    assert.deepEqual(fake.embeddingRequests.at(-1)!.input, ['can i text [number] about the thinkpad left in the motor?']);
    assert.equal(fake.rerankRequests.at(-1)!.body.messages[1].content, 'can i text [number] about the thinkpad left in the motor?');
  });
});

describe('semantic retrieval: settings', () => {
  const problems = (env: Record<string, string>) => {
    try {
      readSettings(env);
      return '';
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return (err as Error).message;
    }
  };
  const AZ = { AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: 'https://school.openai.azure.com' };

  it('is on only with an embeddings deployment, on top of the generative answers configuration', () => {
    assert.equal(readSettings({}).openAI, undefined);
    assert.equal(readSettings(AZ).openAI?.embeddings, undefined);
    assert.deepEqual(readSettings({ ...AZ, AZURE_OPENAI_DEPLOYMENT: 'chat', AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'embed-3' }).openAI, { kind: 'azure', endpoint: AZ.AZURE_OPENAI_ENDPOINT, apiKey: 'k', model: 'chat', embeddings: 'embed-3' });
    assert.equal(readSettings({ OPENAI_API_KEY: 'k', OPENAI_EMBEDDING_MODEL: 'text-embedding-3-small' }).openAI?.embeddings, 'text-embedding-3-small');
  });

  it('stops start-up naming the variable that is wrong', () => {
    assert.match(problems({ AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'embed' }), /AZURE_OPENAI_EMBEDDING_DEPLOYMENT: needs AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT/);
    assert.match(problems({ ...AZ, AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'my embed/../x' }), /AZURE_OPENAI_EMBEDDING_DEPLOYMENT: "my embed\/\.\.\/x" is not a deployment name/);
    assert.match(problems({ ...AZ, AZURE_OPENAI_ENDPOINT: 'http://school.openai.azure.com', AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'e' }), /AZURE_OPENAI_ENDPOINT: must be an https:\/\/ URL for embeddings/);
    assert.equal(problems({ ...AZ, AZURE_OPENAI_ENDPOINT: 'http://127.0.0.1:8080', AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'e' }), '', 'plain http to this machine (a proxy or stand-in)');
    assert.match(problems({ ...AZ, OPENAI_EMBEDDING_MODEL: 'm' }), /OPENAI_EMBEDDING_MODEL: Azure OpenAI is configured/);
    assert.match(problems({ OPENAI_EMBEDDING_MODEL: 'm' }), /OPENAI_EMBEDDING_MODEL: needs OPENAI_API_KEY/);
  });
});
