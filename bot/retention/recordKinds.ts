import type { FilterCheck } from '../filtering/filterCheck';
import type { FilterRequest } from '../filtering/filterRequest';
import type { IncidentCase } from '../incidents/caseRecord';
import { STATUS_LABELS } from '../incidents/caseStatus';
import { escalationJobId, ladoJobId } from '../incidents/submitReport';
import type { AskedQuestion } from '../policy/questionLog';
import type { Scheduler } from '../scheduler/scheduler';
import type { AuditEvent } from '../storage/auditLog';
import { DocumentTable, type Stored } from '../storage/documentTable';
import type { Draft } from '../storage/draftStore';
import { ConflictError } from '../storage/errors';
import type { TableProvisioner } from '../storage/tableService';
import type { CallRecord, SecureNote } from '../calls/callRecord';
import type { TutorLog } from '../tutoring/tutorLog';
import { contentFreeCall, contentFreeCase, contentFreeFilterCheck, contentFreeFilterRequest, contentFreeHistory, contentFreeTutorLog } from './contentFree';
import type { LedgerItem } from './ledger';
import { addDays } from '../calendar/schoolTime';
import { forgetPostedCards } from '../cards/recordCards';
import { mayDelete } from './legalHold';
import { addMonths, addYears, schoolDate } from './periods';
import type { ArchivedKind, ArchivedKinds, ReportArchive } from './reportArchive';
import type { RetentionSettings } from './settings';

export const KIND_IDS = ['cases', 'filterRequests', 'filterChecks', 'tutorLogs', 'calls', 'callNotes', 'questions', 'drafts', 'audit'] as const;
export type KindId = (typeof KIND_IDS)[number];

/** A record with its expiry: the first day the sweep may delete it. */
export interface Candidate extends LedgerItem {
  expires: string;
  /** Under legal hold: never deleted, whatever its date. */
  held?: boolean;
  /** Roster id of the person a case is about: even its count is not shown to them. */
  about?: string;
}

export interface RecordKind {
  id: KindId;
  /** For the report and audit lines, e.g. "Incident cases". */
  label: string;
  /** Every record of this kind that has an expiry (an open case has none yet). */
  scan(): Promise<Candidate[]>;
  /**
   * Re-reads the record, checks it is still due and not held, keeps its content-free copy, and
   * deletes it with the ETag it read. False when it changed meanwhile: it stays.
   */
  remove(c: Candidate): Promise<boolean>;
  exists(c: Candidate): Promise<boolean>;
  /** After the delete decision: what goes with a deleted record, or the copy back out of the archive. */
  settle?(c: Candidate, deleted: boolean): Promise<void>;
}

export interface KindContext {
  tables: TableProvisioner;
  settings: RetentionSettings;
  timeZone: string;
  /** The school's date today (YYYY-MM-DD). */
  today: string;
  archive: ReportArchive;
  scheduler: Scheduler;
}

/**
 * Where each kind of record lives. The tables and keys are those of the stores named beside each
 * kind (CaseStore, RequestStore, CheckStore, TutorLogStore, CallStore, QuestionLog, DraftStore,
 * AuditLog); reading them here keeps those stores free of a delete nobody else should call.
 */
export function recordKinds(ctx: KindContext): RecordKind[] {
  const t = <T>(name: string) => new DocumentTable<T>(ctx.tables, name);
  const cases = t<IncidentCase>('incidents');
  const requests = t<FilterRequest>('filterrequests');
  const checks = t<FilterCheck>('filterchecks');
  const tutorLogs = t<TutorLog>('tutorlogs');
  const calls = t<CallRecord>('calls');
  const notes = t<SecureNote>('callnotes');
  const questions = t<AskedQuestion>('policyquestions');
  const drafts = t<Draft<unknown>>('drafts');
  const audit = t<AuditEvent>('audit');
  const s = ctx.settings;
  const local = (iso: string) => schoolDate(iso, ctx.timeZone);
  const due = (c: { expires: string }) => c.expires <= ctx.today;

  /** The chronology of one record goes with it: its notes, reasons and views are content too. */
  const dropHistory = async (entityType: string, id: string) => {
    for (const row of await audit.list(`${entityType}:${id}`)) await audit.delete(row.partitionKey, row.rowKey);
  };

  /** Deletes with the ETag read; someone changing it since then (a hold, a reopening) keeps it. */
  const deleteIfUnchanged = async (table: DocumentTable<unknown>, row: Stored<unknown>) => {
    try {
      await table.delete(row.partitionKey, row.rowKey, row.etag);
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  };

  /** The content-free copy goes in first, so a record is never gone without it; the delete then carries the ETag read. */
  const archiveThenDelete = async <K extends ArchivedKind>(kind: K, key: string, copy: ArchivedKinds[K], table: DocumentTable<any>, row: Stored<unknown>) => {
    await ctx.archive.put(kind, key, copy, ctx.today);
    return deleteIfUnchanged(table, row);
  };
  /** A deleted record's chronology goes too (its audit entity type is the archive kind); a kept one's copy comes back out. */
  const settleArchived = (kind: Exclude<ArchivedKind, 'case'>) => async (c: Candidate, deleted: boolean) => (deleted ? dropHistory(kind, c.key) : ctx.archive.drop(kind, c.key));

  const closedOn = async (c: IncidentCase): Promise<string> => {
    const history = await audit.list(`incident:${c.ref}`);
    const closings = history.filter((e) => e.value.action === 'case.status-changed' && e.value.changes?.status?.to === STATUS_LABELS.closed);
    return local(closings.at(-1)?.value.at ?? c.reportedAt);
  };
  const caseCandidate = async (c: IncidentCase): Promise<Candidate> => {
    const basis = await closedOn(c);
    return { key: c.ref, basis, expires: addYears(basis, s.casesYearsAfterClosing), detail: c.category, held: !mayDelete(c), about: c.concerned };
  };

  const requestClosedOn = (r: FilterRequest) => local([r.requestedAt, ...r.history.map((h) => h.at), ...r.reviews.map((v) => v.at)].sort().at(-1)!);

  const kinds: RecordKind[] = [
    {
      id: 'cases',
      label: 'Incident cases',
      async scan() {
        const closed = await cases.where('status', 'closed');
        return Promise.all(closed.map((row) => caseCandidate(row.value)));
      },
      async remove(c) {
        const row = await cases.get('case', c.key);
        if (!row || row.value.status !== 'closed' || !mayDelete(row.value)) return false;
        const fresh = await caseCandidate(row.value);
        if (!due(fresh)) return false;
        const history = (await audit.list(`incident:${c.key}`)).map((e) => e.value);
        return archiveThenDelete('case', c.key, { record: contentFreeCase(row.value), history: contentFreeHistory(history) }, cases, row);
      },
      exists: async (c) => !!(await cases.get('case', c.key)),
      async settle(c, deleted) {
        if (!deleted) return ctx.archive.drop('case', c.key);
        await dropHistory('incident', c.key);
        await forgetPostedCards(ctx.tables, 'incident', c.key);
        await ctx.scheduler.cancel(escalationJobId(c.key));
        await ctx.scheduler.cancel(ladoJobId(c.key));
      },
    },
    {
      id: 'filterRequests',
      label: 'Filter change requests',
      async scan() {
        const closed = (await requests.list('request')).filter((r) => r.value.status === 'declined' || r.value.status === 'ended');
        return closed.map(({ value: r }) => {
          const basis = requestClosedOn(r);
          return { key: r.reference, basis, expires: addYears(basis, s.filterRequestsYearsAfterClosing), detail: `${r.details.change}-${r.details.duration}` };
        });
      },
      async remove(c) {
        const row = await requests.get('request', c.key);
        if (!row || (row.value.status !== 'declined' && row.value.status !== 'ended') || !due({ expires: addYears(requestClosedOn(row.value), s.filterRequestsYearsAfterClosing) })) return false;
        return archiveThenDelete('filter-request', c.key, { record: contentFreeFilterRequest(row.value) }, requests, row);
      },
      exists: async (c) => !!(await requests.get('request', c.key)),
      async settle(c, deleted) {
        if (deleted) await forgetPostedCards(ctx.tables, 'filter', c.key);
        await settleArchived('filter-request')(c, deleted);
      },
    },
    {
      id: 'filterChecks',
      label: 'Filter checks',
      async scan() {
        return (await checks.list('check')).map((row) => ({ key: row.rowKey, basis: row.value.date, expires: addYears(row.value.date, s.filterChecksYears), detail: row.value.result }));
      },
      async remove(c) {
        const row = await checks.get('check', c.key);
        if (!row) return false;
        return archiveThenDelete('filter-check', c.key, { record: contentFreeFilterCheck(row.value) }, checks, row);
      },
      exists: async (c) => !!(await checks.get('check', c.key)),
      settle: settleArchived('filter-check'),
    },
    {
      id: 'tutorLogs',
      label: 'Tutor group logs',
      async scan() {
        return (await tutorLogs.all()).map(({ value: l }) => ({ key: l.id, basis: l.date, expires: addYears(l.date, s.tutorLogsYears), detail: l.mode }));
      },
      async remove(c) {
        const [week, tail] = c.key.split('.');
        const row = await tutorLogs.get(week, tail);
        if (!row || !due({ expires: addYears(row.value.date, s.tutorLogsYears) })) return false;
        return archiveThenDelete('tutor-log', c.key, { record: contentFreeTutorLog(row.value) }, tutorLogs, row);
      },
      exists: async (c) => !!(await tutorLogs.get(...(c.key.split('.') as [string, string]))),
      settle: settleArchived('tutor-log'),
    },
    {
      id: 'calls',
      label: '1-1 call records',
      async scan() {
        return (await calls.list('call')).map(({ value: r }) => ({ key: r.id, basis: r.date, expires: addYears(r.date, s.callsYears), detail: r.kind }));
      },
      async remove(c) {
        const row = await calls.get('call', c.key);
        if (!row || !due({ expires: addYears(row.value.date, s.callsYears) })) return false;
        return archiveThenDelete('call', c.key, { record: contentFreeCall(row.value) }, calls, row);
      },
      exists: async (c) => !!(await calls.get('call', c.key)),
      async settle(c, deleted) {
        // The secure note goes with its call.
        if (deleted) {
          await notes.delete(c.key, 'note');
          await forgetPostedCards(ctx.tables, 'call', c.key);
        }
        await settleArchived('call')(c, deleted);
      },
    },
    {
      id: 'callNotes',
      label: 'Secure call notes',
      async scan() {
        return (await notes.all()).map(({ value: n }) => {
          const basis = local(n.writtenAt);
          return { key: n.callId, basis, expires: addYears(basis, s.callNotesYears), detail: 'note' };
        });
      },
      async remove(c) {
        const row = await notes.get(c.key, 'note');
        return !!row && deleteIfUnchanged(notes as DocumentTable<unknown>, row);
      },
      exists: async (c) => !!(await notes.get(c.key, 'note')),
    },
    {
      id: 'questions',
      label: 'Policy questions',
      async scan() {
        return (await questions.list('q')).map(({ value: q }) => {
          const basis = local(q.at);
          return { key: q.id, basis, expires: addMonths(basis, s.questionsMonths), detail: q.found ? 'answered' : 'not-found' };
        });
      },
      async remove(c) {
        const row = await questions.get('q', c.key);
        return !!row && deleteIfUnchanged(questions as DocumentTable<unknown>, row);
      },
      exists: async (c) => !!(await questions.get('q', c.key)),
      settle: async (c, deleted) => (deleted ? dropHistory('policy-question', c.key) : undefined),
    },
    {
      id: 'drafts',
      label: 'Unfinished forms',
      async scan() {
        return (await drafts.all()).map((row) => {
          const basis = local(row.value.updatedAt);
          return { key: JSON.stringify([row.partitionKey, row.rowKey]), basis, expires: addDays(basis, s.draftsDays), detail: row.value.form };
        });
      },
      async remove(c) {
        const [pk, rk] = JSON.parse(c.key) as [string, string];
        const row = await drafts.get(pk, rk);
        if (!row || !due({ expires: addDays(local(row.value.updatedAt), s.draftsDays) })) return false;
        return deleteIfUnchanged(drafts as DocumentTable<unknown>, row);
      },
      exists: async (c) => !!(await drafts.get(...(JSON.parse(c.key) as [string, string]))),
    },
    {
      id: 'audit',
      label: 'Audit lines',
      async scan() {
        // A live record's chronology is kept as long as the record, and goes with it.
        const live = new Set<string>([
          ...(await cases.list('case')).map((r) => `incident:${r.rowKey}`),
          ...(await requests.list('request')).map((r) => `filter-request:${r.rowKey}`),
          ...(await checks.list('check')).map((r) => `filter-check:${r.rowKey}`),
          ...(await tutorLogs.all()).map((r) => `tutor-log:${r.value.id}`),
          ...(await calls.list('call')).map((r) => `call:${r.rowKey}`),
          ...(await questions.list('q')).map((r) => `policy-question:${r.rowKey}`),
        ]);
        return (await audit.all())
          .filter((row) => !live.has(row.partitionKey))
          .map((row) => {
            const basis = local(row.value.at);
            return { key: JSON.stringify([row.partitionKey, row.rowKey]), basis, expires: addYears(basis, s.auditYears), detail: row.value.action };
          });
      },
      async remove(c) {
        const [pk, rk] = JSON.parse(c.key) as [string, string];
        const row = await audit.get(pk, rk);
        return !!row && deleteIfUnchanged(audit as DocumentTable<unknown>, row);
      },
      exists: async (c) => !!(await audit.get(...(JSON.parse(c.key) as [string, string]))),
    },
  ];
  return kinds;
}
