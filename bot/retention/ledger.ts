import { randomUUID } from 'node:crypto';
import { own, setOwn } from '../core/ownLookup';
import { DocumentTable } from '../storage/documentTable';
import { ConflictError } from '../storage/errors';
import type { TableProvisioner } from '../storage/tableService';

/** One record as the ledger counts it: no content, only its kind's detail and its date. */
export interface LedgerItem {
  /** The record's key in its own table (what a recovery checks is gone). */
  key: string;
  /** YYYY-MM-DD the retention period is counted from (closing, session, asking...). */
  basis: string;
  /** What the count is broken down by: a category, a call kind, an audit action. */
  detail: string;
}

interface Pending {
  batch: string;
  items: LedgerItem[];
}

/** Counts of deleted records of one kind for one year: month ("01".."12") → detail → count. */
export interface YearCounts {
  kind: string;
  year: string;
  months: Record<string, Record<string, number>>;
  /** Batches already added, so a retried batch is never counted twice. */
  batches: string[];
}

const KEEP_BATCH_IDS = 50;

/**
 * What is kept of deleted records: counts by kind, year, month and detail, in the
 * `retentioncounts` table. Each batch is written as pending (the keys it is about to delete)
 * before anything is deleted, and counted once at the end; a sweep that died part-way finds its
 * pending batch, counts exactly the records that are gone, and carries on.
 */
export class RetentionLedger {
  private readonly pending: DocumentTable<Pending>;
  private readonly counts: DocumentTable<YearCounts>;

  constructor(tables: TableProvisioner) {
    this.pending = new DocumentTable(tables, 'retentioncounts');
    this.counts = new DocumentTable(tables, 'retentioncounts');
  }

  async unfinished(kind: string): Promise<Pending | undefined> {
    return (await this.pending.get('pending', kind))?.value;
  }

  /** Notes the batch before its deletes start; a ConflictError means an unfinished one must be settled first. */
  async begin(kind: string, items: LedgerItem[]): Promise<string> {
    const batch = randomUUID();
    await this.pending.create('pending', kind, { batch, items });
    return batch;
  }

  /** Counts what the batch deleted (idempotent per year row), then clears the pending batch. */
  async finish(kind: string, batch: string, deleted: LedgerItem[]): Promise<void> {
    const byYear = new Map<string, LedgerItem[]>();
    for (const item of deleted) byYear.set(item.basis.slice(0, 4), [...(byYear.get(item.basis.slice(0, 4)) ?? []), item]);
    for (const [year, items] of byYear) await this.add(kind, year, batch, items);
    await this.pending.delete('pending', kind);
  }

  private async add(kind: string, year: string, batch: string, items: LedgerItem[]): Promise<void> {
    for (;;) {
      const row = await this.counts.get(`counts:${kind}`, year);
      const current: YearCounts = row?.value ?? { kind, year, months: {}, batches: [] };
      if (current.batches.includes(batch)) return;
      const months = structuredClone(current.months);
      // Details are action names and categories: kept as own entries whatever they spell.
      for (const item of items) {
        const key = item.basis.slice(5, 7);
        const month = own(months, key) ?? {};
        setOwn(month, item.detail, (own(month, item.detail) ?? 0) + 1);
        setOwn(months, key, month);
      }
      const next: YearCounts = { kind, year, months, batches: [...current.batches, batch].slice(-KEEP_BATCH_IDS) };
      try {
        if (row) await this.counts.replace(`counts:${kind}`, year, next, row.etag);
        else await this.counts.create(`counts:${kind}`, year, next);
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }

  /** Every year's counts for a kind, oldest first. */
  async years(kind: string): Promise<YearCounts[]> {
    return (await this.counts.list(`counts:${kind}`)).map((r) => r.value);
  }

  /** Total deleted of a kind, optionally for one year and month. */
  async total(kind: string, year?: string, month?: string): Promise<number> {
    let n = 0;
    for (const y of await this.years(kind)) {
      if (year && y.year !== year) continue;
      for (const [m, details] of Object.entries(y.months)) if (!month || m === month) for (const c of Object.values(details)) n += c;
    }
    return n;
  }
}
