import { DocumentTable } from '../storage/documentTable';
import { ConflictError } from '../storage/errors';
import type { TableProvisioner } from '../storage/tableService';

interface LeaseRow {
  holder: string;
  until: number;
}

/**
 * One instance at a time works the broadcast queue, so the pace set for the app is the app's
 * pace, however many instances run. Rows are still claimed one by one with ETags: the lease is
 * about the rate, not about safety. Real time (Date.now), since a lease outlives any test clock.
 */
export class SenderLease {
  private readonly table: DocumentTable<LeaseRow>;
  private etag?: string;

  constructor(tables: TableProvisioner, private readonly holder: string, private readonly leaseMs: number) {
    this.table = new DocumentTable(tables, 'broadcast');
  }

  async acquire(): Promise<boolean> {
    const now = Date.now();
    const row = { holder: this.holder, until: now + this.leaseMs };
    const current = await this.table.get('~lease', 'sender');
    try {
      if (!current) this.etag = (await this.table.create('~lease', 'sender', row)).etag;
      else if (current.value.holder === this.holder || current.value.until < now) this.etag = (await this.table.replace('~lease', 'sender', row, current.etag)).etag;
      else return false;
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }

  /** Extends the lease; false when another instance took it over (this one then stops sending). */
  async renew(): Promise<boolean> {
    if (!this.etag) return false;
    try {
      this.etag = (await this.table.replace('~lease', 'sender', { holder: this.holder, until: Date.now() + this.leaseMs }, this.etag)).etag;
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }

  async release(): Promise<void> {
    if (!this.etag) return;
    await this.table.replace('~lease', 'sender', { holder: this.holder, until: 0 }, this.etag).catch(() => undefined);
    this.etag = undefined;
  }
}
