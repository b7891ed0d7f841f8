import assert from 'assert';
import path from 'path';
import { PolicyLibrary } from '../../bot/policy/policyLibrary';
import { rejectionRate, singlePolicyLibraries } from './evalHarness';
import { OFF_TOPIC } from './offTopicQuestions';

// The project's own policy sets; `npm run eval:reference` holds the same floor on real schools' policies.
const EXAMPLE = path.resolve(__dirname, '../../bot/policy/example');
const TEST_POLICIES = path.resolve(__dirname, '../fixtures/policies');
const MIN_REJECTED = 0.9;

describe('policy answers to off-topic questions', () => {
  const libraries: Array<[string, PolicyLibrary]> = [];

  before(async () => {
    libraries.push(['example set', await PolicyLibrary.fromDirectory(EXAMPLE)]);
    libraries.push(['four test policies together', await PolicyLibrary.fromDirectory(TEST_POLICIES)]);
    libraries.push(...(await singlePolicyLibraries(TEST_POLICIES)));
  });

  it(`says "not found" to at least ${MIN_REJECTED * 100}% of them, whichever policies are loaded`, () => {
    assert.ok(libraries.length >= 6);
    for (const [name, library] of libraries) {
      const { rate, answered } = rejectionRate(library, OFF_TOPIC);
      assert.ok(rate >= MIN_REJECTED, `${name}: ${(rate * 100).toFixed(0)}% rejected; answered: ${answered.join(' | ')}`);
    }
  });

  it('offers the online-safety lead instead of an answer', () => {
    for (const [name, library] of libraries) {
      const answer = library.answer('when is half term');
      assert.strictEqual(answer.found, false, name);
      assert.strictEqual(answer.quote, '');
      assert.deepStrictEqual(answer.seeAlso, []);
    }
  });

  it('still answers on-topic questions from the same libraries', () => {
    const [, together] = libraries[1];
    const answer = together.answer('can I connect my school laptop to my phone hotspot?');
    assert.ok(answer.found);
    assert.match(answer.citation?.section ?? '', /1\.3 Personal connections or hotspots/);
  });
});
