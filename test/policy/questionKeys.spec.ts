import assert from 'node:assert/strict';
import { QuestionLog } from '../../bot/policy/questionLog';
import type { TableProvisioner } from '../../bot/storage/tableService';

// Keys only: no table is touched (the log's writes are tested over HTTP in test/policyChat/redelivery).
describe("a question's key: the message that asked it, so a redelivery finds the first delivery's row", () => {
  const log = new QuestionLog({} as TableProvisioner);
  const now = new Date('2026-12-03T10:00:00.000Z');
  const message = { conversationId: 'a:personal-1', activityId: '1733220000000', sentAt: new Date('2026-12-03T09:59:58.000Z') };

  it('is the same for the same message, whenever it is handled, and shaped as every question id is', () => {
    const first = log.newId(now, message);
    assert.equal(log.newId(new Date(now.getTime() + 90_000), { ...message, sentAt: new Date(message.sentAt) }), first);
    assert.match(first, /^[0-9]{16}-[0-9a-f]{6}$/);
  });

  it('differs for another message, in this conversation or another', () => {
    const first = log.newId(now, message);
    assert.notEqual(log.newId(now, { ...message, activityId: '1733220000001' }), first);
    assert.notEqual(log.newId(now, { ...message, conversationId: 'a:personal-2' }), first);
  });

  it('sorts newest first by when the message was sent', () => {
    const earlier = log.newId(now, { ...message, activityId: 'x', sentAt: new Date(message.sentAt.getTime() - 60_000) });
    assert.ok(log.newId(now, message) < earlier);
  });

  it('falls back to this clock and a random suffix for a message without a time, or one far from this clock', () => {
    for (const from of [{ ...message, sentAt: undefined }, { ...message, sentAt: new Date(now.getTime() - 11 * 60_000) }, undefined]) {
      const a = log.newId(now, from);
      assert.match(a, /^[0-9]{16}-[0-9a-f]{6}$/);
      assert.equal(a.slice(0, 16), log.newId(now).slice(0, 16), "this clock's time");
    }
    assert.notEqual(log.newId(now, { ...message, sentAt: undefined }), log.newId(now, { ...message, sentAt: undefined }));
  });
});
