import type { IncidentCase } from '../../bot/incidents/caseRecord';
import type { FilterCheck } from '../../bot/filtering/filterCheck';
import type { FilterRequest } from '../../bot/filtering/filterRequest';
import type { CallRecord } from '../../bot/calls/callRecord';
import type { TutorLog } from '../../bot/tutoring/tutorLog';
import type { RoundRecord } from '../../bot/acknowledgements/roundRecords';
import type { DeliveryState } from '../../bot/broadcast/broadcastQueue';
import { emptyRecords, type ReportRecords } from '../../bot/report/reportRecords';

/** Plain records for the pure figure tests: only the fields the report reads carry meaning. */
export function aCase(ref: string, over: Partial<IncidentCase> & { reportedAt: string }): IncidentCase {
  return {
    ref,
    category: 'cyberbullying',
    subject: 'pupil',
    section: 'Senior',
    urgency: 'P2',
    policeReferral: false,
    immediateDanger: false,
    reporter: { id: 'teacher', name: 'A Teacher' },
    facts: { occurredOn: over.reportedAt.slice(0, 10), place: 'online', description: '' },
    route: 'dsl',
    owners: [],
    status: 'new',
    referrals: [],
    escalationLevel: 0,
    posts: [],
    ...over,
  };
}

export function aRequest(reference: string, over: Omit<Partial<FilterRequest>, 'details'> & { requestedAt: string; details?: Partial<FilterRequest['details']> }): FilterRequest {
  const { details, ...rest } = over;
  return {
    reference,
    requestedBy: { id: 'teacher', name: 'A Teacher' },
    status: 'in-force',
    chain: ['sanction', 'authorise', 'make', 'confirm'],
    history: [],
    reviews: [],
    ...rest,
    details: { targetKind: 'website', target: 'example.org', change: 'unblock', audience: 'staff', duration: 'permanent', reason: '', neededBy: over.requestedAt.slice(0, 10), ...details },
  };
}

export function aCheck(date: string, result: FilterCheck['result'] = 'passed'): FilterCheck {
  return { date, by: { id: 'mcole', name: 'Mark Cole' }, tested: '', devices: '', userGroups: '', result, followUp: '', recordedAt: `${date}T12:00:00.000Z` };
}

export function aTutorLog(id: string, group: string, date: string, week: string): TutorLog {
  return { id, group, date, time: '08:40', mode: 'in-person', topic: '', concern: false, week, loggedBy: { key: 'tutor', name: 'Tutor' }, loggedAt: `${date}T09:00:00.000Z`, loggedOn: date };
}

export function aCall(id: string, createdAt: string, permission?: 'approved' | 'declined' | 'waiting'): CallRecord {
  return {
    id,
    kind: 'video',
    purpose: 'enrichment',
    purposeLabel: '',
    pupil: { name: '', year: 'Year 9' },
    section: 'Senior',
    date: createdAt.slice(0, 10),
    time: '10:00',
    pastoral: false,
    requirements: [],
    teacher: { key: 'teacher', name: 'Teacher' },
    state: permission === 'waiting' ? 'awaiting-permission' : permission === 'declined' ? 'declined' : 'planned',
    createdAt,
    permission: permission ? { role: 'deputy-head-academic', decision: permission === 'waiting' ? undefined : permission } : undefined,
  };
}

/** An acknowledgement round: each person as [delivery, acknowledged at] (no acknowledgement when absent). */
export function aRound(id: string, over: Partial<RoundRecord> & { openedAt: string; due: string }, people: Array<[DeliveryState, string?]>): RoundRecord {
  return { id, campaignId: id.replace(/-r\d+$/, ''), number: Number(id.match(/-r(\d+)$/)?.[1] ?? 1), title: 'Staff Acceptable Use Policy', version: 'v1', ...over, people: people.map(([delivery, acknowledgedAt]) => ({ delivery, acknowledgedAt })) };
}

export function records(parts: Partial<ReportRecords>): ReportRecords {
  return { ...emptyRecords(), ...parts };
}

const after = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** A term's worth of cases, with what each figure must then be worked out by hand below. */
export function seededCases(): IncidentCase[] {
  const cases: IncidentCase[] = [];
  for (let i = 0; i < 6; i++) {
    const reportedAt = `2026-10-0${i + 1}T10:00:00.000Z`;
    cases.push(aCase(`INC-2026-01${i}`, { reportedAt, status: 'in-progress', acknowledgedAt: after(reportedAt, i === 5 ? 300 : 30), escalationLevel: i === 5 ? 1 : 0, referrals: i < 2 ? [{ agency: 'csc', reference: 'X', at: reportedAt, by: { id: 'dkhan', name: 'D' } }] : [] }));
  }
  cases.push(aCase('INC-2026-020', { reportedAt: '2026-11-02T10:00:00.000Z', category: 'grooming', section: 'Prep', urgency: 'P1', status: 'referred', acknowledgedAt: '2026-11-02T10:30:00.000Z', referrals: [{ agency: 'police', reference: 'P', at: '2026-11-02T11:00:00.000Z', by: { id: 'pgreen', name: 'P' } }] }));
  cases.push(aCase('INC-2026-021', { reportedAt: '2026-11-03T10:00:00.000Z', category: 'grooming', section: 'Prep', urgency: 'P1', status: 'new', escalationLevel: 2 }));
  cases.push(aCase('INC-2026-030', { reportedAt: '2026-11-04T10:00:00.000Z', category: 'data-breach', section: undefined, urgency: 'P3', status: 'closed', acknowledgedAt: '2026-11-04T11:40:00.000Z' }));
  for (let i = 0; i < 5; i++) {
    const reportedAt = `2026-11-1${i}T09:00:00.000Z`;
    cases.push(aCase(`INC-2026-04${i}`, { reportedAt, category: 'inappropriate-accidental', section: 'Pre-Prep', urgency: 'P3', status: i < 3 ? 'closed' : 'acknowledged', acknowledgedAt: after(reportedAt, 60) }));
  }
  // Outside the term: the summer before, and the first day of the holidays.
  cases.push(aCase('INC-2026-001', { reportedAt: '2026-06-10T10:00:00.000Z', category: 'extremism', urgency: 'P1' }));
  cases.push(aCase('INC-2026-002', { reportedAt: '2026-12-17T10:00:00.000Z', category: 'cyberbullying' }));
  return cases;
}

