import { DocumentTable } from './documentTable';
import { ConflictError } from './errors';
import type { TableProvisioner } from './tableService';

/**
 * Remembers which incoming activities were handled. Teams re-sends a delivery it believes failed;
 * claiming the activity id first means a retry cannot create a second report, request or log.
 */
export class Inbox {
  private readonly table: DocumentTable<{ at: string }>;

  constructor(tables: TableProvisioner, private readonly now: () => Date = () => new Date()) {
    this.table = new DocumentTable(tables, 'inbox');
  }

  /** True the first time an activity is seen; false for a redelivery. */
  async claim(conversationId: string, activityId: string): Promise<boolean> {
    try {
      await this.table.create(conversationId, activityId, { at: this.now().toISOString() });
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }

  /** Lets a redelivery through again after the first attempt failed before finishing. */
  release(conversationId: string, activityId: string): Promise<void> {
    return this.table.delete(conversationId, activityId);
  }
}
