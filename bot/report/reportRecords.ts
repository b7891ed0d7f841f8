import type { RoundRecord } from '../acknowledgements/roundRecords';
import type { IncidentCase } from '../incidents/caseRecord';
import type { FilterCheck } from '../filtering/filterCheck';
import type { FilterRequest } from '../filtering/filterRequest';
import type { CallRecord } from '../calls/callRecord';
import type { TutorLog } from '../tutoring/tutorLog';
import type { ReportRange } from './reportRange';

/** An attempt to unblock a never-allow category: when, and nothing else (the audit line has who). */
export interface NeverAllowAttempt {
  /** The audit event's own key, so the same attempt from two sources counts once. */
  id: string;
  at: string;
}

/**
 * Everything the termly report counts, as plain records. The report reads only the structured
 * fields of these (dates, states, kinds, counts), never a free-text field, so a copy with its
 * text blanked (what the retention sweep archives) counts exactly as the original did.
 */
export interface ReportRecords {
  cases: IncidentCase[];
  filterRequests: FilterRequest[];
  filterChecks: FilterCheck[];
  tutorLogs: TutorLog[];
  calls: CallRecord[];
  neverAllowAttempts: NeverAllowAttempt[];
  /** Policy acknowledgement rounds, each with its people's delivery and acknowledgement times. */
  acknowledgementRounds: RoundRecord[];
}

/** Somewhere records come from: the live tables, or an archive of swept ones. */
export interface RecordSource {
  readonly name: string;
  load(range: ReportRange): Promise<Partial<ReportRecords>>;
}

/** What identifies a record of each kind across sources (a filter check has no id of its own). */
const KEYS: { [K in keyof ReportRecords]: (record: ReportRecords[K][number]) => string } = {
  cases: (c) => c.ref,
  filterRequests: (r) => r.reference,
  filterChecks: (c) => `${c.recordedAt}|${c.date}|${c.by.id}`,
  tutorLogs: (l) => l.id,
  calls: (c) => c.id,
  neverAllowAttempts: (a) => a.id,
  acknowledgementRounds: (r) => r.id,
};

export function emptyRecords(): ReportRecords {
  return { cases: [], filterRequests: [], filterChecks: [], tutorLogs: [], calls: [], neverAllowAttempts: [], acknowledgementRounds: [] };
}

/**
 * Joins what the sources gave, earlier sources first: a record found in two (live and archived
 * in the same sweep window) counts once, as the earlier source holds it.
 */
export function mergeRecords(parts: Array<Partial<ReportRecords>>): ReportRecords {
  const out = emptyRecords();
  for (const kind of Object.keys(KEYS) as Array<keyof ReportRecords>) {
    const seen = new Set<string>();
    const key = KEYS[kind] as (record: unknown) => string;
    const list = out[kind] as unknown[];
    for (const part of parts) {
      for (const record of (part[kind] ?? []) as unknown[]) {
        const id = key(record);
        if (seen.has(id)) continue;
        seen.add(id);
        list.push(record);
      }
    }
  }
  return out;
}

/** Reads every source for `range` and merges them (see mergeRecords). */
export async function loadFromSources(sources: readonly RecordSource[], range: ReportRange): Promise<ReportRecords> {
  const parts: Array<Partial<ReportRecords>> = [];
  for (const source of sources) parts.push(await source.load(range));
  return mergeRecords(parts);
}
