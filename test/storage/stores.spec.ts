import assert from 'node:assert/strict';
import { AuditLog } from '../../bot/storage/auditLog';
import { DocumentTable } from '../../bot/storage/documentTable';
import { DraftStore } from '../../bot/storage/draftStore';
import { ConflictError } from '../../bot/storage/errors';
import { Inbox } from '../../bot/storage/inbox';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { TableStateStorage } from '../../bot/storage/tableStateStorage';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

describe('stores on Azurite', () => {
  let tables: TableProvisioner;
  before(async () => {
    const azurite = await sharedAzurite();
    tables = new TableProvisioner(endpointFromConnectionString(azurite.connectionString, 'test', uniquePrefix()));
  });

  describe('TableStateStorage (botbuilder Storage for teams-ai turn state)', () => {
    it('reads back what it wrote, with an eTag, and omits missing keys', async () => {
      const storage = new TableStateStorage(tables);
      await storage.write({ 'msteams/bot/conversations/19:a;messageid=1': { count: 1 } });
      const items = await storage.read(['msteams/bot/conversations/19:a;messageid=1', 'missing/key']);
      assert.equal(items['msteams/bot/conversations/19:a;messageid=1'].count, 1);
      assert.ok(items['msteams/bot/conversations/19:a;messageid=1'].eTag);
      assert.equal(items['missing/key'], undefined);
    });

    it('rejects a write with a stale eTag, accepts "*"', async () => {
      const storage = new TableStateStorage(tables);
      await storage.write({ k1: { v: 1 } });
      const stale = (await storage.read(['k1'])).k1;
      await storage.write({ k1: { ...stale, v: 2 } });
      await assert.rejects(storage.write({ k1: { ...stale, v: 3 } }), ConflictError);
      await storage.write({ k1: { v: 4, eTag: '*' } });
      assert.equal((await storage.read(['k1'])).k1.v, 4);
    });

    it('deletes', async () => {
      const storage = new TableStateStorage(tables);
      await storage.write({ gone: { v: 1 } });
      await storage.delete(['gone']);
      assert.deepEqual(await storage.read(['gone']), {});
    });
  });

  describe('AuditLog', () => {
    it('appends events in order and never merges them', async () => {
      let t = Date.parse('2026-11-20T09:00:00Z');
      const audit = new AuditLog(tables, () => new Date((t += 1000)));
      const actor = { id: 'dkhan', name: 'Daniel Khan' };
      await audit.append({ actor, action: 'case.created', entityType: 'case', entityId: 'C-1' });
      await audit.append({ actor, action: 'case.claimed', entityType: 'case', entityId: 'C-1', reason: 'on duty', changes: { status: { from: 'new', to: 'acknowledged' } } });
      await audit.append({ actor, action: 'case.claimed', entityType: 'case', entityId: 'C-1' });
      const history = await audit.history('case', 'C-1');
      assert.deepEqual(history.map((e) => e.action), ['case.created', 'case.claimed', 'case.claimed']);
      assert.equal(history[1].reason, 'on duty');
      assert.deepEqual(history[1].changes, { status: { from: 'new', to: 'acknowledged' } });
      assert.ok(history[0].at < history[1].at);
      assert.equal(typeof (audit as unknown as Record<string, unknown>).update, 'undefined');
    });
  });

  describe('DraftStore', () => {
    it('keeps a half-filled form and detects a concurrent edit', async () => {
      const drafts = new DraftStore(tables);
      const saved = await drafts.save('user-1', 'incident', 'what', { category: 'cyberbullying' });
      const again = await drafts.save('user-1', 'incident', 'who', { category: 'cyberbullying', who: 'pupil' }, saved.etag);
      assert.equal(again.value.startedAt, saved.value.startedAt);
      await assert.rejects(drafts.save('user-1', 'incident', 'when', {}, saved.etag), ConflictError);
      assert.equal((await drafts.get('user-1', 'incident'))?.value.step, 'who');
      await drafts.clear('user-1', 'incident');
      assert.equal(await drafts.get('user-1', 'incident'), undefined);
    });
  });
});

describe('Inbox sweep (rows left by versions that claimed each activity in its own row)', () => {
  it('forgets rows older than the window and keeps recent ones', async () => {
    const azurite = await sharedAzurite();
    const tables = new TableProvisioner(endpointFromConnectionString(azurite.connectionString, 'test', uniquePrefix()));
    const legacy = new DocumentTable<{ at: string }>(tables, 'inbox');
    const row = (conversation: string, activity: string, at: string) => legacy.create(conversation, activity, { at }, { at });
    await row('conv-a', 'old-1', '2026-11-20T09:00:00.000Z');
    await row('conv-b', 'old-2', '2026-11-20T09:00:00.000Z');
    await row('conv-a', 'new-1', '2026-11-23T09:00:00.000Z');
    const inbox = new Inbox(tables, () => new Date('2026-11-23T09:00:00Z'));
    assert.equal(await inbox.sweep(2 * 86_400_000), 2);
    assert.ok(await legacy.get('conv-a', 'new-1'), 'recent row kept');
    assert.equal(await legacy.get('conv-a', 'old-1'), undefined, 'old row forgotten');
  });
});
