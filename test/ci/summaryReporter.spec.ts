import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT, runNode } from './childProcess';

const MOCHA = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'reporter', 'hiddenByHook.fixture.ts');

describe('the test summary line', function () {
  // A child Node process that loads TypeScript through tsx: slow on a busy machine, as in test/core/process.e2e.
  this.timeout(90_000);

  it('counts tests hidden by a failed before hook as failed, so the numbers add up to the tests defined', async () => {
    const run = await runNode([MOCHA, '--config', path.join(ROOT, '.mocharc.json'), FIXTURE]);
    const line = run.stdout.split('\n').find((l) => l.startsWith('tests: '));
    // Five tests defined: 1 passes, 1 fails, 1 is skipped, 2 never run behind the hook.
    assert.equal(line, 'tests: 1 passed, 3 failed, 1 skipped (2 did not run: a hook failed)');
    assert.notEqual(run.code, 0, 'the run fails');
  });
});
