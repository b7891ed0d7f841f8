import type { Storage, StoreItems } from 'botbuilder';
import { DocumentTable } from './documentTable';
import { ConflictError, NotFoundError } from './errors';
import type { TableProvisioner } from './tableService';
import { setOwn } from '../core/ownLookup';

const ROW = 'state';

/**
 * botbuilder's Storage contract on Azure Tables, for teams-ai turn state. An item written with the
 * eTag it was read with fails with ConflictError if it changed meanwhile; '*' or no eTag writes
 * unconditionally, as MemoryStorage does.
 */
export class TableStateStorage implements Storage {
  private readonly table: DocumentTable<Record<string, unknown>>;

  constructor(tables: TableProvisioner, tableName = 'turnstate') {
    this.table = new DocumentTable(tables, tableName);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new TypeError('keys must be an array');
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const found = await this.table.get(key, ROW);
        if (found) setOwn(items, key, { ...found.value, eTag: found.etag });
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new TypeError('changes must be an object');
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        const { eTag, ...value } = (item ?? {}) as Record<string, unknown> & { eTag?: string };
        if (!eTag || eTag === '*') {
          await this.table.upsert(key, ROW, value);
          return;
        }
        try {
          await this.table.replace(key, ROW, value, eTag);
        } catch (err) {
          // An eTag for a row that is gone means it was deleted meanwhile: that is a conflict too.
          if (err instanceof NotFoundError) throw new ConflictError(this.table.name, key, err);
          throw err;
        }
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.table.delete(key, ROW)));
  }
}
