import type { AuditLog } from '../storage/auditLog';
import { RetentionLedger, type LedgerItem } from './ledger';
import type { Candidate, KindId, RecordKind } from './recordKinds';

/** Deletes are noted and counted in batches this size (a pending batch fits one table row). */
const BATCH = 100;

export const LANTERN = { id: 'lantern', name: 'Lantern' };

export interface KindResult {
  kind: KindId;
  deleted: number;
  /** Due but under legal hold, so kept. */
  held: number;
  /** Earliest and latest date the deleted records' periods were counted from. */
  from?: string;
  to?: string;
}

/**
 * One run of the daily sweep: for each kind, whatever a previous run left half-done is settled
 * first, then everything due and not held is deleted batch by batch. Each kind that lost records
 * gets one audit line with its count and date range, and the run one line with the totals: no
 * references, no names, no words from the records.
 */
export async function sweep(kinds: RecordKind[], ledger: RetentionLedger, audit: AuditLog, today: string): Promise<KindResult[]> {
  const results: KindResult[] = [];
  for (const kind of kinds) {
    const deleted: LedgerItem[] = await recover(kind, ledger);
    const candidates = (await kind.scan()).filter((c) => c.expires <= today);
    const held = candidates.filter((c) => c.held).length;
    const due = candidates.filter((c) => !c.held);
    for (let i = 0; i < due.length; i += BATCH) deleted.push(...(await runBatch(kind, ledger, due.slice(i, i + BATCH))));
    const dates = deleted.map((d) => d.basis).sort();
    const result: KindResult = { kind: kind.id, deleted: deleted.length, held, from: dates[0], to: dates.at(-1) };
    results.push(result);
    if (deleted.length) {
      await audit.append({ actor: LANTERN, action: 'retention.deleted', entityType: 'retention', entityId: today, reason: 'retention period ended', detail: { kind: kind.id, count: deleted.length, from: result.from, to: result.to } });
    }
  }
  await audit.append({
    actor: LANTERN,
    action: 'retention.swept',
    entityType: 'retention',
    entityId: today,
    detail: { deleted: Object.fromEntries(results.map((r) => [r.kind, r.deleted])), keptUnderHold: results.reduce((n, r) => n + r.held, 0) },
  });
  return results;
}

async function runBatch(kind: RecordKind, ledger: RetentionLedger, batch: Candidate[]): Promise<LedgerItem[]> {
  const items = batch.map(({ key, basis, detail }) => ({ key, basis, detail }));
  const id = await ledger.begin(kind.id, items);
  const deleted: LedgerItem[] = [];
  for (const c of batch) {
    const gone = await kind.remove(c);
    await kind.settle?.(c, gone);
    if (gone) deleted.push(items[batch.indexOf(c)]);
  }
  await ledger.finish(kind.id, id, deleted);
  return deleted;
}

/** A batch a dead run left pending: what is gone is counted and tidied, what remains is left as it was. */
async function recover(kind: RecordKind, ledger: RetentionLedger): Promise<LedgerItem[]> {
  const pending = await ledger.unfinished(kind.id);
  if (!pending) return [];
  const deleted: LedgerItem[] = [];
  for (const item of pending.items) {
    const c: Candidate = { ...item, expires: '' };
    const gone = !(await kind.exists(c));
    await kind.settle?.(c, gone);
    if (gone) deleted.push(item);
  }
  await ledger.finish(kind.id, pending.batch, deleted);
  return deleted;
}
