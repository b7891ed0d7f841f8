import { DocumentTable } from './documentTable';
import type { TableProvisioner } from './tableService';

/**
 * The table where earlier versions claimed each incoming activity with a row of its own. Claims
 * now live in the user's turn-state row (TableStateStorage.claim), which a turn writes anyway;
 * this only clears what those versions left, so an upgraded store does not keep them for ever.
 */
export class Inbox {
  private readonly table: DocumentTable<{ at: string }>;

  constructor(tables: TableProvisioner, private readonly now: () => Date = () => new Date()) {
    this.table = new DocumentTable(tables, 'inbox');
  }

  /** Forgets activities older than `keepMs`. Returns how many went. */
  async sweep(keepMs: number): Promise<number> {
    const old = await this.table.before('at', new Date(this.now().getTime() - keepMs).toISOString());
    for (const row of old) await this.table.delete(row.partitionKey, row.rowKey);
    return old.length;
  }
}
