import assert from 'node:assert/strict';
import { StorageUnavailableError, isTransient } from '../../bot/storage/errors';
import { withRetry } from '../../bot/storage/retry';

const fast = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describe('withRetry', () => {
  it('retries transient failures and returns the eventual result', async () => {
    let calls = 0;
    const result = await withRetry(async () => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('busy'), { statusCode: 503 });
      return 'ok';
    }, 'test', fast);
    assert.equal(result, 'ok');
    assert.equal(calls, 3);
  });

  it('does not retry a conflict or a not-found: those are answers, not faults', async () => {
    for (const statusCode of [404, 409, 412, 400]) {
      let calls = 0;
      await assert.rejects(
        withRetry(async () => {
          calls += 1;
          throw Object.assign(new Error('no'), { statusCode });
        }, 'test', fast),
        (err: Error & { statusCode?: number }) => err.statusCode === statusCode,
      );
      assert.equal(calls, 1, `status ${statusCode} was retried`);
    }
  });

  it('gives up with StorageUnavailableError after the last attempt', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(async () => {
        calls += 1;
        throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
      }, 'read things', fast),
      (err: unknown) => err instanceof StorageUnavailableError && /read things/.test((err as Error).message),
    );
    assert.equal(calls, 3);
  });

  it('classifies errors', () => {
    assert.equal(isTransient({ statusCode: 429 }), true);
    assert.equal(isTransient({ statusCode: 500 }), true);
    assert.equal(isTransient({ statusCode: 412 }), false);
    assert.equal(isTransient({ code: 'ETIMEDOUT' }), true);
    assert.equal(isTransient(new Error('plain')), false);
  });
});
