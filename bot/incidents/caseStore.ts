import { DocumentTable, type Stored } from '../storage/documentTable';
import { ConflictError } from '../storage/errors';
import type { TableProvisioner } from '../storage/tableService';
import type { IncidentCase } from './caseRecord';

const CASE = 'case';

/** Cases in the `incidents` table by reference, and the per-year counter that issues references. */
export class CaseStore {
  private readonly cases: DocumentTable<IncidentCase>;
  private readonly counters: DocumentTable<{ last: number }>;

  constructor(tables: TableProvisioner, private readonly prefix: string) {
    this.cases = new DocumentTable(tables, 'incidents');
    this.counters = new DocumentTable(tables, 'incidentrefs');
  }

  /** References are only ever claimed with an ETag write, so two instances never issue the same one. */
  async nextRef(now: Date): Promise<string> {
    const year = String(now.getUTCFullYear());
    for (;;) {
      const current = await this.counters.get('year', year);
      try {
        const last = (current?.value.last ?? 0) + 1;
        if (current) await this.counters.replace('year', year, { last }, current.etag);
        else await this.counters.create('year', year, { last });
        return `${this.prefix}-${year}-${String(last).padStart(4, '0')}`;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }

  get(ref: string): Promise<Stored<IncidentCase> | undefined> {
    return this.cases.get(CASE, ref);
  }

  create(c: IncidentCase): Promise<Stored<IncidentCase>> {
    return this.cases.create(CASE, c.ref, c, { status: c.status });
  }

  replace(c: IncidentCase, etag: string): Promise<Stored<IncidentCase>> {
    return this.cases.replace(CASE, c.ref, c, etag, { status: c.status });
  }

  /** Every case: the termly report counts them (a school has hundreds a year, one partition scan). */
  async all(): Promise<IncidentCase[]> {
    return (await this.cases.list(CASE)).map((r) => r.value);
  }
}

/** A typed or clicked reference, normalised; undefined when it cannot be one of ours. */
export function parseRef(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const ref = raw.trim().toUpperCase();
  return /^[A-Z]{2,6}-\d{4}-\d{4,6}$/.test(ref) ? ref : undefined;
}
