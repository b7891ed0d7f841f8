import { DocumentTable } from './documentTable';
import { ConflictError, NotFoundError } from './errors';

/** Who holds a lease and until when (ms since the epoch; 0 once released). */
export interface LeaseRow {
  holder: string;
  until: number;
  /** The holder in words, for the log of an instance that has to wait ("host pid 1234"). */
  who?: string;
}

export type Taken = { taken: true } | { taken: false; held?: LeaseRow };

/**
 * One row that says which instance may do something only one should do at a time. Taken with a
 * create, or a replace under the ETag read when the row is free, lapsed or already this holder's,
 * so of instances racing for it exactly one wins; renewed under the ETag it last wrote, so a
 * holder that lost it finds out; a holder that dies simply stops renewing and the lease lapses.
 */
export class RowLease {
  private etag?: string;

  constructor(
    private readonly table: DocumentTable<LeaseRow>,
    private readonly key: { pk: string; rk: string },
    readonly holder: string,
    readonly ms: number,
    private readonly now: () => number = Date.now,
    private readonly who?: string,
  ) {}

  async take(): Promise<Taken> {
    const { pk, rk } = this.key;
    const current = await this.table.get(pk, rk);
    try {
      if (!current) this.etag = (await this.table.create(pk, rk, this.row())).etag;
      else if (current.value.holder === this.holder || current.value.until < this.now()) this.etag = (await this.table.replace(pk, rk, this.row(), current.etag)).etag;
      else return { taken: false, held: current.value };
      return { taken: true };
    } catch (err) {
      if (err instanceof ConflictError) return { taken: false };
      throw err;
    }
  }

  /** Pushes the lapse time on; false when another instance took the lease meanwhile. */
  async renew(): Promise<boolean> {
    if (!this.etag) return false;
    try {
      this.etag = (await this.table.replace(this.key.pk, this.key.rk, this.row(), this.etag)).etag;
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }

  /** Lets the next instance in at once rather than when the lease would lapse. */
  async release(): Promise<void> {
    if (!this.etag) return;
    const etag = this.etag;
    this.etag = undefined;
    await this.table.replace(this.key.pk, this.key.rk, { holder: this.holder, until: 0 }, etag).catch((err) => {
      // Taken over or gone already: nothing of ours left to release.
      if (!(err instanceof ConflictError || err instanceof NotFoundError)) throw err;
    });
  }

  private row(): LeaseRow {
    return { holder: this.holder, until: this.now() + this.ms, ...(this.who ? { who: this.who } : {}) };
  }
}
