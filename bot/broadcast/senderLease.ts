import { DocumentTable } from '../storage/documentTable';
import { RowLease, type LeaseRow } from '../storage/rowLease';
import type { TableProvisioner } from '../storage/tableService';

/**
 * One instance at a time works the broadcast queue, so the pace set for the app is the app's
 * pace, however many instances run. Rows are still claimed one by one with ETags: the lease is
 * about the rate, not about safety. Real time (Date.now), since a lease outlives any test clock.
 */
export class SenderLease {
  private readonly lease: RowLease;

  constructor(tables: TableProvisioner, holder: string, leaseMs: number) {
    this.lease = new RowLease(new DocumentTable<LeaseRow>(tables, 'broadcast'), { pk: '~lease', rk: 'sender' }, holder, leaseMs);
  }

  async acquire(): Promise<boolean> {
    return (await this.lease.take()).taken;
  }

  /** Extends the lease; false when another instance took it over (this one then stops sending). */
  renew(): Promise<boolean> {
    return this.lease.renew();
  }

  /** A failed release is not an error to a stopping sender: the lease lapses by itself. */
  release(): Promise<void> {
    return this.lease.release().catch(() => undefined);
  }
}
