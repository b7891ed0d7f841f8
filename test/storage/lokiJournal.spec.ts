import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LokiJournal, type BatchingStore, type LokiDb } from '../../bot/storage/lokiJournal';
import { segmentsIn } from '../../bot/storage/writeJournal';

// Azurite's own database library (a dependency of azurite), so these are its real collections and events.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Loki = require('lokijs') as new (file: string, options: object) => LokiDb & { loadJSON(json: string): void };

const JOURNAL = '__lantern_table_journal__';
const TABLE = 'devstoreaccount1$things';
const noBatches = (): BatchingStore => ({ beginBatchTransaction: async () => undefined, endBatchTransaction: async () => undefined });
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 20));

async function fresh(): Promise<{ dir: string; dbPath: string; db: LokiDb & { loadJSON(json: string): void } }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-loki-'));
  const dbPath = path.join(dir, 'db.json');
  const db = new Loki(dbPath, { persistenceMethod: 'memory' });
  db.addCollection(TABLE, { indices: ['PartitionKey', 'RowKey'] });
  await writeFile(dbPath, db.serialize());
  return { dir, dbPath, db };
}

/** What a start after kill -9 sees: the last snapshot, loaded, with the journal replayed over it. */
async function restart(dir: string, dbPath: string): Promise<LokiDb> {
  const db = new Loki(dbPath, { persistenceMethod: 'memory' });
  db.loadJSON(await readFile(dbPath, 'utf8'));
  await LokiJournal.attach(db, noBatches(), dbPath, dir);
  return db;
}

const rows = (db: LokiDb, name = TABLE) =>
  (db.getCollection(name)?.data ?? []).map(({ $loki: _id, meta: _meta, ...doc }) => doc).sort((a, b) => String(a.RowKey).localeCompare(String(b.RowKey)));

describe('the LokiJS journal adapter', () => {
  it('replays inserts, updates (remove then insert), merges, deletes and collection drops over the snapshot', async () => {
    const { dir, dbPath, db } = await fresh();
    const journal = await LokiJournal.attach(db, noBatches(), dbPath, dir);
    const things = db.getCollection(TABLE)!;
    things.insert({ PartitionKey: 'p', RowKey: 'a', eTag: 'e1', properties: { n: 1 } });
    things.insert({ PartitionKey: 'p', RowKey: 'b', eTag: 'e2', properties: { n: 2 } });
    things.remove(things.data.find((d) => d.RowKey === 'a')!);
    things.insert({ PartitionKey: 'p', RowKey: 'a', eTag: 'e3', properties: { n: 3 } });
    const b = things.data.find((d) => d.RowKey === 'b')!;
    (db.getCollection(TABLE) as unknown as { update(doc: object): void }).update({ ...b, eTag: 'e4', properties: { n: 4 } });
    things.insert({ PartitionKey: 'p', RowKey: 'c', eTag: 'e5' });
    things.remove(things.data.find((d) => d.RowKey === 'c')!);
    db.addCollection('devstoreaccount1$gone', { indices: ['PartitionKey', 'RowKey'] }).insert({ PartitionKey: 'p', RowKey: 'x' });
    db.removeCollection('devstoreaccount1$gone');
    await journal.durable();

    const after = await restart(dir, dbPath);
    assert.deepEqual(rows(after), [
      { PartitionKey: 'p', RowKey: 'a', eTag: 'e3', properties: { n: 3 } },
      { PartitionKey: 'p', RowKey: 'b', eTag: 'e4', properties: { n: 4 } },
    ]);
    assert.equal(after.getCollection('devstoreaccount1$gone'), null);
  });

  it('writes nothing of a batch transaction until it ends, then all of it in one line', async () => {
    const { dir, dbPath, db } = await fresh();
    const store = noBatches();
    const journal = await LokiJournal.attach(db, store, dbPath, dir);
    const things = db.getCollection(TABLE)!;
    await store.beginBatchTransaction('batch-1');
    things.insert({ PartitionKey: 'p', RowKey: '1' });
    await nextTurn(); // the batch's operations are awaited one by one: time for a write to start
    things.insert({ PartitionKey: 'p', RowKey: '2' });
    const durable = journal.durable();
    await nextTurn();
    assert.deepEqual(await segmentsIn(dir, JOURNAL), [], 'nothing written mid-batch');
    await store.endBatchTransaction('devstoreaccount1', 'things', 'batch-1', {}, true);
    await durable;
    const [segment] = await segmentsIn(dir, JOURNAL);
    const lines = (await readFile(segment.file, 'utf8')).trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0]).map((c: { doc: { RowKey: string } }) => c.doc.RowKey), ['1', '2']);
  });

  it('takes a snapshot once the journal outgrows the database, and the journal before it is deleted', async () => {
    const { dir, dbPath, db } = await fresh();
    const journal = await LokiJournal.attach(db, noBatches(), dbPath, dir, { minJournalBytes: 1 });
    const things = db.getCollection(TABLE)!;
    for (let n = 0; n < 50; n++) {
      things.insert({ PartitionKey: 'p', RowKey: String(n).padStart(2, '0'), body: 'x'.repeat(200) });
      await journal.durable();
      await nextTurn();
    }
    const segments = await segmentsIn(dir, JOURNAL);
    assert.ok(segments[0].n > 1, `rotated (oldest segment left is ${segments[0].n})`);
    const after = await restart(dir, dbPath);
    assert.equal(rows(after).length, 50);
  });
});
