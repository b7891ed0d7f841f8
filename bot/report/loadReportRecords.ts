import { roundRecords } from '../acknowledgements/roundRecords';
import { addDays, weekStart } from '../calendar/schoolTime';
import { CheckStore } from '../filtering/filterCheck';
import { RequestStore } from '../filtering/requestStore';
import { CaseStore } from '../incidents/caseStore';
import type { IncidentCase } from '../incidents/caseRecord';
import type { AuditEvent, AuditLog } from '../storage/auditLog';
import type { TableProvisioner } from '../storage/tableService';
import { CallStore } from '../calls/callStore';
import { TutorLogStore } from '../tutoring/tutorLogStore';
import { loadFromSources, type NeverAllowAttempt, type RecordSource, type ReportRecords } from './reportRecords';
import type { ReportRange } from './reportRange';

const ACKNOWLEDGING = new Set(['case.claimed', 'case.assigned', 'case.status-changed']);

export interface LiveSourceOptions {
  /** The never-allow categories as configured now: attempts are audited under each one's name. */
  neverAllowCategories: readonly string[];
}

/** A case written before cases carried `acknowledgedAt` takes it from its first handling event. */
export function acknowledgedFromHistory(c: IncidentCase, history: readonly AuditEvent[]): IncidentCase {
  if (c.acknowledgedAt || c.status === 'new') return c;
  const first = history.find((e) => ACKNOWLEDGING.has(e.action));
  return first ? { ...c, acknowledgedAt: first.at } : c;
}

/**
 * The live tables as a record source. Cases written before cases carried `acknowledgedAt` get it
 * from the first handling event in their audit chronology.
 */
export function liveRecords(tables: TableProvisioner, audit: AuditLog, options: LiveSourceOptions): RecordSource {
  const withAcknowledgement = async (c: IncidentCase) => acknowledgedFromHistory(c, await audit.history('incident', c.ref));

  async function tutorLogs(range: ReportRange) {
    const store = new TutorLogStore(tables);
    const out = [];
    for (let week = weekStart(range.from); week <= range.to; week = addDays(week, 7)) out.push(...(await store.week(week)));
    return out;
  }

  async function neverAllowAttempts(): Promise<NeverAllowAttempt[]> {
    const out: NeverAllowAttempt[] = [];
    for (const category of options.neverAllowCategories) {
      const events = await audit.history('filter-request', `category:${category}`);
      for (const e of events.filter((x) => x.action === 'filter.never-allow-signalled')) out.push({ id: `${category}|${e.at}|${e.actor.id}`, at: e.at });
    }
    return out;
  }

  return {
    name: 'live tables',
    async load(range) {
      const cases = await Promise.all((await new CaseStore(tables, 'INC').all()).map(withAcknowledgement));
      return {
        cases,
        filterRequests: await new RequestStore(tables).all(),
        filterChecks: await new CheckStore(tables).all(),
        tutorLogs: await tutorLogs(range),
        calls: await new CallStore(tables).all(),
        neverAllowAttempts: await neverAllowAttempts(),
        acknowledgementRounds: await roundRecords(tables),
      };
    },
  };
}

/**
 * The records for a report, live tables first and then any other sources (the retention archive
 * of swept records joins here), each record counted once by its id.
 */
export function loadReportRecords(range: ReportRange, sources: readonly RecordSource[]): Promise<ReportRecords> {
  return loadFromSources(sources, range);
}
