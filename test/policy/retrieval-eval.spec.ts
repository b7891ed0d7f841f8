import assert from 'assert';
import path from 'path';
import { evaluate, loadItems } from './evalHarness';

const SHARED = path.resolve(__dirname, '../../../shared');
const SETS = [
  { name: 'dev-qa.json', file: path.join(SHARED, 'eval/dev-qa.json'), policies: path.join(SHARED, 'policies') },
  { name: 'qa-own.json', file: path.resolve(__dirname, '../eval/qa-own.json'), policies: path.join(SHARED, 'policies') },
  { name: 'qa-example.json', file: path.resolve(__dirname, '../eval/qa-example.json'), policies: path.resolve(__dirname, '../../bot/policy/example') },
];
const MIN_HIT_RATE = 0.9;

// A hit is the right rule in the first reply: the main quote, one of the "other rules that may apply" snippets, or
// one of the "Do you mean…" choices. `maxWrong` caps the replies that quote a wrong rule as the main answer.
// qa-blind.json was written from the policies before the engine saw it, in the way busy staff type. Its first
// 30 items (6 per policy) were used for tuning; the last 30 were held out and only measured at the end
// (73.3%, 22/30 when first measured), so its floors are the levels actually reached minus a small margin, not 90%.
const BLIND = path.resolve(__dirname, '../eval/qa-blind.json');
const BLIND_FLOORS = [
  { name: 'qa-blind.json (all 60)', file: BLIND, slice: [0, 60], min: 0.85, maxWrong: 6 },
  { name: 'qa-blind.json (held-out 30)', file: BLIND, slice: [30, 60], min: 0.8, maxWrong: 4 },
  // qa-blind2.json: 40 more questions (8 per reference policy), written from the policies before any engine
  // run. First measured at 19/40 (47.5%); its "not found" misses were then used for tuning (vocabulary and
  // phrasing fixes), bringing it to 29/40, and other rules/ask-back to 33/40, so it is no longer held out.
  { name: 'qa-blind2.json (40, tuned on)', file: path.resolve(__dirname, '../eval/qa-blind2.json'), slice: [0, 40], min: 0.78, maxWrong: 7 },
  // qa-blind3.json: 30 more questions (6 per reference policy) on topics the other sets do not ask about: 13/30
  // before and after the vocabulary tuning, 15/30 with other rules and ask-back (it was a tuning set for those).
  { name: 'qa-blind3.json (30)', file: path.resolve(__dirname, '../eval/qa-blind3.json'), slice: [0, 30], min: 0.45, maxWrong: 5 },
  // qa-blind4.json: 50 informal questions (10 per reference policy) written before the other-rules, ask-back,
  // lexicon and saved-answer work and measured only at its end: 27/50 (54%) with 8 wrong before, 31/50 (62%)
  // with 7 wrong after. Below the goal of 75%; the floor holds what was reached.
  { name: 'qa-blind4.json (held-out 50)', file: path.resolve(__dirname, '../eval/qa-blind4.json'), slice: [0, 50], min: 0.58, maxWrong: 8 },
];

describe('policy retrieval evaluation', () => {
  for (const set of SETS) {
    it(`hits at least ${MIN_HIT_RATE * 100}% on ${set.name}`, async () => {
      const report = await evaluate(await loadItems(set.file), set.policies);
      const misses = report.outcomes.filter((o) => !o.hit).map((o) => `  miss: [${o.item.policy}] ${o.item.q}`);
      console.log(`    ${set.name}: ${report.hits}/${report.total} = ${(report.rate * 100).toFixed(1)}% (mean answer ${report.meanAnswerMs.toFixed(2)} ms)`);
      if (misses.length) console.log(misses.join('\n'));
      assert.ok(report.rate >= MIN_HIT_RATE, `${set.name}: ${(report.rate * 100).toFixed(1)}%`);
    });
  }

  for (const floor of BLIND_FLOORS) {
    it(`hits at least ${Math.round(floor.min * 100)}% with at most ${floor.maxWrong} wrong main answers on ${floor.name}`, async () => {
      const items = (await loadItems(floor.file)).slice(floor.slice[0], floor.slice[1]);
      const report = await evaluate(items, path.join(SHARED, 'policies'));
      console.log(`    ${floor.name}: ${report.hits}/${report.total} = ${(report.rate * 100).toFixed(1)}%, ${report.wrongMain} wrong rule(s) as the main answer (mean answer ${report.meanAnswerMs.toFixed(2)} ms)`);
      assert.ok(report.rate >= floor.min, `${floor.name}: ${(report.rate * 100).toFixed(1)}%`);
      assert.ok(report.wrongMain <= floor.maxWrong, `${floor.name}: ${report.wrongMain} wrong rules as the main answer`);
    });
  }
});
