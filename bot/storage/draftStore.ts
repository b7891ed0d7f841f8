import { DocumentTable, type Stored } from './documentTable';
import type { TableProvisioner } from './tableService';

/** A half-filled form: kept in Tables after every step so it survives a restart. */
export interface Draft<T> {
  form: string;
  step: string;
  values: T;
  startedAt: string;
  updatedAt: string;
}

export class DraftStore {
  private readonly table: DocumentTable<Draft<unknown>>;

  constructor(tables: TableProvisioner, private readonly now: () => Date = () => new Date()) {
    this.table = new DocumentTable(tables, 'drafts');
  }

  get<T>(ownerId: string, form: string): Promise<Stored<Draft<T>> | undefined> {
    return this.table.get(ownerId, form) as Promise<Stored<Draft<T>> | undefined>;
  }

  /** Saves a step; pass the ETag read so two tabs on one form cannot silently overwrite each other. */
  async save<T>(ownerId: string, form: string, step: string, values: T, etag?: string): Promise<Stored<Draft<T>>> {
    const at = this.now().toISOString();
    const previous = etag ? await this.get<T>(ownerId, form) : undefined;
    const draft: Draft<T> = { form, step, values, startedAt: previous?.value.startedAt ?? at, updatedAt: at };
    if (etag) return this.table.replace(ownerId, form, draft, etag) as Promise<Stored<Draft<T>>>;
    return this.table.upsert(ownerId, form, draft) as Promise<Stored<Draft<T>>>;
  }

  clear(ownerId: string, form: string): Promise<void> {
    return this.table.delete(ownerId, form);
  }
}
