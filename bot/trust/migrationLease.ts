import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { DocumentTable } from '../storage/documentTable';
import { ConflictError } from '../storage/errors';
import type { TableProvisioner } from '../storage/tableService';

interface LeaseRow {
  holder: string;
  /** Who, in words, for the log of an instance that has to wait ("host 1234"). */
  who: string;
  until: string;
}

const TABLE = 'startuplease';
const PK = 'migration';
const RK = 'lease';

/**
 * The one row that says which instance is moving a single school's rows into its partitions.
 * Taken with a create (or, once it has lapsed, a replace under its ETag), so of instances starting
 * together exactly one wins; renewed while the move runs; a holder killed mid-way lets it lapse
 * and the next instance to start takes it and resumes.
 */
export class MigrationLease {
  readonly holder = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly table: DocumentTable<LeaseRow>;
  private etag?: string;

  constructor(tables: TableProvisioner, private readonly now: () => Date = () => new Date(), readonly ms = 60_000) {
    this.table = new DocumentTable<LeaseRow>(tables.unscoped(), TABLE);
  }

  /** Takes the lease if nobody holds it or its holder let it lapse; else says who holds it. */
  async take(): Promise<{ taken: true } | { taken: false; who: string }> {
    const row = { holder: this.holder, who: `${os.hostname()} pid ${process.pid}`, until: new Date(this.now().getTime() + this.ms).toISOString() };
    try {
      this.etag = (await this.table.create(PK, RK, row)).etag;
      return { taken: true };
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
    const held = await this.table.get(PK, RK);
    if (!held) return this.take();
    if (held.value.until > this.now().toISOString()) return { taken: false, who: held.value.who };
    try {
      this.etag = (await this.table.replace(PK, RK, row, held.etag)).etag;
      return { taken: true };
    } catch (err) {
      if (err instanceof ConflictError) return { taken: false, who: 'another instance' };
      throw err;
    }
  }

  /** Pushes the lapse time on; false when another instance took the lease meanwhile. */
  async renew(): Promise<boolean> {
    if (!this.etag) return false;
    try {
      this.etag = (await this.table.replace(PK, RK, { holder: this.holder, who: `${os.hostname()} pid ${process.pid}`, until: new Date(this.now().getTime() + this.ms).toISOString() }, this.etag)).etag;
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }

  async release(): Promise<void> {
    if (!this.etag) return;
    await this.table.delete(PK, RK, this.etag).catch((err) => {
      if (!(err instanceof ConflictError)) throw err;
    });
    this.etag = undefined;
  }
}
