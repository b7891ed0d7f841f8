import assert from 'node:assert/strict';
import { ConflictError } from '../../bot/storage/errors';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { CLAIMS, CLAIMS_KEPT, TableStateStorage } from '../../bot/storage/tableStateStorage';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

/** Two instances are two TableStateStorage objects on one table, each with its own cache. */
describe('redelivery claims in the user turn-state row', () => {
  let tables: TableProvisioner;
  let t: number;
  const now = () => new Date(t);
  const USER = 'msteams/28:bot/users/29:a';
  beforeEach(async () => {
    const azurite = await sharedAzurite();
    tables = new TableProvisioner(endpointFromConnectionString(azurite.connectionString, 'test', uniquePrefix()));
    t = Date.parse('2026-11-20T09:00:00Z');
  });

  it('claims an activity once, on this instance and on another; a release lets a retry through on either', async () => {
    const a = new TableStateStorage(tables, 'turnstate', now);
    const b = new TableStateStorage(tables, 'turnstate', now);
    assert.equal((await a.claim(USER, 'conv', 'act-1')).claimed, true);
    assert.equal((await a.claim(USER, 'conv', 'act-1')).claimed, false, 'redelivered to the same instance');
    assert.equal((await b.claim(USER, 'conv', 'act-1')).claimed, false, 'redelivered to another instance');
    assert.equal((await b.claim(USER, 'conv-2', 'act-1')).claimed, true, 'the same id in another conversation is another activity');
    await b.release(USER, 'conv', 'act-1');
    // a's cache still shows the claim: it must read again rather than call the retry a duplicate.
    assert.equal((await a.claim(USER, 'conv', 'act-1')).claimed, true);
  });

  it('lets exactly one of two instances claim the same activity at the same time', async () => {
    const a = new TableStateStorage(tables, 'turnstate', now);
    const b = new TableStateStorage(tables, 'turnstate', now);
    await a.claim(USER, 'conv', 'warm-up');
    await b.read([USER]);
    const results = await Promise.all([a.claim(USER, 'conv', 'act-2'), b.claim(USER, 'conv', 'act-2'), a.claim(USER, 'conv', 'act-2')]);
    assert.equal(results.filter((r) => r.claimed).length, 1);
  });

  it("claims twenty of one person's activities at once (a DSL pressing card after card) without a conflict", async () => {
    const a = new TableStateStorage(tables, 'turnstate', now);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => a.claim(USER, 'conv', `press-${i}`)));
    assert.equal(results.filter((r) => r.claimed).length, 20);
    const stored = (await new TableStateStorage(tables).read([USER]))[USER];
    assert.equal(Object.keys(stored[CLAIMS]).length, 20);
  });

  it('hands back the row as stored after the claim, state included, with an eTag that writes', async () => {
    const a = new TableStateStorage(tables, 'turnstate', now);
    await a.write({ [USER]: { lastGroup: '9X' } });
    const { item } = await a.claim(USER, 'conv', 'act-3');
    assert.equal(item.lastGroup, '9X');
    await a.write({ [USER]: { ...item, lastGroup: '10Y' } });
    assert.equal((await new TableStateStorage(tables).read([USER]))[USER].lastGroup, '10Y');
  });

  it('writes state over claims made meanwhile, but not over a different change of the same key made meanwhile', async () => {
    const a = new TableStateStorage(tables, 'turnstate', now);
    const b = new TableStateStorage(tables, 'turnstate', now);
    const first = (await a.claim(USER, 'conv', 'act-4')).item;
    await b.claim(USER, 'conv', 'act-5');
    await a.write({ [USER]: { ...first, lastGroup: '7Z' } });
    const stored = (await b.read([USER]))[USER];
    assert.equal(stored.lastGroup, '7Z');
    assert.equal(Object.keys(stored[CLAIMS]).length, 2, 'both claims kept');
    const second = (await a.claim(USER, 'conv', 'act-6')).item;
    await b.write({ [USER]: { ...(await b.read([USER]))[USER], lastGroup: '8A' } });
    await a.write({ [USER]: { ...second, lastGroup: '7Z' } });
    assert.equal((await b.read([USER]))[USER].lastGroup, '8A', 'a turn that left a key as it read it does not undo a change made meanwhile');
    const third = (await a.claim(USER, 'conv', 'act-7')).item;
    await b.write({ [USER]: { ...(await b.read([USER]))[USER], lastGroup: '9C' } });
    await assert.rejects(a.write({ [USER]: { ...third, lastGroup: '6D' } }), ConflictError, 'two different changes of one key');
  });

  it('two instances handling the same activity both write the same change: neither is refused, and it is stored once', async () => {
    const a = new TableStateStorage(tables, 'turnstate', now);
    const b = new TableStateStorage(tables, 'turnstate', now);
    await a.write({ [USER]: { ...(await a.claim(USER, 'conv', 'warm')).item, lastGroup: '9B' } });
    // Teams delivers one press to both: a claims it, b finds it claimed and replays it.
    const first = (await a.claim(USER, 'conv', 'save-1')).item;
    const second = (await b.claim(USER, 'conv', 'save-1')).item;
    await a.write({ [USER]: { ...first, lastGroup: '11C' } });
    await b.write({ [USER]: { ...second, lastGroup: '11C' } });
    const stored = (await new TableStateStorage(tables).read([USER]))[USER];
    assert.equal(stored.lastGroup, '11C');
    assert.equal(stored._v, 2, 'the second, identical write changed nothing');
  });

  it('two turns of one person that change different things at once both keep their change', async () => {
    const a = new TableStateStorage(tables, 'turnstate', now);
    const b = new TableStateStorage(tables, 'turnstate', now);
    const one = (await a.claim(USER, 'conv', 'press-1')).item;
    const two = (await b.claim(USER, 'conv', 'press-2')).item;
    await b.write({ [USER]: { ...two, 'draft.filter': { site: 'example.org' } } });
    await a.write({ [USER]: { ...one, lastGroup: '7Z' } });
    const stored = (await new TableStateStorage(tables).read([USER]))[USER];
    assert.deepEqual(stored['draft.filter'], { site: 'example.org' });
    assert.equal(stored.lastGroup, '7Z');
    assert.equal(Object.keys(stored[CLAIMS]).length, 2, 'both claims kept');
    // A key one turn removed stays removed when the other left it alone.
    const three = (await a.claim(USER, 'conv', 'press-3')).item;
    const four = (await b.claim(USER, 'conv', 'press-4')).item;
    const { ['draft.filter']: _sent, ...withoutDraft } = three;
    await a.write({ [USER]: withoutDraft });
    await b.write({ [USER]: { ...four, lastGroup: '8A' } });
    const after = (await new TableStateStorage(tables).read([USER]))[USER];
    assert.equal(after['draft.filter'], undefined);
    assert.equal(after.lastGroup, '8A');
  });

  it("holds the row as handed out for a person's latest turns only, so memory grows with people, not turns; a recent stale write still merges", async () => {
    const a = new TableStateStorage(tables, 'turnstate', now);
    const items = [];
    // Most turns never write their state (nothing changed): nothing else lets go of what they were handed.
    for (let i = 0; i < 40; i++) items.push((await a.claim(USER, 'conv', `turn-${i}`)).item);
    assert.ok(a.basesHeld <= 8, `${a.basesHeld} rows held for one person's 40 turns`);
    await a.write({ [USER]: { ...items[36], lastGroup: '10C' } });
    assert.equal((await new TableStateStorage(tables).read([USER]))[USER].lastGroup, '10C', 'a turn among the latest, written after three more, is merged');
  });

  it('forgets claims older than two days, so the row does not grow for ever', async () => {
    const a = new TableStateStorage(tables, 'turnstate', now);
    await a.claim(USER, 'conv', 'old');
    t += 3 * 86_400_000;
    await a.claim(USER, 'conv', 'new');
    const stored = (await new TableStateStorage(tables).read([USER]))[USER];
    assert.equal(Object.keys(stored[CLAIMS]).length, 1);
    assert.equal((await a.claim(USER, 'conv', 'new')).claimed, false, 'recent activity still remembered');
  });

  it(`keeps the latest ${CLAIMS_KEPT} claims of the last two days, newest first, whichever instance’s clock is ahead`, async () => {
    const a = new TableStateStorage(tables, 'turnstate', now);
    const ahead = new TableStateStorage(tables, 'turnstate', () => new Date(t + 3_600_000));
    await a.claim(USER, 'conv', 'stale');
    t += 2 * 86_400_000 + 60_000;
    const count = CLAIMS_KEPT + 6;
    for (let i = 0; i < count; i++) {
      t += 1000;
      // Every tenth claim comes from an instance whose clock is an hour ahead: out of order for the next ones.
      await (i % 10 === 9 ? ahead : a).claim(USER, 'conv', `activity-${i}`);
    }
    const claims = Object.values((await new TableStateStorage(tables).read([USER]))[USER][CLAIMS] as Record<string, number>);
    assert.equal(claims.length, CLAIMS_KEPT);
    assert.deepEqual(claims, [...claims].sort((x, y) => y - x), 'newest first');
    const kept = async (activity: string) => !(await new TableStateStorage(tables, 'turnstate', now).claim(USER, 'conv', activity)).claimed;
    assert.equal(await kept(`activity-${count - 1}`), true);
    assert.equal(await kept('activity-9'), true, 'a claim stamped ahead stays among the latest');
    assert.equal(await kept('activity-1'), false, `the oldest beyond ${CLAIMS_KEPT} went`);
  });

  it(`on one clock, drops the stale claims and those beyond the latest ${CLAIMS_KEPT}, and keeps the rest in order`, async () => {
    const a = new TableStateStorage(tables, 'turnstate', now);
    await a.claim(USER, 'conv', 'stale');
    t += 2 * 86_400_000 + 60_000;
    const count = CLAIMS_KEPT + 6;
    for (let i = 0; i < count; i++) {
      t += 1000;
      await a.claim(USER, 'conv', `activity-${i}`);
      const claims = Object.values((await new TableStateStorage(tables).read([USER]))[USER][CLAIMS] as Record<string, number>);
      assert.equal(claims.length, Math.min(i + 1, CLAIMS_KEPT), `after claim ${i}`);
      assert.deepEqual(claims, [...claims].sort((x, y) => y - x));
    }
    const again = async (activity: string) => !(await new TableStateStorage(tables, 'turnstate', now).claim(USER, 'conv', activity)).claimed;
    assert.equal(await again(`activity-${count - CLAIMS_KEPT}`), true, `the ${CLAIMS_KEPT}th latest is kept`);
    assert.equal(await again(`activity-${count - CLAIMS_KEPT - 1}`), false, `the ${CLAIMS_KEPT + 1}th latest went`);
  });
});
