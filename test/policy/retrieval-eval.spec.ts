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
});
