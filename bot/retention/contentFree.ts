import type { FilterCheck } from '../filtering/filterCheck';
import type { FilterRequest, PersonRef as FilterPerson } from '../filtering/filterRequest';
import type { IncidentCase, PersonRef } from '../incidents/caseRecord';
import type { AuditEvent } from '../storage/auditLog';
import type { CallRecord } from '../calls/callRecord';
import type { StaffRef, TutorLog } from '../tutoring/tutorLog';

/**
 * Content-free copies of records that have reached the end of their retention period: the same
 * shapes the stores use, so the termly report reads them as it reads live records, with every
 * field a person typed or that names someone blanked. What stays is what the report counts:
 * kinds, categories, sections, urgency, statuses, decisions and their times.
 */
const NOBODY: PersonRef = { id: '', name: '' };
const NO_STAFF: StaffRef = { key: '', name: '' };

export function contentFreeCase(c: IncidentCase): IncidentCase {
  return {
    ref: c.ref,
    category: c.category,
    subject: c.subject,
    section: c.section,
    urgency: c.urgency,
    policeReferral: c.policeReferral,
    immediateDanger: c.immediateDanger,
    reportedAt: c.reportedAt,
    reporter: { ...NOBODY },
    source: c.source,
    facts: {
      occurredOn: c.facts.occurredOn,
      occurredAt: c.facts.occurredAt,
      place: c.facts.place,
      description: '',
      preserved: c.facts.preserved ? { ...c.facts.preserved } : undefined,
    },
    route: c.route,
    owners: [],
    status: c.status,
    acknowledgedAt: c.acknowledgedAt,
    // The agency's reference can be looked up in the agency's own records: only the agency stays.
    referrals: c.referrals.map((r) => ({ agency: r.agency, reference: '', at: r.at, by: { ...NOBODY } })),
    escalationLevel: c.escalationLevel,
    posts: [],
    urgentAlertAt: c.urgentAlertAt,
  };
}

/** Detail keys of a case's audit events that are decisions or levels, never words or people. */
const KEPT_DETAIL = ['agency', 'level'] as const;

/** A case's chronology as the report needs it: what happened and when; not who, nor why. */
export function contentFreeHistory(events: AuditEvent[]): AuditEvent[] {
  return events
    .filter((e) => e.action !== 'case.note-added' && e.action !== 'incident.access-refused')
    .map((e) => {
      const status = e.changes?.status;
      const detail = Object.fromEntries(KEPT_DETAIL.filter((k) => e.detail?.[k] !== undefined && typeof e.detail[k] !== 'object').map((k) => [k, e.detail![k]]));
      return {
        at: e.at,
        actor: { id: '', name: '' },
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        ...(status ? { changes: { status: { from: status.from, to: status.to } } } : {}),
        ...(Object.keys(detail).length ? { detail } : {}),
      };
    });
}

const NO_FILTER_PERSON: FilterPerson = { id: '', name: '' };

export function contentFreeFilterRequest(r: FilterRequest): FilterRequest {
  const d = r.details;
  return {
    reference: r.reference,
    details: {
      targetKind: d.targetKind,
      // A filter category is the filter's own vocabulary; a website can point at a person (a blog, a profile).
      target: d.targetKind === 'category' ? d.target : '',
      change: d.change,
      audience: d.audience,
      duration: d.duration,
      endDate: d.endDate,
      reason: '',
      neededBy: d.neededBy,
    },
    requestedBy: { ...NO_FILTER_PERSON },
    requestedAt: r.requestedAt,
    status: r.status,
    step: r.step,
    chain: [...r.chain],
    history: r.history.map((h) => ({ step: h.step, outcome: h.outcome, by: { ...NO_FILTER_PERSON }, at: h.at })),
    reviewDate: r.reviewDate,
    reminder: r.reminder ? { ...r.reminder } : undefined,
    reviews: r.reviews.map((v) => ({ kind: v.kind, outcome: v.outcome, by: { ...NO_FILTER_PERSON }, at: v.at })),
    stepReminders: r.stepReminders?.map((s) => ({ ...s })),
  };
}

export function contentFreeFilterCheck(c: FilterCheck): FilterCheck {
  return { date: c.date, by: { ...NO_FILTER_PERSON }, tested: '', devices: '', userGroups: '', result: c.result, followUp: '', recordedAt: c.recordedAt };
}

export function contentFreeTutorLog(l: TutorLog): TutorLog {
  return {
    id: l.id,
    week: l.week,
    group: l.group,
    date: l.date,
    time: l.time,
    mode: l.mode,
    attended: l.attended,
    topic: '',
    concern: l.concern,
    loggedBy: { ...NO_STAFF },
    loggedAt: l.loggedAt,
    loggedOn: l.loggedOn,
    correctedAt: l.correctedAt,
  };
}

export function contentFreeCall(c: CallRecord): CallRecord {
  return {
    id: c.id,
    kind: c.kind,
    purpose: c.purpose,
    purposeLabel: c.purposeLabel,
    pupil: { name: '', year: '' },
    section: c.section,
    department: c.department,
    date: c.date,
    time: c.time,
    pastoral: c.pastoral,
    requirements: [...c.requirements],
    teacher: { ...NO_STAFF },
    state: c.state,
    createdAt: c.createdAt,
    permission: c.permission ? { role: c.permission.role, decision: c.permission.decision, decidedAt: c.permission.decidedAt } : undefined,
    held: c.held ? { ...c.held } : undefined,
  };
}
