import assert from 'assert';
import { promises as fs, readFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { PolicyLibrary } from '../../bot/policy/policyLibrary';
import { loadItems } from './evalHarness';

const SHARED = path.resolve(__dirname, '../../../shared');
const REFERENCE = path.join(SHARED, 'policies');
const EXAMPLE = path.resolve(__dirname, '../../bot/policy/example');
const MIN_REJECTED = 0.9;
const MAX_P50_MS = 3;

// School questions that no online-safety or acceptable-use policy answers: facilities, calendar, HR, events.
// Several share a word with the policies ("term", "work", "lost", "park", "pay") to make the test honest.
const OFF_TOPIC_SET = JSON.parse(readFileSync(path.resolve(__dirname, '../eval/off-topic.json'), 'utf8')) as { formal: string[]; informal: string[] };
const OFF_TOPIC = [...OFF_TOPIC_SET.formal, ...OFF_TOPIC_SET.informal];

function rejectionRate(library: PolicyLibrary): { rate: number; answered: string[] } {
  const answered = OFF_TOPIC.filter((q) => library.answer(q).found);
  return { rate: 1 - answered.length / OFF_TOPIC.length, answered };
}

/** One library per policy file, as the evaluation harness and a one-policy school would have it. */
async function singlePolicyLibraries(): Promise<Map<string, PolicyLibrary>> {
  const libraries = new Map<string, PolicyLibrary>();
  for (const file of await fs.readdir(REFERENCE)) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lantern-offtopic-'));
    await fs.copyFile(path.join(REFERENCE, file), path.join(dir, file));
    libraries.set(file, await PolicyLibrary.fromDirectory(dir));
    await fs.rm(dir, { recursive: true, force: true });
  }
  return libraries;
}

describe('policy answers to off-topic questions', () => {
  let reference: PolicyLibrary;
  let example: PolicyLibrary;
  let single: Map<string, PolicyLibrary>;

  before(async () => {
    reference = await PolicyLibrary.fromDirectory(REFERENCE);
    example = await PolicyLibrary.fromDirectory(EXAMPLE);
    single = await singlePolicyLibraries();
  });

  it(`says "not found" to at least ${MIN_REJECTED * 100}% of them, whichever policies are loaded`, () => {
    for (const [name, library] of [['five reference policies', reference], ['example set', example], ...single] as const) {
      const { rate, answered } = rejectionRate(library);
      console.log(`    ${name}: ${(rate * 100).toFixed(0)}% rejected${answered.length ? ` (answered: ${answered.join(' | ')})` : ''}`);
      assert.ok(rate >= MIN_REJECTED, `${name}: ${(rate * 100).toFixed(0)}% rejected; answered: ${answered.join(' | ')}`);
    }
  });

  it('offers the online-safety lead instead of an answer', () => {
    const answer = reference.answer('when is half term');
    assert.strictEqual(answer.found, false);
    assert.strictEqual(answer.quote, '');
    assert.deepStrictEqual(answer.seeAlso, []);
  });

  it('still finds every dev-qa question', async () => {
    const items = await loadItems(path.join(SHARED, 'eval/dev-qa.json'));
    const missing = items.filter((item) => !(single.get(item.policy) as PolicyLibrary).answer(item.q).found).map((item) => item.q);
    assert.deepStrictEqual(missing, []);
  });

  it(`answers in at most ${MAX_P50_MS} ms (median) with the five reference policies loaded together`, async () => {
    const questions = [...(await loadItems(path.join(SHARED, 'eval/dev-qa.json'))).map((i) => i.q), ...OFF_TOPIC];
    for (const q of questions) reference.answer(q);
    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const q of questions) {
        const started = performance.now();
        reference.answer(q);
        times.push(performance.now() - started);
      }
    }
    times.sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length / 2)];
    console.log(`    answer() p50 ${p50.toFixed(2)} ms, p90 ${times[Math.floor(times.length * 0.9)].toFixed(2)} ms`);
    assert.ok(p50 <= MAX_P50_MS, `p50 ${p50.toFixed(2)} ms`);
  });
});
