import { DocumentTable } from './documentTable';
import { ConflictError } from './errors';
import type { TableProvisioner } from './tableService';

/**
 * Remembers which incoming activities were handled. Teams re-sends a delivery it believes failed;
 * claiming the activity id first means a retry cannot create a second report, request or log.
 */
export class Inbox {
  private readonly table: DocumentTable<{ at: string }>;
  /**
   * Claims this process could not release because storage was down. Teams' redelivery of such an
   * activity must run again, not be taken for a duplicate. Kept in memory: a release that cannot
   * be written cannot be remembered anywhere else (another instance would see a duplicate).
   */
  private readonly unreleased = new Set<string>();

  constructor(tables: TableProvisioner, private readonly now: () => Date = () => new Date()) {
    this.table = new DocumentTable(tables, 'inbox');
  }

  /** True the first time an activity is seen; false for a redelivery. */
  async claim(conversationId: string, activityId: string): Promise<boolean> {
    try {
      const at = this.now();
      await this.table.create(conversationId, activityId, { at: at.toISOString() }, { at: at.toISOString() });
      return true;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      return this.unreleased.delete(`${conversationId}\u0000${activityId}`);
    }
  }

  /**
   * Forgets activities older than `keepMs`. Teams retries within minutes, so a couple of days is
   * ample; without this the table would grow by every message ever sent. Returns how many went.
   */
  async sweep(keepMs: number): Promise<number> {
    const old = await this.table.before('at', new Date(this.now().getTime() - keepMs).toISOString());
    for (const row of old) await this.table.delete(row.partitionKey, row.rowKey);
    return old.length;
  }

  /** Lets a redelivery through again after the first attempt failed before finishing. */
  async release(conversationId: string, activityId: string): Promise<void> {
    try {
      await this.table.delete(conversationId, activityId);
    } catch (err) {
      this.unreleased.add(`${conversationId}\u0000${activityId}`);
      throw err;
    }
  }
}
