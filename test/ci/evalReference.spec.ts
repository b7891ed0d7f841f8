import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runNode } from './childProcess';

const SCRIPT = path.join(ROOT, 'test', 'eval', 'evalReference.ts');

describe('npm run eval:reference', function () {
  // A child Node process that loads TypeScript through tsx: slow on a busy machine, as in test/core/process.e2e.
  this.timeout(90_000);

  it('fails with a usage line when no folder is given', async () => {
    const run = await runNode([SCRIPT]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /needs the folder of reference policies/);
    assert.match(run.stderr, /usage: npm run eval:reference -- <policies-dir>/);
  });

  it('fails when the folder is empty', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'lantern-evalref-'));
    try {
      const run = await runNode([SCRIPT, empty]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /is empty; give it the reference policies/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('fails when the folder does not exist', async () => {
    const run = await runNode([SCRIPT, path.join(os.tmpdir(), 'lantern-no-such-folder')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /is not a folder/);
  });

  it('fails when the folder lacks the policies its question sets ask about', async () => {
    const run = await runNode([SCRIPT, path.join(ROOT, 'test', 'fixtures', 'policies')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /qa-own\.json asks about .*king-alfred-school-aup\.txt.*, not in /);
  });
});
