import assert from 'node:assert/strict';
import { decodeKey, encodeKey, reverseTimeKey, timeKey } from '../../bot/storage/keys';

describe('table keys', () => {
  it('escapes every character Azure forbids in keys, reversibly', () => {
    const raw = 'a/b\\c#d?e%f\u0001g';
    const encoded = encodeKey(raw);
    assert.doesNotMatch(encoded, /[\/\\#?\u0000-\u001f]/);
    assert.equal(decodeKey(encoded), raw);
  });

  it('keeps Teams ids readable and distinct', () => {
    assert.equal(encodeKey('19:abc@thread.tacv2;messageid=1'), '19:abc@thread.tacv2;messageid=1');
    assert.notEqual(encodeKey('a/b'), encodeKey('a%2Fb'));
  });

  it('refuses keys over 1 KiB instead of truncating them', () => {
    assert.throws(() => encodeKey('x'.repeat(1100)), RangeError);
  });

  it('orders time keys by time, reverse keys newest first', () => {
    const early = new Date('2026-01-01T00:00:00Z');
    const late = new Date('2026-06-01T00:00:00Z');
    assert.ok(timeKey(early) < timeKey(late));
    assert.ok(reverseTimeKey(late) < reverseTimeKey(early));
  });
});
