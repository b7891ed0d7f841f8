import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { Roster } from '../config/roster';
import type { AuditEvent } from '../storage/auditLog';
import { categoryById, PLACES, PRESERVE_STEPS, SUBJECTS } from './categories';
import type { IncidentCase } from './caseRecord';
import { agencyLabel, AGENCIES, allowedNext, STATUS_LABELS } from './caseStatus';
import { assignable } from './routing';
import { URGENCY_LABELS } from './triage';
import { own } from '../core/ownLookup';
import { ukDateAndTime, ukDateTime } from '../calendar/ukFormat';

/** "Mon 23 Nov 2026, 10:02" on the school's clock (bot/calendar/ukFormat). */
export function formatTime(iso: string, roster: Roster): string {
  return ukDateTime(iso, roster.config.school.timezone);
}

function names(ids: string[], roster: Roster): string {
  return ids.map((id) => roster.person(id)?.name ?? id).join(', ');
}

/** The section, and in a trust the school: a trust officer holds cases of every school. */
function sectionLine(c: IncidentCase, roster: Roster): string {
  const section = c.section ?? 'Not applicable';
  return roster.trust ? `${section} · ${roster.schoolName}` : section;
}

/** Nobody is "handling" a case until someone claims it; before that the card says who is expected to. */
function handlerLine(c: IncidentCase, roster: Roster): string {
  if (c.assignee) return c.assignee.name;
  const owners = names(c.owners, roster);
  const escalated = names((c.escalatedTo ?? []).filter((id) => !c.owners.includes(id)), roster);
  const also = escalated ? `; escalated to ${escalated}` : '';
  if (!owners) return escalated ? `Not yet claimed — escalated to ${escalated}` : 'Not yet claimed';
  const dsl = c.section ? roster.section(c.section)?.dsl : undefined;
  const covering = (c.route === 'dsl' || c.route === 'dsl-and-it') && dsl && dsl !== c.concerned && !c.owners.includes(dsl);
  return covering ? `Not yet claimed — covering: ${owners} (DSL away)${also}` : `Not yet claimed — for: ${owners}${also}`;
}

/**
 * The card that goes to a channel or a notification chat: reference, category, urgency, section,
 * time, reporter and status only. No pupil names, no account.
 */
export function caseCard(c: IncidentCase, roster: Roster, notice = ''): AdaptiveCard {
  return renderCard('incident-case', {
    ref: c.ref,
    notice,
    categoryLabel: categoryById(c.category)?.label ?? c.category,
    urgencyLabel: URGENCY_LABELS[c.urgency],
    section: sectionLine(c, roster),
    reportedAt: formatTime(c.reportedAt, roster),
    reporter: c.reporter.name,
    statusLabel: STATUS_LABELS[c.status],
    handlerTitle: c.assignee ? 'Handled by' : 'Claim',
    handler: handlerLine(c, roster),
    policeReferral: c.policeReferral,
    canClaim: !c.assignee && c.status !== 'closed',
  });
}

const EVENT_TEXT: Record<string, string> = {
  'case.reported': 'Reported',
  'case.urgent-alert': 'Urgent alert sent (immediate danger)',
  'case.routed': 'Sent to',
  'case.claimed': 'Claimed',
  'case.assigned': 'Assigned',
  'case.note-added': 'Note',
  'case.status-changed': 'Status changed',
  'case.escalated': 'Escalated (not acknowledged in time)',
  'case.lado-reminder': 'Reminder sent: refer to the LADO within one working day',
  'case.viewed': 'Opened the record',
  'incident.access-refused': 'Tried to open or change this case and was refused: not one of its handlers',
  'case.exported': 'Exported the record',
  'case.legal-hold-placed': 'Legal hold placed: nothing deletes this case while it stands',
  'case.legal-hold-lifted': 'Legal hold lifted',
  'case.legal-hold-refused': 'Tried to place or lift a legal hold and was refused: only a DSL or the Head may',
};

const FIELD_NAMES: Record<string, string> = { status: 'status', handler: 'handled by' };

/** "status set to New", "status changed from New to In progress": never a bare arrow or dash. */
function changeWords(field: string, from: unknown, to: unknown): string {
  const blank = (v: unknown) => v === undefined || v === null || v === '';
  if (blank(from)) return blank(to) ? `${field} cleared` : `${field} set to ${String(to)}`;
  if (blank(to)) return `${field} cleared (was ${String(from)})`;
  return `${field} changed from ${String(from)} to ${String(to)}`;
}

/** One chronology line in words: what was done, what changed, and why. */
export function describeEvent(e: AuditEvent): string {
  const head = own(EVENT_TEXT, e.action) ?? e.action;
  const changes = Object.entries(e.changes ?? {})
    .map(([field, ch]) => changeWords(own(FIELD_NAMES, field) ?? field, ch.from, ch.to))
    .join('; ');
  return [head, changes, e.reason].filter(Boolean).join(' · ');
}

export interface RecordView {
  notice?: string;
  errors?: Record<string, string>;
  typed?: Record<string, string>;
}

/** The full record, for the people allowed to handle the case, in a private chat only. */
export function recordCard(c: IncidentCase, history: AuditEvent[], roster: Roster, view: RecordView = {}): AdaptiveCard {
  const f = c.facts;
  const label = (list: ReadonlyArray<{ id: string; label: string }>, id?: string) => list.find((x) => x.id === id)?.label ?? id ?? '';
  const summary = [
    { title: 'Category', value: categoryById(c.category)?.label ?? c.category },
    { title: 'Urgency', value: URGENCY_LABELS[c.urgency] },
    { title: 'Status', value: STATUS_LABELS[c.status] + (c.closeReason && c.status === 'closed' ? ` (${c.closeReason})` : '') },
    { title: 'Section', value: sectionLine(c, roster) },
    { title: c.assignee ? 'Handled by' : 'Claim', value: handlerLine(c, roster) },
    { title: 'Reported', value: `${formatTime(c.reportedAt, roster)} by ${c.reporter.name}` },
    ...(c.context ? [{ title: 'Started from', value: [c.source, c.context].filter(Boolean).join(': ') }] : []),
    ...(c.legalHold ? [{ title: 'Legal hold', value: `Held since ${formatTime(c.legalHold.at, roster)} by ${c.legalHold.by.name}: ${c.legalHold.reason}` }] : []),
    ...c.referrals.map((r) => ({ title: 'Referred', value: `${agencyLabel(r.agency) ?? r.agency}, ref ${r.reference} (${formatTime(r.at, roster)}, ${r.by.name})` })),
  ];
  const facts = [
    { title: 'Involves', value: label(SUBJECTS, c.subject) },
    { title: 'Pupil', value: f.pupilName ? `${f.pupilName}${f.pupilYear ? `, ${f.pupilYear}` : ''}` : '' },
    { title: 'Staff member', value: f.staffName ?? '' },
    { title: 'When', value: ukDateAndTime(f.occurredOn, f.occurredAt?.slice(0, 5) ?? '') },
    { title: 'Where', value: label(PLACES, f.place) },
    { title: 'Device', value: f.device ?? '' },
    { title: 'URL', value: f.url ?? '' },
    { title: 'What happened', value: f.description },
    { title: "Child's words", value: f.childsWords ?? '' },
    { title: 'Action taken', value: f.actionTaken ?? '' },
    { title: 'Immediate danger', value: c.immediateDanger ? `Yes: 999 advised${c.urgentAlertAt ? `, alert ${c.urgentAlertRef ? `${c.urgentAlertRef} ` : ''}sent ${formatTime(c.urgentAlertAt, roster)}` : ''}` : 'No' },
  ].filter((x) => x.value);
  const preserved = PRESERVE_STEPS.map((p) => `- ${f.preserved?.[p.id] ? 'Done' : '**Not done**'}: ${p.label}`).join('\r');
  const errors = view.errors ?? {};
  const typed = view.typed ?? {};
  return renderCard('incident-record', {
    ref: c.ref,
    notice: view.notice ?? (Object.keys(errors).length ? 'Nothing was saved: open the form again (Assign, Add note or Change status) to see what needs fixing.' : ''),
    summary,
    facts,
    policeReferral: c.policeReferral,
    preserved,
    chronology: history.map((e) => ({ when: formatTime(e.at, roster), who: e.actor.name, what: describeEvent(e) })),
    canClaim: !c.assignee && c.status !== 'closed',
    people: assignable(c, roster).map((id) => ({ id, name: roster.person(id)?.name ?? id })),
    statuses: allowedNext(c.status).map((s) => ({ id: s, label: c.status === 'closed' ? 'Reopen (In progress)' : STATUS_LABELS[s] })),
    agencies: AGENCIES,
    // Handled by bot/retention: a DSL or the Head places or lifts it; the server checks who.
    hold: c.legalHold
      ? { title: 'Lift legal hold', verb: 'retention.release', label: 'Why the hold is being lifted', explain: 'Lifting the hold lets the usual retention period apply again.' }
      : { title: 'Legal hold', verb: 'retention.hold', label: 'Why the case must be kept (claim, inquiry, police request)', explain: 'While a case is held, nothing deletes it or its chronology, whatever its retention period.' },
    v: { note: typed.note ?? '', status: typed.status ?? '', agency: typed.agency ?? '', reference: typed.reference ?? '', reason: typed.reason ?? '', holdReason: typed.holdReason ?? '' },
    e: { assignee: errors.assignee ?? '', note: errors.note ?? '', status: errors.status ?? '', agency: errors.agency ?? '', reference: errors.reference ?? '', reason: errors.reason ?? '', holdReason: errors.holdReason ?? '' },
  });
}
