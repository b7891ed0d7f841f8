import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { own } from '../core/ownLookup';
import { readJournal, segmentsIn, WriteJournal } from './writeJournal';

/**
 * Journals the changes of Azurite's LokiJS table store (3.37's LokiTableMetadataStore), so a write
 * is durable once its change is appended to a file instead of once the whole database is saved.
 *
 * That store mutates only through collection insert/update/remove (which LokiJS announces
 * synchronously with 'insert'/'update'/'delete' events) and db addCollection/removeCollection
 * (which announce nothing, so they are wrapped on the instance). Each change is recorded as the
 * document without LokiJS's own $loki/meta, under its natural key, so replay does not depend on
 * LokiJS's internal ids; the ETag and timestamps live in the document and come back exactly.
 */

interface LokiCollection {
  name: string;
  data: Doc[];
  on(event: 'insert' | 'update' | 'delete', listener: (doc: Doc | Doc[]) => void): void;
  insert(doc: Doc): Doc;
  remove(doc: Doc): void;
}

export interface LokiDb {
  collections: LokiCollection[];
  getCollection(name: string): LokiCollection | null;
  addCollection(name: string, options?: object): LokiCollection;
  removeCollection(name: string): void;
  serialize(): string;
}

/** The store's batch calls: a $batch transaction runs over several awaits between the two. */
export interface BatchingStore {
  beginBatchTransaction(batchId: string): Promise<void>;
  endBatchTransaction(account: string, table: string, batchId: string, ...rest: unknown[]): Promise<void>;
}

type Doc = Record<string, unknown>;
type Change = { put: string; doc: Doc } | { del: string; key: Doc } | { add: string; options?: object } | { drop: string };

// Azurite's own collection names; every other collection holds one table's entities.
const TABLES = '$TABLES_COLLECTION$';
const SERVICES = '$SERVICES_COLLECTION$';
const ENTITY_OPTIONS = { indices: ['PartitionKey', 'RowKey'] };

function keyFields(collection: string): string[] {
  if (collection === TABLES) return ['account', 'table'];
  if (collection === SERVICES) return ['accountName'];
  return ['PartitionKey', 'RowKey'];
}

function keyOf(collection: string, doc: Doc): Doc {
  return Object.fromEntries(keyFields(collection).map((field) => [field, own(doc, field)]));
}

const keyString = (collection: string, doc: Doc) => JSON.stringify(keyFields(collection).map((field) => own(doc, field)));

function withoutLokiFields(doc: Doc): Doc {
  const { $loki: _id, meta: _meta, ...rest } = doc;
  return rest;
}

export interface SnapshotPolicy {
  /** Take a snapshot once the journal has this many bytes and is larger than the last snapshot. */
  minJournalBytes: number;
}

export const DEFAULT_SNAPSHOT_POLICY: SnapshotPolicy = { minJournalBytes: 8 * 1024 * 1024 };

const JOURNAL_PREFIX = '__lantern_table_journal__';
const BATCH_HOLD_MS = 10_000;

export class LokiJournal {
  private openBatches = new Set<string>();
  private snapshotting?: Promise<void>;
  private snapshotBytes = 0;
  // After a failed journal write, the next chance to snapshot takes it whatever the journal's size.
  private snapshotOwed = false;
  private journal!: WriteJournal;

  private constructor(
    private readonly db: LokiDb,
    private readonly dbPath: string,
    private readonly dir: string,
    private readonly policy: SnapshotPolicy,
  ) {}

  /**
   * Replays any journal left in `dir` into the loaded database, then records every later change.
   * Call after the store has loaded its snapshot and before the server takes requests; after a
   * replay it takes a snapshot, which makes the replayed files unnecessary, and deletes them.
   */
  static async attach(db: LokiDb, store: BatchingStore, dbPath: string, dir: string, policy = DEFAULT_SNAPSHOT_POLICY): Promise<LokiJournal> {
    const segments = await segmentsIn(dir, JOURNAL_PREFIX);
    await replay(db, readJournal(segments.map((s) => s.file)));
    const self = new LokiJournal(db, dbPath, dir, policy);
    self.journal = await WriteJournal.open(dir, JOURNAL_PREFIX, (err) => {
      console.error(`[lantern] the table journal could not be written (${err.message}): the writes waiting on it were not acknowledged; taking a snapshot so what is in memory is on disk again`);
      self.snapshotOwed = true;
      self.maybeSnapshot();
    });
    self.hook(store);
    // Azurite has just saved what it loaded; only a replay leaves the file behind the memory.
    if (segments.length > 0) await self.snapshot();
    else self.snapshotBytes = (await stat(dbPath)).size;
    return self;
  }

  /** Settles once every change made so far is on disk (what a write's answer waits for). */
  durable(): Promise<void> {
    return this.journal.durable();
  }

  /** A clean stop: the last snapshot holds everything, so no journal is left to replay. */
  async close(): Promise<void> {
    await this.journal.durable().catch(() => undefined);
    await this.snapshotting;
    await this.snapshot();
    await this.journal.close();
  }

  /**
   * Serializes the database and rotates the journal in one synchronous step, so the snapshot is
   * exactly the state at the cut; then writes it beside the database file and renames it over
   * (a kill -9 mid-write leaves the old snapshot and the journals it needs), and only then deletes
   * the journal it replaces. Never called while a batch is open (maybeSnapshot waits for it to
   * end): the cut would hold half a transaction.
   */
  snapshot(): Promise<void> {
    if (this.snapshotting) return this.snapshotting;
    const json = this.db.serialize();
    const rotated = this.journal.rotate();
    this.snapshotOwed = false;
    this.snapshotting = (async () => {
      const temp = `${this.dbPath}.snapshot`;
      await writeFile(temp, json);
      await rename(temp, this.dbPath);
      this.snapshotBytes = json.length;
      // Every segment up to the cut, including any a failed snapshot left behind; none after it.
      const cut = await rotated;
      for (const segment of await segmentsIn(this.dir, JOURNAL_PREFIX)) if (segment.n <= cut) await rm(segment.file, { force: true });
    })().finally(() => (this.snapshotting = undefined));
    return this.snapshotting;
  }

  private hook(store: BatchingStore): void {
    for (const collection of this.db.collections) this.watch(collection);
    const { db } = this;
    const addCollection = db.addCollection.bind(db);
    const removeCollection = db.removeCollection.bind(db);
    db.addCollection = (name, options) => {
      const existed = db.getCollection(name);
      const collection = addCollection(name, options);
      if (!existed) {
        this.record({ add: name, options });
        this.watch(collection);
      }
      return collection;
    };
    db.removeCollection = (name) => {
      if (db.getCollection(name)) this.record({ drop: name });
      removeCollection(name);
    };
    const begin = store.beginBatchTransaction.bind(store);
    const end = store.endBatchTransaction.bind(store);
    const ended = (batchId: string) => {
      if (!this.openBatches.delete(batchId)) return;
      this.journal.release();
      this.maybeSnapshot();
    };
    store.beginBatchTransaction = async (batchId) => {
      await begin(batchId); // throws on an overlapping transaction: then nothing is held
      this.openBatches.add(batchId);
      this.journal.hold();
      // Azurite always ends what it began, with no I/O in between; should a later version not,
      // every write's answer would wait on this hold for ever. Better a batch split across lines.
      setTimeout(() => {
        if (this.openBatches.has(batchId)) console.error(`[lantern] table batch ${batchId} did not end within ${BATCH_HOLD_MS} ms: its changes are journalled as they are`);
        ended(batchId);
      }, BATCH_HOLD_MS).unref();
    };
    store.endBatchTransaction = async (account, table, batchId, ...rest) => {
      try {
        await end(account, table, batchId, ...rest); // a rollback's changes are recorded too
      } finally {
        ended(batchId);
      }
    };
  }

  private watch(collection: LokiCollection): void {
    const put = (doc: Doc | Doc[]) => {
      for (const one of [doc].flat()) this.record({ put: collection.name, doc: withoutLokiFields(one) });
    };
    collection.on('insert', put);
    collection.on('update', put);
    collection.on('delete', (doc) => {
      for (const one of [doc].flat()) this.record({ del: collection.name, key: keyOf(collection.name, one) });
    });
  }

  private record(change: Change): void {
    this.journal.append(JSON.stringify(change));
    this.maybeSnapshotSoon();
  }

  private scheduled = false;

  // After the current synchronous step, never inside it (an update is a remove then an insert).
  private maybeSnapshotSoon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.maybeSnapshot();
    });
  }

  private maybeSnapshot(): void {
    if (this.snapshotting || this.openBatches.size > 0) return;
    const due = this.snapshotOwed || this.journal.bytes >= Math.max(this.policy.minJournalBytes, this.snapshotBytes);
    if (!due) return;
    this.snapshot().catch((err: Error) => {
      this.snapshotOwed = true;
      console.error(`[lantern] the table snapshot could not be written (${err.message}); the journal keeps every change, and the next snapshot will try again`);
    });
  }
}

/** Applies journalled changes, in order, to the collections; each change assigns state, so order is all that matters. */
async function replay(db: LokiDb, changes: AsyncIterable<unknown>): Promise<void> {
  // Documents by natural key, built for a collection when replay first touches it.
  const byKey = new Map<string, Map<string, Doc>>();
  const indexed = (name: string): { collection: LokiCollection; docs: Map<string, Doc> } => {
    const collection = db.getCollection(name) ?? db.addCollection(name, ENTITY_OPTIONS);
    let docs = byKey.get(name);
    if (!docs) {
      docs = new Map(collection.data.map((doc) => [keyString(name, doc), doc]));
      byKey.set(name, docs);
    }
    return { collection, docs };
  };
  for await (const raw of changes) {
    const change = raw as Change;
    if ('add' in change) {
      if (db.getCollection(change.add)) db.removeCollection(change.add);
      db.addCollection(change.add, change.options);
      byKey.delete(change.add);
    } else if ('drop' in change) {
      db.removeCollection(change.drop);
      byKey.delete(change.drop);
    } else {
      const name = 'put' in change ? change.put : change.del;
      const fields = 'put' in change ? change.doc : change.key;
      const { collection, docs } = indexed(name);
      const key = keyString(name, fields);
      const existing = docs.get(key);
      if (existing) collection.remove(existing);
      docs.delete(key);
      if ('put' in change) docs.set(key, collection.insert(change.doc));
    }
  }
}
