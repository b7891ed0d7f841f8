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

// qa-blind.json was written from the policies before the engine saw it, in the way busy staff type. Its first
// 30 items (6 per policy) were used for tuning; the last 30 were held out and only measured at the end
// (73.3%, 22/30), so its floors are the levels actually reached minus a small margin, not 90%.
const BLIND = path.resolve(__dirname, '../eval/qa-blind.json');
const BLIND_FLOORS = [
  { name: 'qa-blind.json (all 60)', file: BLIND, slice: [0, 60], min: 0.8 },
  { name: 'qa-blind.json (held-out 30)', file: BLIND, slice: [30, 60], min: 0.68 },
  // qa-blind2.json: 40 more questions (8 per reference policy), written from the policies before any engine
  // run. First measured at 19/40 (47.5%); its "not found" misses were then used for tuning (vocabulary and
  // phrasing fixes), bringing it to 29/40, so it is no longer held out and its floor is 29/40 minus a margin.
  { name: 'qa-blind2.json (40, tuned on)', file: path.resolve(__dirname, '../eval/qa-blind2.json'), slice: [0, 40], min: 0.65 },
  // qa-blind3.json: 30 more questions (6 per reference policy) on topics the other sets do not ask about,
  // written before that tuning and only measured before and after it: 13/30 both times. Floor: 11/30.
  { name: 'qa-blind3.json (held-out 30)', file: path.resolve(__dirname, '../eval/qa-blind3.json'), slice: [0, 30], min: 0.36 },
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
    it(`hits at least ${floor.min * 100}% on ${floor.name}`, async () => {
      const items = (await loadItems(floor.file)).slice(floor.slice[0], floor.slice[1]);
      const report = await evaluate(items, path.join(SHARED, 'policies'));
      console.log(`    ${floor.name}: ${report.hits}/${report.total} = ${(report.rate * 100).toFixed(1)}% (mean answer ${report.meanAnswerMs.toFixed(2)} ms)`);
      assert.ok(report.rate >= floor.min, `${floor.name}: ${(report.rate * 100).toFixed(1)}%`);
    });
  }
});
