import type { PostedMessage } from '../chat/address';
import { DocumentTable, type Stored } from '../storage/documentTable';
import { ConflictError } from '../storage/errors';
import type { TableProvisioner } from '../storage/tableService';
import { BatchedWrites } from '../storage/batchedWrites';

/** A set of messages of one kind (e.g. a round's cards), one per person, worked by the queue. */
export interface Batch {
  id: string;
  kind: string;
  /** What the kind's renderer needs to find its record (e.g. the round id). */
  ref: string;
  createdAt: string;
}

export type DeliveryState = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';

/** One person's message in one batch: the row is what makes it exactly one. */
export interface Delivery {
  batch: string;
  person: string;
  state: DeliveryState;
  attempts: number;
  /** 429s met: they do not use up attempts (see BroadcastWorker). */
  throttles?: number;
  /** Epoch ms when a queued row may be tried, or when a sending row's claim runs out. */
  dueAt: number;
  claimedBy?: string;
  posted?: PostedMessage;
  /** Why the last attempt did not deliver (shown as "not reached" once it gives up). */
  lastError?: string;
  /**
   * Times this row was found mid-attempt after its sender died (claimed, outcome never written)
   * and was sent again: each is the one case where the person may have a second copy.
   */
  uncertain?: number;
  doneAt?: string;
}

const BATCH_PARTITION = '~batch';
const isOpen = (s: DeliveryState) => s === 'queued' || s === 'sending';

/** Index columns: `due` only on rows still to send, so "what is due" is one range query. */
function index(d: Delivery) {
  return { due: isOpen(d.state) ? new Date(d.dueAt).toISOString() : undefined, state: d.state };
}

/**
 * The broadcast queue in Tables: partition = batch, row = person. Creating a row that exists is a
 * conflict, so a person is queued once per batch however often they are added; every state change
 * is an ETag write, so two instances never both claim one row.
 */
export class BroadcastQueue {
  private readonly table: DocumentTable<Delivery>;
  private readonly batches: DocumentTable<Batch>;
  private readonly batchMemo = new Map<string, Batch>();
  /** Claims and outcomes of a batch's rows, a few to a Table transaction. */
  readonly writes: BatchedWrites<Delivery>;

  constructor(tables: TableProvisioner) {
    this.table = new DocumentTable(tables, 'broadcast');
    this.writes = new BatchedWrites(this.table);
    this.batches = new DocumentTable(tables, 'broadcast');
  }

  async createBatch(batch: Batch): Promise<Batch> {
    try {
      await this.batches.create(BATCH_PARTITION, batch.id, batch);
      return batch;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      return (await this.batches.require(BATCH_PARTITION, batch.id)).value;
    }
  }

  async batch(id: string): Promise<Batch | undefined> {
    const memo = this.batchMemo.get(id);
    if (memo) return memo;
    const found = (await this.batches.get(BATCH_PARTITION, id))?.value;
    if (found) this.batchMemo.set(id, found);
    return found;
  }

  /**
   * Queues `people` in `batch`; those already in it are left as they are, except that a row that
   * gave up ("not reached") is queued again when `retryFailed` (they joined a team, so Lantern can
   * now reach them). Returns how many rows were added or re-queued.
   */
  async enqueue(batch: string, people: string[], now: Date, options: { retryFailed?: boolean; onChunk?: () => void } = {}): Promise<number> {
    // One read of the batch instead of a refused insert per person already in it (a top-up at
    // start-up asks for the whole audience again).
    const existing = new Map((await this.table.list(batch)).map((r) => [r.rowKey, r]));
    const todo = people.filter((p) => !existing.has(p) || (options.retryFailed && existing.get(p)!.value.state === 'failed'));
    let added = 0;
    const requeue = async (row: Delivery, found: Stored<Delivery>) => {
      if (found.value.state !== 'failed') return;
      await this.table.replace(batch, row.person, row, found.etag, index(row)).then(
        () => (added += 1),
        (e) => {
          if (!(e instanceof ConflictError)) throw e;
        },
      );
    };
    const one = async (person: string) => {
      const row: Delivery = { batch, person, state: 'queued', attempts: 0, dueAt: now.getTime() };
      const known = existing.get(person);
      if (known) return requeue(row, known);
      try {
        await this.table.create(batch, person, row, index(row));
        added += 1;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        if (!options.retryFailed) return;
        const raced = await this.table.get(batch, person);
        if (raced) await requeue(row, raced);
      }
    };
    // New rows a hundred to a transaction (a school's 2,000 in 20 requests); a refused one (someone
    // queued meanwhile by another instance) sends its hundred one by one to find which.
    const fresh = todo.filter((p) => !existing.has(p));
    const inserts = async (chunk: string[]) => {
      const rows = chunk.map((person): Delivery => ({ batch, person, state: 'queued', attempts: 0, dueAt: now.getTime() }));
      try {
        await this.table.transact(batch, rows.map((row) => ({ rk: row.person, value: row, index: index(row) })));
        added += rows.length;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        await Promise.all(chunk.map(one));
      }
    };
    await Promise.all(todo.filter((p) => existing.has(p)).map(one));
    // The first hundred alone, so the sender starts on them while the rest are still being written.
    for (let from = 0; from < fresh.length; ) {
      const to = Math.min(fresh.length, from === 0 ? 100 : from + 400);
      const chunks: string[][] = [];
      for (let j = from; j < to; j += 100) chunks.push(fresh.slice(j, Math.min(j + 100, to)));
      await Promise.all(chunks.map(inserts));
      options.onChunk?.();
      from = to;
    }
    return added;
  }

  /** Rows to send now (queued and due, or claimed by a runner whose lease ran out), soonest first. */
  async due(now: Date, limit: number): Promise<Array<Stored<Delivery>>> {
    const rows = await this.table.before('due', new Date(now.getTime() + 1).toISOString(), limit);
    return rows.filter((r) => isOpen(r.value.state)).sort((a, b) => a.value.dueAt - b.value.dueAt);
  }

  /** When the next open row falls due, if any is left. */
  async nextDue(): Promise<number | undefined> {
    const rows = await this.table.before('due', '9999', 1000);
    const open = rows.filter((r) => isOpen(r.value.state)).map((r) => r.value.dueAt);
    return open.length ? Math.min(...open) : undefined;
  }

  /**
   * Rows another sender claimed and never finished. Only the holder of the sender lease sends, so
   * once this instance holds it their claimer has stopped (died, or lost the lease): whether Teams
   * took the message is unknown.
   */
  async midAttempt(holder: string): Promise<Array<Stored<Delivery>>> {
    return (await this.table.where('state', 'sending')).filter((r) => r.value.claimedBy !== holder);
  }

  /** A row found mid-attempt, queued again now and counted as possibly sent twice. */
  async requeueUncertain(row: Stored<Delivery>, now: number): Promise<boolean> {
    const value: Delivery = { ...row.value, state: 'queued', dueAt: now, claimedBy: undefined, uncertain: (row.value.uncertain ?? 0) + 1, lastError: 'its sender stopped mid-send; sent again' };
    try {
      await this.writes.write(row.partitionKey, { rk: row.rowKey, value, etag: row.etag, index: index(value) });
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }

  /** Takes a row to send it; undefined when another runner got there first or it is done. */
  async claim(row: Stored<Delivery>, instance: string, leaseUntil: number): Promise<Stored<Delivery> | undefined> {
    const fresh = row;
    if (!isOpen(fresh.value.state)) return undefined;
    const claimed: Delivery = { ...fresh.value, state: 'sending', attempts: fresh.value.attempts + 1, dueAt: leaseUntil, claimedBy: instance };
    try {
      return await this.writes.write(fresh.partitionKey, { rk: fresh.rowKey, value: claimed, etag: fresh.etag, index: index(claimed) });
    } catch (err) {
      if (err instanceof ConflictError) return undefined;
      throw err;
    }
  }

  async finish(row: Stored<Delivery>, outcome: { state: 'sent'; posted: PostedMessage } | { state: 'failed' | 'skipped'; error: string }, now: Date): Promise<void> {
    const done: Delivery = { ...row.value, state: outcome.state, claimedBy: undefined, doneAt: now.toISOString() };
    if (outcome.state === 'sent') done.posted = outcome.posted;
    else done.lastError = outcome.error;
    await this.write(row, done);
  }

  /** Puts a claimed row back to be tried again at `at`. */
  async retryAt(row: Stored<Delivery>, at: number, error: string, counts: { attempts?: number; throttles?: number } = {}): Promise<void> {
    await this.write(row, { ...row.value, ...counts, state: 'queued', dueAt: at, claimedBy: undefined, lastError: error });
  }

  /** Every row of a batch (its audience and where each stands). */
  async rows(batch: string): Promise<Delivery[]> {
    return (await this.table.list(batch)).map((r) => r.value);
  }

  async row(batch: string, person: string): Promise<Delivery | undefined> {
    return (await this.table.get(batch, person))?.value;
  }

  private async write(row: Stored<Delivery>, value: Delivery): Promise<void> {
    try {
      await this.writes.write(row.partitionKey, { rk: row.rowKey, value, etag: row.etag, index: index(value) });
    } catch (err) {
      // Our claim was taken over after its lease ran out: the other runner's outcome stands.
      if (!(err instanceof ConflictError)) throw err;
    }
  }
}
