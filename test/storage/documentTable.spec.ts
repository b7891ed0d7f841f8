import assert from 'node:assert/strict';
import { DocumentTable } from '../../bot/storage/documentTable';
import { ConflictError, NotFoundError } from '../../bot/storage/errors';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

interface Case {
  status: string;
  notes: string[];
}

describe('DocumentTable on Azurite', () => {
  let table: DocumentTable<Case>;
  before(async () => {
    const azurite = await sharedAzurite();
    table = new DocumentTable<Case>(new TableProvisioner(endpointFromConnectionString(azurite.connectionString, 'test', uniquePrefix())), 'cases');
  });

  it('creates, reads and replaces with the ETag it read', async () => {
    const created = await table.create('Senior', 'C-1', { status: 'new', notes: [] });
    const read = await table.require('Senior', 'C-1');
    assert.deepEqual(read.value, { status: 'new', notes: [] });
    assert.equal(read.etag, created.etag);
    const updated = await table.replace('Senior', 'C-1', { status: 'acknowledged', notes: [] }, read.etag);
    assert.notEqual(updated.etag, read.etag);
    assert.equal((await table.require('Senior', 'C-1')).value.status, 'acknowledged');
  });

  it('turns a stale ETag into a typed ConflictError and keeps the newer write', async () => {
    await table.create('Senior', 'C-2', { status: 'new', notes: [] });
    const first = await table.require('Senior', 'C-2');
    const second = await table.require('Senior', 'C-2');
    await table.replace('Senior', 'C-2', { status: 'claimed by A', notes: [] }, first.etag);
    await assert.rejects(table.replace('Senior', 'C-2', { status: 'claimed by B', notes: [] }, second.etag), ConflictError);
    assert.equal((await table.require('Senior', 'C-2')).value.status, 'claimed by A');
  });

  it('refuses to create a record twice', async () => {
    await table.create('Senior', 'C-3', { status: 'new', notes: [] });
    await assert.rejects(table.create('Senior', 'C-3', { status: 'dup', notes: [] }), ConflictError);
  });

  it('stores keys with forbidden characters and large documents', async () => {
    const big = { status: 'x', notes: Array.from({ length: 200 }, (_, i) => `note ${i} ${'y'.repeat(400)}`) };
    await table.upsert('a/b#c', 'd?e\\f', big);
    const back = await table.require('a/b#c', 'd?e\\f');
    assert.deepEqual(back.value, big);
    assert.equal(back.partitionKey, 'a/b#c');
    assert.equal(back.rowKey, 'd?e\\f');
  });

  it('reports a missing record as NotFound, and lists a partition in key order', async () => {
    await assert.rejects(table.require('Senior', 'nope'), NotFoundError);
    assert.equal(await table.get('Senior', 'nope'), undefined);
    const rows = await table.list('Senior');
    assert.deepEqual(rows.map((r) => r.rowKey), ['C-1', 'C-2', 'C-3']);
    assert.deepEqual((await table.list('Senior', { from: 'C-2' })).map((r) => r.rowKey), ['C-2', 'C-3']);
  });

  it('filters on index columns', async () => {
    await table.upsert('idx', '1', { status: 'open', notes: [] }, { status: 'open' });
    await table.upsert('idx', '2', { status: 'closed', notes: [] }, { status: 'closed' });
    assert.deepEqual((await table.where('status', 'closed')).map((r) => r.rowKey), ['2']);
  });
});
