import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { startEmbeddedTables, startTablesWorker } from '../../bot/storage/embeddedAzurite';
import { segmentsIn } from '../../bot/storage/writeJournal';
import { startTablesProcess } from '../support/tablesProcess';

const JOURNAL = '__lantern_table_journal__';
const options = { allowInsecureConnection: true };
const service = (cs: string) => TableServiceClient.fromConnectionString(cs, options);
const table = (cs: string, name: string) => TableClient.fromConnectionString(cs, name, options);

/** Every row as the server returns it: values, ETag and timestamp. */
async function rows(cs: string, name: string): Promise<Record<string, unknown>> {
  const found: Record<string, unknown> = {};
  for await (const e of table(cs, name).listEntities()) found[`${e.partitionKey}/${e.rowKey}`] = e;
  return found;
}

async function tableNames(cs: string): Promise<string[]> {
  const names: string[] = [];
  for await (const t of service(cs).listTables()) names.push(t.name!);
  return names.sort();
}

/** What a restarted store holds: read, then stopped cleanly. */
async function afterRestart<T>(dataDir: string, read: (cs: string) => Promise<T>): Promise<T> {
  const tables = await startEmbeddedTables(dataDir);
  try {
    return await read(tables.connectionString);
  } finally {
    await tables.stop();
  }
}

describe('the embedded table store journals every write (kill -9 loses nothing acknowledged)', function () {
  this.timeout(120_000);

  it('keeps acknowledged rows, their ETags, a $batch, a rolled-back $batch and table creates and deletes', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lantern-journal-'));
    const store = await startTablesProcess(dataDir);
    const cs = store.connectionString;
    await service(cs).createTable('kept');
    await service(cs).createTable('dropped');
    await service(cs).createTable('recreated');
    const kept = table(cs, 'kept');
    const etags: Record<string, string | undefined> = {};
    const a = await kept.createEntity({ partitionKey: 'p', rowKey: 'a', n: 1 });
    etags['p/a'] = (await kept.updateEntity({ partitionKey: 'p', rowKey: 'a', n: 2 }, 'Replace', { etag: a.etag })).etag;
    etags['p/b'] = (await kept.upsertEntity({ partitionKey: 'p', rowKey: 'b', n: 3, keep: 'me' }, 'Merge')).etag;
    await kept.createEntity({ partitionKey: 'p', rowKey: 'gone', n: 0 });
    await kept.deleteEntity('p', 'gone');
    const batch = await kept.submitTransaction([
      ['create', { partitionKey: 'p', rowKey: 't1', n: 10 }],
      ['upsert', { partitionKey: 'p', rowKey: 't2', n: 11 }],
      ['update', { partitionKey: 'p', rowKey: 'b', n: 12 }, 'Merge'],
    ]);
    assert.equal(batch.status, 202);
    // Azurite names the row only in some sub-responses; they come in the order of the operations.
    ['t1', 't2', 'b'].forEach((rowKey, i) => (etags[`p/${rowKey}`] = batch.subResponses[i].etag));
    // A batch whose second operation fails is rolled back whole: t3 must not appear, t1 keeps n 10.
    await assert.rejects(kept.submitTransaction([
      ['create', { partitionKey: 'p', rowKey: 't3', n: 99 }],
      ['create', { partitionKey: 'p', rowKey: 't1', n: 99 }],
    ]));
    await table(cs, 'dropped').createEntity({ partitionKey: 'p', rowKey: 'x' });
    await service(cs).deleteTable('dropped');
    await table(cs, 'recreated').createEntity({ partitionKey: 'p', rowKey: 'old' });
    await service(cs).deleteTable('recreated');
    await service(cs).createTable('recreated');
    await table(cs, 'recreated').createEntity({ partitionKey: 'p', rowKey: 'new' });
    const before = await rows(cs, 'kept');
    await store.kill();

    const journalled = await segmentsIn(dataDir, JOURNAL);
    const files = await readdir(dataDir);
    const [after, recreated, names] = await afterRestart(dataDir, (cs2) => Promise.all([rows(cs2, 'kept'), rows(cs2, 'recreated'), tableNames(cs2)]));
    assert.deepEqual(after, before);
    assert.deepEqual(Object.keys(after).sort(), ['p/a', 'p/b', 'p/t1', 'p/t2']);
    for (const [key, etag] of Object.entries(etags)) assert.equal((after[key] as { etag: string }).etag, etag, key);
    assert.deepEqual([(after['p/a'] as { n: number }).n, (after['p/b'] as { n: number; keep: string }).n, (after['p/b'] as { keep: string }).keep, (after['p/t1'] as { n: number }).n], [2, 12, 'me', 10]);
    assert.deepEqual(Object.keys(recreated), ['p/new']);
    assert.deepEqual(names, ['kept', 'recreated']);
    // The changes were only in the journal: nothing snapshotted them after the store started.
    assert.ok(journalled.length > 0, `a journal segment in ${files.join(', ')}`);
    assert.deepEqual(await segmentsIn(dataDir, JOURNAL), [], 'the start snapshotted what it replayed, and the clean stop left no journal');
  });

  it('loses nothing when snapshots are taken in the middle of the traffic, and ignores a torn last line', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lantern-journal-'));
    // A snapshot whenever the journal outgrows the database: many during this test.
    const store = await startTablesProcess(dataDir, { snapshot: { minJournalBytes: 1 } });
    const cs = store.connectionString;
    await service(cs).createTable('busy');
    const busy = table(cs, 'busy');
    const etags: Record<string, string | undefined> = {};
    let next = 0;
    // The highest journal segment seen while writing: a snapshot that ends after the last write
    // deletes every segment (the next is only opened by a write), so the end alone cannot show it.
    let rotatedTo = 0;
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (next < 300) {
        const n = next++;
        if (n % 25 === 0) rotatedTo = Math.max(rotatedTo, ...(await segmentsIn(dataDir, JOURNAL)).map((s) => s.n));
        const body = 'x'.repeat(500);
        if (n % 10 === 0) {
          const result = await busy.submitTransaction([
            ['upsert', { partitionKey: 'batch', rowKey: `${n}-1`, n, body }],
            ['upsert', { partitionKey: 'batch', rowKey: `${n}-2`, n, body }],
          ]);
          result.subResponses.forEach((sub, i) => (etags[`batch/${n}-${i + 1}`] = sub.etag));
        } else {
          etags[`row/${n % 50}`] = (await busy.upsertEntity({ partitionKey: 'row', rowKey: String(n % 50), n, body }, 'Replace')).etag;
        }
      }
    }));
    const before = await rows(cs, 'busy');
    await store.kill();

    const segments = await segmentsIn(dataDir, JOURNAL);
    if (segments.length > 0) await appendFile(segments.at(-1)!.file, '[{"put":"devstoreaccount1$busy","doc":{"PartitionKey":"row","RowKey":"torn"'); // a write cut short
    const after = await afterRestart(dataDir, (cs2) => rows(cs2, 'busy'));
    assert.deepEqual(after, before);
    assert.equal(Object.keys(after).length, 45 + 60); // rows 0-49 but the tens (those n went to batches), two per batch
    for (const [key, etag] of Object.entries(etags)) assert.equal((after[key] as { etag: string }).etag, etag, key);
    assert.ok(rotatedTo > 2, `snapshots were taken mid-traffic (highest journal segment seen while writing: ${rotatedTo})`);
  });

  it('snapshots on a clean stop, so the next start has no journal to replay', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lantern-journal-'));
    const first = await startTablesWorker(dataDir);
    await service(first.connectionString).createTable('things');
    const { etag } = await table(first.connectionString, 'things').createEntity({ partitionKey: 'p', rowKey: 'r', n: 7 });
    assert.ok((await segmentsIn(dataDir, JOURNAL)).length > 0, 'journalled while running');
    await first.stop();
    assert.deepEqual(await segmentsIn(dataDir, JOURNAL), []);
    const found = await afterRestart(dataDir, (cs) => table(cs, 'things').getEntity('p', 'r'));
    assert.deepEqual([found.n, found.etag], [7, etag]);
  });
});
