import type { Stored } from '../storage/documentTable';
import type { BroadcastQueue, Delivery } from './broadcastQueue';

/** Rows asked for at once: a page of the table service. */
const FETCH = 1000;
/** The next page is asked for while this many are still waiting, so senders never wait for it. */
const LOW_WATER = 100;

const keyOf = (r: Stored<Delivery>) => `${r.partitionKey}\u0000${r.rowKey}`;

/**
 * The due rows of the queue as one stream for many senders: a row is handed out once, the next
 * page is read ahead in the background, and the stream ends when a read finds nothing new (and
 * nobody queued more meanwhile: `queuedMeanwhile`).
 */
export class DueRows {
  private readonly waiting: Array<Stored<Delivery>> = [];
  /** Handed out or waiting: a read that returns them again (not claimed yet) skips them. */
  private readonly held = new Set<string>();
  private reading?: Promise<number>;
  private ended = false;
  /** The last read found nothing new: read again only once the stream runs out. */
  private dry = false;

  constructor(
    private readonly queue: BroadcastQueue,
    private readonly now: () => Date,
    private readonly queuedMeanwhile: () => boolean,
  ) {}

  /** The next row to send, or undefined when none is due. */
  async next(): Promise<Stored<Delivery> | undefined> {
    for (;;) {
      const low = this.waiting.length === 0 || (this.waiting.length <= LOW_WATER && !this.dry);
      if (low && !this.ended) this.reading ??= this.read().finally(() => (this.reading = undefined));
      const row = this.waiting.shift();
      if (row) return row;
      if (this.ended) return undefined;
      await this.reading;
    }
  }

  /** The row's send is over: a later read may return it again (re-queued for a retry). */
  done(row: Stored<Delivery>): void {
    this.held.delete(keyOf(row));
  }

  private async read(): Promise<number> {
    const rows = await this.queue.due(this.now(), FETCH + this.held.size);
    const fresh = rows.filter((r) => !this.held.has(keyOf(r)));
    for (const r of fresh) {
      this.held.add(keyOf(r));
      this.waiting.push(r);
    }
    this.dry = !fresh.length && !this.queuedMeanwhile();
    if (this.dry && !this.waiting.length) this.ended = true;
    return fresh.length;
  }
}
