import assert from 'assert';
import path from 'path';
import { evaluate, loadItems } from './evalHarness';

// The project's own question set on the example policies. The sets about real schools' policies
// (dev-qa, qa-own, qa-blind*) run in `npm run eval:reference -- <dir>`, which holds their floors.
const EXAMPLE_SET = { file: path.resolve(__dirname, '../eval/qa-example.json'), policies: path.resolve(__dirname, '../../bot/policy/example') };
const MIN_HIT_RATE = 0.9;

describe('policy retrieval evaluation', () => {
  it(`hits at least ${MIN_HIT_RATE * 100}% on qa-example.json`, async () => {
    const report = await evaluate(await loadItems(EXAMPLE_SET.file), EXAMPLE_SET.policies);
    const misses = report.outcomes.filter((o) => !o.hit).map((o) => `miss: [${o.item.policy}] ${o.item.q}`);
    assert.ok(report.total >= 20, `${report.total} questions`);
    assert.ok(report.rate >= MIN_HIT_RATE, `qa-example.json: ${(report.rate * 100).toFixed(1)}%\n${misses.join('\n')}`);
  });
});
