import assert from 'node:assert/strict';
import type { Address } from '../../bot/chat/address';
import { PeopleDirectory, type DirectoryEntry } from '../../bot/routing/peopleDirectory';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { FaultProxy } from '../support/faultProxy';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

const AAD = '00000000-0000-4000-8000-0000000000aa';
const entry = (over: Partial<DirectoryEntry> = {}): DirectoryEntry => ({
  aadObjectId: AAD,
  teamsUserId: '29:pat',
  name: 'Pat Jones',
  email: 'pat@hollinspark.example.org',
  serviceUrl: 'https://smba.example/uk/',
  teamIds: ['19:staff'],
  updatedAt: new Date().toISOString(),
  ...over,
});
const chat = (id: string): Address => ({ serviceUrl: 'https://smba.example/uk/', conversationId: id, conversationType: 'personal', botId: 'lantern', botName: 'Lantern' });

/**
 * The directory's bookkeeping during a broadcast, on Azurite: what it writes, how few requests
 * that takes, and that nothing another instance wrote meanwhile is lost.
 */
describe('the people directory during a broadcast (Azurite, counted through a proxy)', () => {
  let proxy: FaultProxy;
  /** Two instances' directories on the same tables. */
  let one: PeopleDirectory;
  let other: PeopleDirectory;
  /** What is stored now (no memory of its own). */
  let stored: PeopleDirectory;
  beforeEach(async () => {
    proxy = await new FaultProxy().start((await sharedAzurite()).connectionString);
    const prefix = uniquePrefix();
    one = new PeopleDirectory(new TableProvisioner(endpointFromConnectionString(proxy.connectionString, 'one', prefix)));
    other = new PeopleDirectory(new TableProvisioner(endpointFromConnectionString(proxy.connectionString, 'other', prefix)));
    stored = new PeopleDirectory(new TableProvisioner(endpointFromConnectionString(proxy.connectionString, 'reader', prefix)), 0);
  });
  afterEach(async () => proxy.stop());

  /** Only the directory uses these tables: every request counted is its own (a transaction is POST /$batch). */
  const peopleRequests = () => proxy.seen;

  it('a chat opened is written with the ETag of the entry already read: one request, no second read', async () => {
    await one.put(entry());
    await one.get(AAD);
    proxy.reset();
    await one.rememberChat(AAD, chat('a:1'));
    assert.deepEqual(peopleRequests().map((s) => s.split(' ')[0]), ['PUT'], proxy.seen.join('\n'));
    assert.equal((await stored.get(AAD))?.personal?.conversationId, 'a:1');
  });

  it("a chat opened on one instance after another instance's roster sync changed the entry keeps both", async () => {
    await one.put(entry());
    await one.get(AAD);
    // The other instance's roster sync: the person moved to another team since this one read them.
    await other.put(entry({ teamIds: ['19:prep'] }));
    for (const batched of [false, true]) {
      await one.rememberChat(AAD, chat(`a:${batched}`), { batched });
      const now = await stored.get(AAD);
      assert.deepEqual(now?.teamIds, [batched ? '19:senior' : '19:prep'], `the roster sync's change stands (batched: ${batched})`);
      assert.equal(now?.personal?.conversationId, `a:${batched}`, `the chat is remembered (batched: ${batched})`);
      await other.put({ ...now!, teamIds: ['19:senior'] });
    }
  });

  it("a broadcast's chats opened share one transaction, and its deliveries one read of the refusals", async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const id of ids) await one.put(entry({ aadObjectId: id, email: `p${id.slice(-2)}@hollinspark.example.org` }));
    await one.recordRefusal({ who: { aadObjectId: ids[3] }, reason: '403 BotDisabledByAdmin', by: 'teams', at: new Date(Date.now() - 60_000).toISOString() });
    // Refused after these deliveries: a delivery must not close a refusal newer than itself.
    const deliveredAt = new Date(Date.now() - 30_000).toISOString();
    await one.recordRefusal({ who: { aadObjectId: ids[4] }, reason: '403 later', by: 'teams', at: new Date().toISOString() });
    proxy.reset();
    await Promise.all(ids.flatMap((id, i) => [one.rememberChat(id, chat(`a:${i}`), { batched: true }), one.noteReachedSoon({ aadObjectId: id, email: `p${id.slice(-2)}@hollinspark.example.org` }, deliveredAt)]));
    const kinds = peopleRequests().map((s) => s.split(' ')[0]);
    assert.ok(peopleRequests().length <= 4, `20 deliveries: ${peopleRequests().join('\n')}`);
    assert.ok(kinds.includes('POST'), 'the chats in a transaction');
    for (const [i, id] of ids.entries()) assert.equal((await stored.get(id))?.personal?.conversationId, `a:${i}`);
    assert.equal((await stored.refusalFor({ aadObjectId: ids[3] }))?.reachedAt, deliveredAt, 'the older refusal is history');
    assert.equal((await stored.refusalFor({ aadObjectId: ids[4] }))?.reachedAt, undefined, 'the newer one stands');
  });
});
