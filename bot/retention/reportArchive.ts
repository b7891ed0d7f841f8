import type { FilterCheck } from '../filtering/filterCheck';
import type { FilterRequest } from '../filtering/filterRequest';
import type { IncidentCase } from '../incidents/caseRecord';
import type { AuditEvent } from '../storage/auditLog';
import { DocumentTable } from '../storage/documentTable';
import type { TableProvisioner } from '../storage/tableService';
import type { CallRecord } from '../calls/callRecord';
import type { TutorLog } from '../tutoring/tutorLog';
import { RetentionLedger, type YearCounts } from './ledger';

/** What the archive keeps of each kind of swept record (content-free copies, see contentFree.ts). */
export interface ArchivedKinds {
  case: { record: IncidentCase; history: AuditEvent[] };
  'filter-request': { record: FilterRequest };
  'filter-check': { record: FilterCheck };
  'tutor-log': { record: TutorLog };
  call: { record: CallRecord };
}
export type ArchivedKind = keyof ArchivedKinds;

type Row = ArchivedKinds[ArchivedKind] & { archivedOn: string };

/**
 * The `retentionarchive` table: one content-free copy per swept record, partitioned by kind and
 * keyed by the record's own id, so writing the copy again (a retried sweep) changes nothing. It
 * is kept with no end date: it holds no words and no names, only what the report counts.
 */
export class ReportArchive {
  private readonly table: DocumentTable<Row>;

  constructor(tables: TableProvisioner) {
    this.table = new DocumentTable(tables, 'retentionarchive');
  }

  async put<K extends ArchivedKind>(kind: K, id: string, copy: ArchivedKinds[K], archivedOn: string): Promise<void> {
    await this.table.upsert(kind, id, { ...copy, archivedOn });
  }

  /** Takes a copy back out when the record turned out not to be deletable after all (held, reopened). */
  async drop(kind: ArchivedKind, id: string): Promise<void> {
    await this.table.delete(kind, id);
  }

  async get<K extends ArchivedKind>(kind: K, id: string): Promise<ArchivedKinds[K] | undefined> {
    return (await this.table.get(kind, id))?.value as unknown as ArchivedKinds[K] | undefined;
  }

  async list<K extends ArchivedKind>(kind: K): Promise<Array<ArchivedKinds[K]>> {
    return (await this.table.list(kind)).map((r) => r.value as unknown as ArchivedKinds[K]);
  }
}

/*
 * Readers for the termly report's loader: a second source beside the live stores, in the stores'
 * own types. A record is never in both: its copy is written just before it is deleted, and taken
 * out again if the delete does not happen.
 */

export async function archivedCases(tables: TableProvisioner): Promise<IncidentCase[]> {
  return (await new ReportArchive(tables).list('case')).map((r) => r.record);
}

/** Each archived case's chronology without actors, reasons or notes, by case reference. */
export async function archivedCaseHistories(tables: TableProvisioner): Promise<Map<string, AuditEvent[]>> {
  return new Map((await new ReportArchive(tables).list('case')).map((r) => [r.record.ref, r.history]));
}

export async function archivedFilterRequests(tables: TableProvisioner): Promise<FilterRequest[]> {
  return (await new ReportArchive(tables).list('filter-request')).map((r) => r.record);
}

export async function archivedFilterChecks(tables: TableProvisioner): Promise<FilterCheck[]> {
  return (await new ReportArchive(tables).list('filter-check')).map((r) => r.record);
}

export async function archivedTutorLogs(tables: TableProvisioner): Promise<TutorLog[]> {
  return (await new ReportArchive(tables).list('tutor-log')).map((r) => r.record);
}

export async function archivedCalls(tables: TableProvisioner): Promise<CallRecord[]> {
  return (await new ReportArchive(tables).list('call')).map((r) => r.record);
}

/**
 * Counts of every kind the sweep deleted (kind ids as in recordKinds.ts: 'cases', 'questions',
 * 'audit'...), by year, month and detail: for figures no archive copy carries.
 */
export async function deletedCounts(tables: TableProvisioner, kind: string): Promise<YearCounts[]> {
  return new RetentionLedger(tables).years(kind);
}
