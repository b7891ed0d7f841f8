import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PolicyLibrary, type PolicyAnswer } from '../../bot/policy/policyLibrary';
import { createEmbeddingsClient, createReranker, SectionVectors, SemanticRetriever, VectorStore, type Reranker } from '../../bot/policy/semantic';
import type { OpenAIConfig } from '../../bot/policy/semantic/openAIRequest';
import type { RerankCandidate } from '../../bot/policy/semantic/rerankPrompt';
import { readSettings } from '../../bot/settings';
import { projectPath } from '../../bot/projectRoot';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { isHit, isMainHit, loadItems, render, singlePolicyLibraries, type EvalItem } from '../policy/evalHarness';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

/**
 * `npm run eval:semantic [-- --sets a.json,b.json] [--live]`: the question sets answered lexically (as today) and with
 * semantic retrieval on against the local OpenAI stand-in (hashed-stem vectors), two ways: the model keeping the
 * fused order it was offered (fusion alone), and the stand-in re-ranking by its own cosine (a "model" that is a
 * bag of words). Also: how often the right clause is among the five candidates a model would read, lexical top
 * five against the five offered. The stand-in knows no meanings, so this measures the mechanism, not a real model.
 * --live: the deployment named by the environment instead (this sends the policies and questions to it).
 */
const SHARED = path.resolve(projectPath(), '../shared');
const REFERENCE = path.join(SHARED, 'policies');
const EXAMPLE = projectPath('bot/policy/example');
const SETS = ['qa-own.json', 'qa-blind.json', 'qa-blind2.json', 'qa-blind3.json', 'qa-example.json', 'dev-qa.json'];
const fileOf = (name: string) => (name === 'dev-qa.json' ? path.join(SHARED, 'eval', name) : projectPath('test/eval', name));

interface Tally {
  n: number;
  first: number;
  main: number;
  wrong: number;
  none: number;
  maxChars: number;
}

const empty = (): Tally => ({ n: 0, first: 0, main: 0, wrong: 0, none: 0, maxChars: 0 });
function count(t: Tally, item: EvalItem, a: PolicyAnswer): void {
  const main = isMainHit(item, a);
  t.n++;
  t.first += isHit(item, a) ? 1 : 0;
  t.main += main ? 1 : 0;
  t.wrong += a.found && !a.choices && !main ? 1 : 0;
  t.none += a.found ? 0 : 1;
  t.maxChars = Math.max(t.maxChars, render(a).length);
}
const pct = (n: number, d: number) => `${n} ${((100 * n) / Math.max(1, d)).toFixed(1)}%`.padStart(11);
/** Whether a candidate the model was offered quotes the item's evidence (as a main quote would be judged). */
const shows = (item: EvalItem, quote: string) => isMainHit(item, { found: true, quote, citation: { document: '', section: '' }, seeAlso: [], others: [], score: 0, nextSteps: [], childInDanger: false });
const line = (name: string, t: Tally) => `${name.padEnd(22)} ${String(t.n).padStart(4)} ${pct(t.first, t.n)} ${pct(t.main, t.n)} ${pct(t.wrong, t.n)} ${String(t.none).padStart(5)} ${String(t.maxChars).padStart(6)}`;

/** Where the vectors and re-rank come from: the stand-in (two ways), or the deployment in the environment. */
function sourceOf(live: boolean, fake: FakeOpenAI | undefined): { ai: OpenAIConfig; embeddings: string; modes: Array<{ name: string; before?: () => void }> } {
  if (!live) {
    const ai = { kind: 'azure' as const, apiKey: 'stand-in', endpoint: fake!.url, model: 'stand-in-chat' };
    return { ai, embeddings: 'stand-in-embed', modes: [{ name: 'fused', before: () => (fake!.rerank = 'as-offered') }, { name: 'stand-in', before: () => (fake!.rerank = undefined) }] };
  }
  const ai = readSettings(process.env).openAI;
  if (!ai?.embeddings) throw new Error('eval:semantic --live needs the AZURE_OPENAI_* (or OPENAI_*) settings with AZURE_OPENAI_EMBEDDING_DEPLOYMENT (or OPENAI_EMBEDDING_MODEL)');
  return { ai, embeddings: ai.embeddings, modes: [{ name: ai.model }] };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--sets');
  const sets = at >= 0 ? args[at + 1].split(',') : SETS;
  const live = args.includes('--live');
  const fake = live ? undefined : await startFakeOpenAI();
  const { ai, embeddings: deployment, modes } = sourceOf(live, fake);
  const tables = new TableProvisioner(endpointFromConnectionString((await sharedAzurite()).connectionString, 'eval', uniquePrefix()));
  const embeddings = createEmbeddingsClient(ai, deployment);
  const inner = createReranker(ai);
  // What the model was offered for the last question: the ceiling any re-rank can reach.
  let offered: RerankCandidate[] = [];
  const reranker: Reranker = { rank: (q, candidates) => ((offered = candidates), inner.rank(q, candidates)) };
  let failures = 0;
  const retrievers = new Map<PolicyLibrary, SemanticRetriever>();
  const retrieverFor = async (library: PolicyLibrary, name: string) => {
    let r = retrievers.get(library);
    if (!r) {
      r = new SemanticRetriever(new SectionVectors(new VectorStore(tables, `eval:${name}`), embeddings), embeddings, reranker, { log: (m) => void (/failed|incomplete/.test(m) && failures++) });
      await r.index(library);
      retrievers.set(library, r);
    }
    return r;
  };
  const reference = await singlePolicyLibraries(REFERENCE);
  const example = await PolicyLibrary.fromDirectory(EXAMPLE);

  console.log(`${'set (retrieval)'.padEnd(22)} ${'n'.padStart(4)} ${'first reply'.padStart(11)} ${'main quote'.padStart(11)} ${'wrong main'.padStart(11)} ${'none'.padStart(5)} ${'max ch'.padStart(6)}`);
  const fresh = () => ({ lexical: empty(), modes: modes.map(empty), recallLexical: 0, recallOffered: 0 });
  const totals = fresh();
  const recall: string[] = [];
  const recallLine = (name: string, t: ReturnType<typeof fresh>) =>
    `${name.padEnd(16)} right clause in the lexical top 5: ${pct(t.recallLexical, t.lexical.n).trim()}; among the 5 offered to the re-rank: ${pct(t.recallOffered, t.lexical.n).trim()}`;
  for (const name of sets) {
    const tally = fresh();
    for (const item of await loadItems(fileOf(name))) {
      const library = name === 'qa-example.json' ? example : reference.get(item.policy);
      if (!library) throw new Error(`${name}: no policy ${item.policy}`);
      const retriever = await retrieverFor(library, name === 'qa-example.json' ? 'example' : item.policy);
      const lexicalFive = library.lexicalRanking(item.q, 5).some((key) => shows(item, library.quoteFor(item.q, key)!.quote));
      offered = [];
      const answers: PolicyAnswer[] = [];
      for (const mode of modes) {
        mode.before?.();
        answers.push((await retriever.retrieve(item.q, library)).answer);
      }
      for (const t of [tally, totals]) {
        count(t.lexical, item, library.answer(item.q));
        answers.forEach((a, i) => count(t.modes[i], item, a));
        t.recallLexical += lexicalFive ? 1 : 0;
        t.recallOffered += offered.some((c) => shows(item, c.text)) ? 1 : 0;
      }
    }
    console.log(line(`${name} lexical`, tally.lexical));
    modes.forEach((m, i) => console.log(line(`${name} ${m.name}`, tally.modes[i])));
    recall.push(recallLine(name, tally));
  }
  console.log(line('all lexical', totals.lexical));
  modes.forEach((m, i) => console.log(line(`all ${m.name}`, totals.modes[i])));
  recall.push(recallLine('all', totals));
  for (const r of recall) console.log(r);

  const offTopic = JSON.parse(await readFile(projectPath('test/eval/off-topic.json'), 'utf8')) as Record<string, string[]>;
  const last = modes[modes.length - 1];
  for (const group of ['formal', 'informal']) {
    let lexical = 0;
    let semantic = 0;
    let asked = 0;
    last.before?.();
    for (const [file, library] of [...reference, ['example', example] as const]) {
      const retriever = await retrieverFor(library, file);
      for (const q of offTopic[group]) {
        asked++;
        if (!library.answer(q).found) lexical++;
        // The stand-in's re-rank keeps any candidate sharing a word; only a real model can say "none of these".
        if (!(await retriever.retrieve(q, library)).answer.found) semantic++;
      }
    }
    console.log(`off-topic (${group}, ${offTopic[group].length} x ${reference.size + 1} policy sets) declined: lexical ${pct(lexical, asked).trim()}, ${last.name} ${pct(semantic, asked).trim()}`);
  }
  // Every failure fell back to the lexical answer: many of them mean the figures above are mostly lexical.
  console.log(`semantic calls that failed and fell back to the lexical answer: ${failures}`);
  await fake?.stop();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error((err as Error).stack ?? err);
    process.exit(1);
  },
);
