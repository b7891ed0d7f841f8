import type { Roster } from '../config/roster';
import { CALL_KINDS, type CallKind, type CallSettings } from './callSettings';
import { isClockTime, isIsoDate } from '../calendar/schoolTime';

export const CALL_LIMITS = { pupil: 60, reason: 500, note: 2000 } as const;

type PlanField = 'kind' | 'pupil' | 'year' | 'purpose' | 'department' | 'date' | 'time' | 'reason';

export interface CallPlanForm {
  values: Record<PlanField, string>;
  errors: Partial<Record<PlanField, string>>;
}

export interface CallPlan {
  kind: CallKind;
  pupil: { name: string; year: string };
  section: string;
  purpose: string;
  department?: string;
  date: string;
  time: string;
  reason?: string;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim().replace(/\s+/g, ' ') : '');

/**
 * A name as keyboards type it: phones put a curly apostrophe (O’Brien), some systems send an
 * accent as a letter plus a combining mark, and many scripts' vowel signs are marks, not letters.
 */
const PUPIL_NAME = /^\p{L}[\p{L}\p{M} .'\u2019\u02BC-]*$/u;

export function planValues(data: Record<string, unknown>): CallPlanForm['values'] {
  return {
    kind: text(data.kind),
    pupil: text(data.pupil).normalize('NFC'),
    year: text(data.year),
    purpose: text(data.purpose),
    department: text(data.department),
    date: text(data.date),
    time: text(data.time),
    reason: typeof data.reason === 'string' ? data.reason.trim() : '',
  };
}

export function readCallPlan(data: Record<string, unknown>, settings: CallSettings, roster: Roster, today: string): { plan: CallPlan } | { form: CallPlanForm } {
  const values = planValues(data);
  const errors: CallPlanForm['errors'] = {};
  if (!CALL_KINDS.includes(values.kind as CallKind)) errors.kind = 'Choose video, audio or phone.';
  if (!values.pupil) errors.pupil = "Give the pupil's name.";
  else if (values.pupil.length > CALL_LIMITS.pupil) errors.pupil = `The name can be up to ${CALL_LIMITS.pupil} characters.`;
  else if (!PUPIL_NAME.test(values.pupil)) errors.pupil = "Just the pupil's name, please: letters, spaces, hyphens and apostrophes.";
  const section = roster.sectionForYear(values.year);
  if (!section) errors.year = "Choose the pupil's year group.";
  const rule = settings.rules.find((r) => r.purpose === values.purpose);
  if (!rule) errors.purpose = 'Choose the purpose of the call.';
  const departments = Object.keys(roster.config.roles.headsOfDepartment);
  if (values.department && !departments.includes(values.department)) errors.department = 'Choose a department from the list, or leave it empty.';
  if (!isIsoDate(values.date)) errors.date = 'Give the date of the call.';
  else if (values.date < today) errors.date = 'A call is planned in advance: the date cannot be in the past.';
  if (!isClockTime(values.time)) errors.time = 'Give the time as HH:MM.';
  if (rule?.permission && !values.reason) errors.reason = 'This purpose needs advance permission: say why the call is needed (no other pupils\' names).';
  if (values.reason.length > CALL_LIMITS.reason) errors.reason = `The reason can be up to ${CALL_LIMITS.reason} characters; this is ${values.reason.length}.`;
  if (Object.keys(errors).length) return { form: { values, errors } };
  return {
    plan: {
      kind: values.kind as CallKind,
      pupil: { name: values.pupil, year: values.year },
      section: section!.name,
      purpose: rule!.purpose,
      department: values.department || undefined,
      date: values.date,
      time: values.time,
      reason: values.reason || undefined,
    },
  };
}

/** After the call: when it was held, and for a pastoral call the secure note. */
export function readCallRecord(data: Record<string, unknown>, pastoral: boolean, today: string): { held: { date: string; time: string; note?: string } } | { errors: Record<string, string>; values: Record<string, string> } {
  const values = { date: text(data.date), time: text(data.time), note: typeof data.note === 'string' ? data.note.trim() : '' };
  const errors: Record<string, string> = {};
  if (!isIsoDate(values.date)) errors.date = 'Give the date the call took place.';
  else if (values.date > today) errors.date = 'Log a call once it has happened: the date cannot be in the future.';
  if (!isClockTime(values.time)) errors.time = 'Give the time as HH:MM.';
  if (pastoral && !values.note) errors.note = 'A secure note must follow every 1-1 pastoral call.';
  if (values.note.length > CALL_LIMITS.note) errors.note = `The note can be up to ${CALL_LIMITS.note} characters; this is ${values.note.length}.`;
  if (Object.keys(errors).length) return { errors, values };
  return { held: { date: values.date, time: values.time, note: values.note || undefined } };
}
