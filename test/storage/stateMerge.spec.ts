import assert from 'node:assert/strict';
import { mergeState } from '../../bot/storage/stateMerge';

describe('mergeState: one person\'s turn state written by two turns at once', () => {
  const base = { lastGroup: '9B', draft: { site: 'a.example' }, _v: 3 };

  it('takes the stored value of every key the turn left alone', () => {
    assert.deepEqual(mergeState(base, { ...base }, { ...base, lastGroup: '10A', _v: 4 }, ['_v']), { lastGroup: '10A', draft: { site: 'a.example' } });
  });

  it('writes a key the turn changed when the other turn left it alone or made the same change', () => {
    assert.deepEqual(mergeState(base, { ...base, lastGroup: '11C' }, { ...base, _v: 4 }, ['_v']), { lastGroup: '11C', draft: { site: 'a.example' } });
    assert.deepEqual(mergeState(base, { ...base, draft: { site: 'b.example' } }, { ...base, draft: { site: 'b.example' } }), { lastGroup: '9B', draft: { site: 'b.example' }, _v: 3 });
  });

  it('removes a key the turn removed, and keeps one the other turn added', () => {
    const { draft: _gone, ...mine } = base;
    assert.deepEqual(mergeState(base, mine, { ...base, pending: 'x' }, ['_v']), { lastGroup: '9B', pending: 'x' });
  });

  it('refuses when both turns changed one key differently, or one changed it and the other removed it', () => {
    assert.equal(mergeState(base, { ...base, lastGroup: '11C' }, { ...base, lastGroup: '10A' }), undefined);
    const { draft: _gone, ...theirs } = base;
    assert.equal(mergeState(base, { ...base, draft: { site: 'c.example' } }, theirs), undefined);
  });

  it('compares values by content, not by identity', () => {
    assert.deepEqual(mergeState(base, { ...base, draft: { site: 'a.example' } }, { ...base, lastGroup: '7Z' }), { lastGroup: '7Z', draft: { site: 'a.example' }, _v: 3 });
  });
});
