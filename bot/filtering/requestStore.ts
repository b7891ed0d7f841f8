import { DocumentTable, type Stored } from '../storage/documentTable';
import { ConflictError } from '../storage/errors';
import type { TableProvisioner } from '../storage/tableService';
import type { FilterRequest } from './filterRequest';

const PARTITION = 'request';
const COUNTERS = 'counter';

/** Filter requests, one row each, never deleted: a declined or ended request is closed, not removed. */
export class RequestStore {
  private readonly table: DocumentTable<FilterRequest>;
  private readonly counters: DocumentTable<{ next: number }>;

  constructor(tables: TableProvisioner) {
    this.table = new DocumentTable(tables, 'filterrequests');
    this.counters = new DocumentTable(tables, 'filterrequests');
  }

  get(reference: string): Promise<Stored<FilterRequest> | undefined> {
    return this.table.get(PARTITION, reference);
  }

  require(reference: string): Promise<Stored<FilterRequest>> {
    return this.table.require(PARTITION, reference);
  }

  create(request: FilterRequest): Promise<Stored<FilterRequest>> {
    return this.table.create(PARTITION, request.reference, request, { status: request.status });
  }

  /** Throws ConflictError when someone else wrote the request since `etag` was read. */
  replace(request: FilterRequest, etag: string): Promise<Stored<FilterRequest>> {
    return this.table.replace(PARTITION, request.reference, request, etag, { status: request.status });
  }

  /** Every request, newest first. A school makes a few hundred a year, so one partition scan is fine. */
  async all(): Promise<FilterRequest[]> {
    const rows = await this.table.list(PARTITION);
    return rows.map((r) => r.value).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt) || b.reference.localeCompare(a.reference));
  }

  /** FLT-2026-0001, FLT-2026-0002…: a per-year counter advanced with an ETag, so two instances never share a number. */
  async nextReference(year: number): Promise<string> {
    for (;;) {
      const current = await this.counters.get(COUNTERS, String(year));
      const next = current?.value.next ?? 1;
      try {
        if (current) await this.counters.replace(COUNTERS, String(year), { next: next + 1 }, current.etag);
        else await this.counters.create(COUNTERS, String(year), { next: next + 1 });
        return `FLT-${year}-${String(next).padStart(4, '0')}`;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }
}
