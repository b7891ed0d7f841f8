import type { DocumentTable, Stored, TableWrite } from './documentTable';
import { ConflictError } from './errors';

/**
 * How long a write waits for others of its partition to share its transaction. At 23 cards a
 * second a round's claims and outcomes come about 40 a second, so about two to four rows share a
 * request; short, because a sent card's outcome waits here too, and a crash in that moment leaves
 * its row uncertain (see README, "Exactly once, and what a crash can do").
 */
export const FLUSH_MS = 50;
/**
 * Group commit: a partition's write goes at once when none of its requests is in flight, and the
 * rows that come while one is go together as soon as it answers. A lone write waits for nothing;
 * under load, rows share requests without a timer adding to each turn.
 */
export const WHILE_BUSY = 'while-busy';
const MAX_ROWS = 100;

interface Pending<T> {
  op: TableWrite<T>;
  resolve(stored: Stored<T>): void;
  reject(err: unknown): void;
}

/**
 * Row writes of a table gathered per partition into Table transactions, one request instead of
 * one per row. Each write still gets its own answer: a transaction is all or nothing, so when one
 * of its rows conflicts (an ETag another instance moved on) the rows are written one by one and
 * only that one fails.
 */
export class BatchedWrites<T> {
  private readonly groups = new Map<string, Array<Pending<T>>>();
  private timer?: NodeJS.Timeout;
  /** Partitions with a request in flight (WHILE_BUSY only). */
  private readonly busy = new Set<string>();
  /** Requests sent and rows they carried, for the benchmark and logs. */
  readonly counts = { requests: 0, rows: 0 };

  constructor(
    private readonly table: DocumentTable<T>,
    private readonly flushMs: number | typeof WHILE_BUSY = FLUSH_MS,
  ) {}

  write(pk: string, op: TableWrite<T>): Promise<Stored<T>> {
    return new Promise<Stored<T>>((resolve, reject) => {
      // One transaction may touch a row once: a second write of it goes in the next one.
      if (this.groups.get(pk)?.some((p) => p.op.rk === op.rk)) void this.flush(pk);
      const group = this.groups.get(pk) ?? [];
      this.groups.set(pk, group);
      group.push({ op, resolve, reject });
      if (group.length >= MAX_ROWS) void this.flush(pk);
      else if (this.flushMs === WHILE_BUSY) {
        if (!this.busy.has(pk)) void this.flushWhileBusy(pk);
      } else this.timer ??= setTimeout(() => this.flushAll(), this.flushMs);
    });
  }

  private async flushWhileBusy(pk: string): Promise<void> {
    this.busy.add(pk);
    try {
      await this.flush(pk);
    } finally {
      this.busy.delete(pk);
      if (this.groups.has(pk)) void this.flushWhileBusy(pk);
    }
  }

  private flushAll(): void {
    this.timer = undefined;
    for (const pk of [...this.groups.keys()]) void this.flush(pk);
  }

  private async flush(pk: string): Promise<void> {
    const group = this.groups.get(pk);
    this.groups.delete(pk);
    if (!group?.length) return;
    if (group.length > 1) {
      this.counts.requests += 1;
      this.counts.rows += group.length;
      try {
        const stored = await this.table.transact(
          pk,
          group.map((p) => p.op),
        );
        group.forEach((p, i) => p.resolve(stored[i]));
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) return void group.forEach((p) => p.reject(err));
      }
    }
    await Promise.all(
      group.map(async (p) => {
        this.counts.requests += 1;
        this.counts.rows += 1;
        try {
          p.resolve(p.op.etag === undefined ? await this.table.create(pk, p.op.rk, p.op.value, p.op.index) : await this.table.replace(pk, p.op.rk, p.op.value, p.op.etag, p.op.index));
        } catch (err) {
          p.reject(err);
        }
      }),
    );
  }
}
