import type { IncidentCase } from '../../bot/incidents/caseRecord';
import type { FilterCheck } from '../../bot/filtering/filterCheck';
import type { FilterRequest } from '../../bot/filtering/filterRequest';
import type { CallRecord } from '../../bot/tutoring/callRecord';
import type { TutorLog } from '../../bot/tutoring/tutorLog';
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

export function aRequest(reference: string, over: Partial<FilterRequest> & { requestedAt: string; details?: Partial<FilterRequest['details']> }): FilterRequest {
  const { details, ...rest } = over;
  return {
    reference,
    requestedBy: { id: 'teacher', name: 'A Teacher' },
    status: 'in-force',
    chain: ['sanction', 'authorise', 'make', 'confirm'],
    history: [],
    reviews: [],
    cards: {},
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

export function records(parts: Partial<ReportRecords>): ReportRecords {
  return { ...emptyRecords(), ...parts };
}
