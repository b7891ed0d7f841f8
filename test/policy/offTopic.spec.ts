import assert from 'assert';
import { promises as fs } from 'fs';
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
const OFF_TOPIC = [
  'where do I park my bike',
  "what's for lunch today",
  'when is half term',
  'can the choir sing at the christmas market',
  'who won the football',
  'how do I claim mileage',
  'what time does school finish on fridays',
  'who is covering my year 9 class',
  'can I wear jeans on non-uniform day',
  'when is the next inset day',
  'how do I book the minibus',
  'where is the staff room kettle',
  'what is the dress code for parents evening',
  'how many days of annual leave do support staff get',
  'who runs the chess club',
  'is the swimming pool open after school',
  'how do I order new whiteboard pens',
  'when are year 11 mock exams',
  "what's the fire drill assembly point",
  'can I bring my dog to work',
  'how much is a school dinner',
  'who do I ask about my payslip',
  'is there a staff pantomime this year',
  'what hymn are we singing in chapel',
  'where can I get a coffee',
  'what is the pass mark for gcse maths',
  'how do I reserve the sports hall',
  'when is the summer fair',
  'is sports day cancelled if it rains',
  'can I swap my duty with a colleague',
  'what colour is the new school tie',
  'where do lost umbrellas go',
  'how do I get a parking permit',
  'what is the maternity pay policy',
  'when do reports go home to parents',
];

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
