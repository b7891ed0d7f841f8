import assert from 'node:assert/strict';
import { BatchedWrites, WHILE_BUSY } from '../../bot/storage/batchedWrites';
import { DocumentTable } from '../../bot/storage/documentTable';
import { ConflictError } from '../../bot/storage/errors';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

interface Row {
  n: number;
}

describe('row writes gathered into Table transactions (against Azurite)', () => {
  let table: DocumentTable<Row>;

  beforeEach(async () => {
    const tables = new TableProvisioner(endpointFromConnectionString((await sharedAzurite()).connectionString, 'test', uniquePrefix()));
    table = new DocumentTable<Row>(tables, 'broadcast');
  });

  it('writes the rows of one partition in one request, each with its own new ETag', async () => {
    const a = await table.create('round', 'a', { n: 0 });
    const b = await table.create('round', 'b', { n: 0 });
    const writes = new BatchedWrites(table);
    const [a1, b1] = await Promise.all([writes.write('round', { rk: 'a', value: { n: 1 }, etag: a.etag }), writes.write('round', { rk: 'b', value: { n: 1 }, etag: b.etag })]);
    assert.deepEqual(writes.counts, { requests: 1, rows: 2 });
    assert.deepEqual((await table.get('round', 'a'))?.value, { n: 1 });
    // The ETags handed back are the stored ones: the next write with them succeeds.
    await Promise.all([writes.write('round', { rk: 'a', value: { n: 2 }, etag: a1.etag }), writes.write('round', { rk: 'b', value: { n: 2 }, etag: b1.etag })]);
    assert.deepEqual([(await table.get('round', 'a'))?.value, (await table.get('round', 'b'))?.value], [{ n: 2 }, { n: 2 }]);
  });

  it('fails only the row whose ETag is stale, and writes the others', async () => {
    const a = await table.create('round', 'a', { n: 0 });
    const b = await table.create('round', 'b', { n: 0 });
    await table.replace('round', 'b', { n: 9 }, b.etag); // another instance moved b on
    const writes = new BatchedWrites(table);
    const [ok, stale] = await Promise.allSettled([writes.write('round', { rk: 'a', value: { n: 1 }, etag: a.etag }), writes.write('round', { rk: 'b', value: { n: 1 }, etag: b.etag })]);
    assert.equal(ok.status, 'fulfilled');
    assert.ok(stale.status === 'rejected' && stale.reason instanceof ConflictError);
    assert.deepEqual([(await table.get('round', 'a'))?.value, (await table.get('round', 'b'))?.value], [{ n: 1 }, { n: 9 }]);
    // The transaction, then each row on its own.
    assert.deepEqual(writes.counts, { requests: 3, rows: 4 });
  });

  it('puts a second write of the same row in the next transaction', async () => {
    const writes = new BatchedWrites(table);
    const created = writes.write('round', { rk: 'a', value: { n: 1 } });
    const other = writes.write('round', { rk: 'b', value: { n: 1 } });
    await Promise.all([created, other]);
    const again = await writes.write('round', { rk: 'a', value: { n: 2 }, etag: (await created).etag });
    assert.ok(again.etag);
    assert.deepEqual((await table.get('round', 'a'))?.value, { n: 2 });
  });

  it('with WHILE_BUSY, sends a write at once and gathers the rows that come while it is in flight into the next request', async () => {
    const writes = new BatchedWrites(table, WHILE_BUSY);
    const first = writes.write('q', { rk: 'a', value: { n: 1 } });
    // Written in the same tick as the first, but the first has already gone: these wait for it, then go together.
    const rest = ['b', 'c', 'd'].map((rk) => writes.write('q', { rk, value: { n: 2 } }));
    const stored = await Promise.all([first, ...rest]);
    assert.deepEqual(writes.counts, { requests: 2, rows: 4 });
    assert.deepEqual((await table.list('q')).map((r) => [r.rowKey, r.value.n]), [['a', 1], ['b', 2], ['c', 2], ['d', 2]]);
    assert.ok(stored.every((r) => r.etag));
    // Nothing in flight now: a lone write is a request of its own, and waits for no timer to go.
    await writes.write('q', { rk: 'e', value: { n: 3 } });
    assert.deepEqual(writes.counts, { requests: 3, rows: 5 });
  });

  it('with WHILE_BUSY, a taken row key fails that write only, and the rows gathered with it are written', async () => {
    await table.create('q', 'taken', { n: 0 });
    const writes = new BatchedWrites(table, WHILE_BUSY);
    const first = writes.write('q', { rk: 'a', value: { n: 1 } });
    const [taken, free] = await Promise.allSettled([writes.write('q', { rk: 'taken', value: { n: 1 } }), writes.write('q', { rk: 'b', value: { n: 1 } }), first]);
    assert.ok(taken.status === 'rejected' && taken.reason instanceof ConflictError);
    assert.equal(free.status, 'fulfilled');
    assert.deepEqual((await table.list('q')).map((r) => [r.rowKey, r.value.n]), [['a', 1], ['b', 1], ['taken', 0]]);
  });
});
