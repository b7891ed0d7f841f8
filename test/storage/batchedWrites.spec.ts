import assert from 'node:assert/strict';
import { BatchedWrites } from '../../bot/storage/batchedWrites';
import { DocumentTable } from '../../bot/storage/documentTable';
import { ConflictError } from '../../bot/storage/errors';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

interface Row {
  n: number;
}

describe('broadcast row writes in Table transactions (against Azurite)', () => {
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
});
