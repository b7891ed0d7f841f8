import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { DocumentTable } from '../storage/documentTable';
import { RowLease, type LeaseRow } from '../storage/rowLease';
import type { TableProvisioner } from '../storage/tableService';

const TABLE = 'startuplease';

/**
 * The one row that says which instance is moving a single school's rows into its partitions:
 * of instances starting together exactly one moves; a holder killed mid-way lets it lapse and the
 * next instance to start takes it and resumes.
 */
export class MigrationLease {
  readonly holder = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly lease: RowLease;

  constructor(tables: TableProvisioner, now: () => Date = () => new Date(), readonly ms = 60_000) {
    const table = new DocumentTable<LeaseRow>(tables.unscoped(), TABLE);
    this.lease = new RowLease(table, { pk: 'migration', rk: 'lease' }, this.holder, ms, () => now().getTime(), `${os.hostname()} pid ${process.pid}`);
  }

  /** Takes the lease if nobody holds it or its holder let it lapse; else says who holds it. */
  async take(): Promise<{ taken: true } | { taken: false; who: string }> {
    const got = await this.lease.take();
    return got.taken ? got : { taken: false, who: got.held?.who ?? 'another instance' };
  }

  renew(): Promise<boolean> {
    return this.lease.renew();
  }

  release(): Promise<void> {
    return this.lease.release();
  }

  /**
   * Runs `work` with the lease taken, renewing it every third of its length so a long move never
   * lapses under its holder, and releases it after, whatever `work` did. A failed release is only
   * reported: the lease lapses by itself within `ms`.
   */
  async holdWhile<T>(work: () => Promise<T>, releaseFailed: (err: Error) => void = () => undefined): Promise<T> {
    const renewing = setInterval(() => void this.lease.renew().catch(() => undefined), Math.max(1000, this.ms / 3));
    renewing.unref();
    try {
      return await work();
    } finally {
      clearInterval(renewing);
      await this.lease.release().catch(releaseFailed);
    }
  }
}
