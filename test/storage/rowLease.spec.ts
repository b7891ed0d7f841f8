import assert from 'node:assert/strict';
import { DocumentTable } from '../../bot/storage/documentTable';
import { RowLease, type LeaseRow } from '../../bot/storage/rowLease';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

const KEY = { pk: 'job', rk: 'lease' };

describe('a lease held in one table row (against Azurite)', () => {
  let table: DocumentTable<LeaseRow>;
  let clock: number;
  const lease = (holder: string, ms = 10_000) => new RowLease(table, KEY, holder, ms, () => clock, `${holder} in words`);

  beforeEach(async () => {
    const tables = new TableProvisioner(endpointFromConnectionString((await sharedAzurite()).connectionString, 'test', uniquePrefix()));
    table = new DocumentTable<LeaseRow>(tables, 'leases');
    clock = Date.parse('2026-12-02T10:00:00Z');
  });

  it('of instances racing for a free lease, exactly one takes it, and the others are told who holds it', async () => {
    const racers = ['a', 'b', 'c', 'd', 'e'].map((h) => lease(h));
    const got = await Promise.all(racers.map((r) => r.take()));
    assert.equal(got.filter((g) => g.taken).length, 1);
    const winner = racers[got.findIndex((g) => g.taken)].holder;
    assert.equal((await table.get(KEY.pk, KEY.rk))?.value.holder, winner);
    const later = await lease('f').take();
    assert.deepEqual(later, { taken: false, held: { holder: winner, until: clock + 10_000, who: `${winner} in words` } });
  });

  it('a lapsed lease goes to the next instance, and the old holder learns at its renewal that it lost it', async () => {
    const first = lease('a');
    assert.ok((await first.take()).taken);
    clock += 5_000;
    assert.equal((await lease('b').take()).taken, false, 'still held');
    clock += 6_000;
    const second = lease('b');
    assert.ok((await second.take()).taken, 'lapsed, so taken');
    assert.equal(await first.renew(), false);
    assert.equal(await second.renew(), true);
  });

  it('a renewal pushes the lapse time on; a release lets the next instance in at once', async () => {
    const first = lease('a');
    await first.take();
    clock += 8_000;
    assert.ok(await first.renew());
    clock += 8_000;
    assert.equal((await lease('b').take()).taken, false, 'renewed 8 s ago, so still held');
    await first.release();
    assert.equal((await table.get(KEY.pk, KEY.rk))?.value.until, 0);
    assert.ok((await lease('b').take()).taken);
    await first.release(); // released already: nothing to do, no error
  });

  it('the holder taking it again keeps it (a restarted kick of the same instance)', async () => {
    const first = lease('a');
    await first.take();
    assert.ok((await first.take()).taken);
    assert.equal((await lease('b').take()).taken, false);
  });
});
