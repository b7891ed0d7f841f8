import { randomUUID } from 'node:crypto';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { Roster } from '../config/roster';
import { CALL_LIMITS, type CallPlanForm } from './callForm';
import { CALL_STATE_NAMES, initials, type CallRecord, type SecureNote } from './callRecord';
import { PERMISSION_STEP } from './callRules';
import { deciderName } from './permissionDecider';
import type { CallSettings } from './callSettings';
import { ukDate, ukDateAndTime, ukDateTime, ukDayMonth } from '../calendar/ukFormat';

const KIND_LABELS = { video: 'Video (Teams)', audio: 'Audio (Teams)', phone: 'Phone' } as const;

export function callIncidentHandover(record: CallRecord) {
  return { source: '1-1 call', context: `1-1 ${record.pastoral ? 'pastoral ' : ''}call ${record.id} with pupil ${initials(record.pupil.name)} (${record.pupil.year}) on ${ukDate(record.date)}`.slice(0, 200) };
}

/** `formId` makes one call of one form (see formId.ts); re-shown with errors, it keeps its id. */
export function callPlanFormCard(settings: CallSettings, roster: Roster, form: CallPlanForm, note = '', formId: string = randomUUID()): AdaptiveCard {
  return renderCard('call-plan-form', {
    note,
    formId,
    values: form.values,
    errors: form.errors,
    limits: CALL_LIMITS,
    years: roster.sections().flatMap((s) => s.years.map((y) => ({ title: `${y} (${s.name})`, value: y }))),
    purposes: settings.rules.map((r) => ({ title: r.label, value: r.purpose })),
    departments: Object.keys(roster.config.roles.headsOfDepartment).map((d) => ({ title: d, value: d })),
  });
}

/** The teacher's own view: the pupil by name, since it is their 1:1 chat. */
function teacherFacts(r: Pick<CallRecord, 'kind' | 'pupil' | 'section' | 'date' | 'time' | 'purposeLabel'>) {
  return [
    { title: 'Call', value: KIND_LABELS[r.kind] },
    { title: 'Pupil', value: `${r.pupil.name} (${r.pupil.year}, ${r.section})` },
    { title: 'Purpose', value: r.purposeLabel },
    { title: 'When', value: ukDateAndTime(r.date, r.time) },
  ];
}

export function refusedCard(plan: Pick<CallRecord, 'kind' | 'pupil' | 'section' | 'date' | 'time' | 'purposeLabel'>, refusal: string): AdaptiveCard {
  return renderCard('call-plan-result', { headline: 'Not allowed: this call cannot go ahead', refused: true, refusal, facts: teacherFacts(plan), requirements: [], comment: '', canRecord: false, id: '' });
}

/** The teacher card's first line for the call as it stands. */
export function teacherHeadline(record: CallRecord): string {
  const p = record.permission;
  switch (record.state) {
    case 'awaiting-permission':
      if (p!.alternate === 'none') return `Needs permission first, from someone other than you: you hold this permission yourself, and the roster has no Head or other DSL for the ${record.section} section to ask. Ask the Head's office who can give it.`;
      return `Needs permission first: the request has gone to ${deciderName(p!)}.`;
    case 'declined':
      return `Permission declined by ${p?.decidedBy?.name ?? 'the deputy head'}: do not hold call ${record.id}.`;
    case 'held':
      return `Logged: call ${record.id}.`;
    case 'planned':
      return p?.decision === 'approved' ? `Permission given by ${p.decidedBy?.name ?? 'the deputy head'}: your call ${record.id} can go ahead.` : 'Allowed: this call can go ahead.';
  }
}

export function teacherCallCard(record: CallRecord, headline: string): AdaptiveCard {
  const facts = [{ title: 'Reference', value: record.id }, ...teacherFacts(record), { title: 'Status', value: CALL_STATE_NAMES[record.state] }];
  if (record.permission) facts.push({ title: 'Permission', value: `${deciderName(record.permission)}${record.permission.decidedBy ? `: ${record.permission.decision} by ${record.permission.decidedBy.name}` : ': requested'}` });
  return renderCard('call-plan-result', {
    headline,
    refused: record.state === 'declined',
    refusal: '',
    facts,
    // Once permission is given, asking for it is no longer something left to do.
    requirements: record.state === 'declined' ? [] : record.permission?.decision === 'approved' ? record.requirements.filter((r) => !r.startsWith(PERMISSION_STEP)) : record.requirements,
    comment: record.permission?.comment ?? '',
    canRecord: record.state === 'planned',
    id: record.id,
  });
}

/**
 * The deputy head's request card. It may sit in a channel, so the pupil appears as initials and
 * year only, and the teacher's reason only when it goes to the deputy head 1:1.
 */
export function permissionCard(record: CallRecord, showReason: boolean, notice = ''): AdaptiveCard {
  const open = record.state === 'awaiting-permission';
  const p = record.permission!;
  return renderCard('call-permission', {
    id: record.id,
    open,
    notice,
    status: open ? `Waiting for ${deciderName(p)}` : `${p.decision === 'approved' ? 'Approved' : 'Declined'} by ${p.decidedBy?.name ?? 'unknown'}`,
    facts: [
      { title: 'Call', value: KIND_LABELS[record.kind] },
      { title: 'Purpose', value: record.purposeLabel },
      showReason ? { title: 'Pupil', value: `${initials(record.pupil.name)} (${record.pupil.year}, ${record.section})` } : { title: 'Section', value: record.section },
      { title: 'When', value: ukDateAndTime(record.date, record.time) },
      { title: 'Requested by', value: record.teacher.name },
    ],
    reason: showReason && open ? record.reason ?? '' : '',
  });
}

export function recordFormCard(record: CallRecord, values: Record<string, string>, errors: Record<string, string>, note = ''): AdaptiveCard {
  return renderCard('call-record-form', { id: record.id, facts: teacherFacts(record), pastoral: record.pastoral, values: { date: '', time: '', note: '', ...values }, errors, limits: CALL_LIMITS, note });
}

export function recordedCard(record: CallRecord, hasNote: boolean): AdaptiveCard {
  return renderCard('call-recorded', {
    id: record.id,
    headline: `Logged: call ${record.id}.`,
    facts: [...teacherFacts(record), { title: 'Held', value: record.held ? ukDateAndTime(record.held.date, record.held.time) : '' }, { title: 'Permission', value: record.permission ? `${record.permission.decision} by ${record.permission.decidedBy?.name}` : 'not needed' }],
    hasNote,
    incident: callIncidentHandover(record),
  });
}

export function myCallsCard(calls: CallRecord[]): AdaptiveCard {
  return renderCard('call-mine', {
    empty: calls.length === 0,
    calls: calls.map((c) => ({ id: c.id, line: `${KIND_LABELS[c.kind]} · ${c.purposeLabel} · ${c.pupil.name} (${c.pupil.year}) · ${ukDayMonth(c.date)} ${c.time}`, state: CALL_STATE_NAMES[c.state], canRecord: c.state === 'planned' })),
  });
}

/** Tells the DSL and the deputy head (pastoral) that a note exists: never its words, only a button to open it. */
export function noteNoticeCard(record: CallRecord, note: Pick<SecureNote, 'author' | 'writtenAt'>, timeZone: string): AdaptiveCard {
  return renderCard('call-note-notice', {
    id: record.id,
    facts: [
      { title: 'Call', value: `${KIND_LABELS[record.kind]}, ${record.purposeLabel}` },
      { title: 'Section', value: record.section },
      { title: 'Written by', value: note.author.name },
      { title: 'Written', value: ukDateTime(note.writtenAt, timeZone) },
    ],
  });
}

export function noteCard(record: CallRecord, note: SecureNote, timeZone: string): AdaptiveCard {
  return renderCard('call-note', {
    id: record.id,
    facts: [...teacherFacts(record), { title: 'Written by', value: note.author.name }, { title: 'Written at', value: ukDateTime(note.writtenAt, timeZone) }],
    text: note.text,
  });
}
