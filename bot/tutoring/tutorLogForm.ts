import { isClockTime, isIsoDate } from '../calendar/schoolTime';
import { LIMITS, SESSION_MODES, type SessionMode, type TutorSession } from './tutorLog';
import { isOwnKey } from '../core/ownLookup';

/** What the form shows: the values as typed (strings), and an error per field. */
export interface TutorFormState {
  values: Record<'group' | 'date' | 'time' | 'mode' | 'attended' | 'absentees' | 'topic' | 'concern', string>;
  errors: Partial<Record<'group' | 'date' | 'time' | 'mode' | 'attendance' | 'absentees' | 'topic', string>>;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

export function formValues(data: Record<string, unknown>): TutorFormState['values'] {
  return {
    group: text(data.group),
    date: text(data.date),
    time: text(data.time),
    mode: text(data.mode),
    attended: text(data.attended),
    absentees: text(data.absentees),
    topic: text(data.topic),
    concern: text(data.concern) === 'true' ? 'true' : 'false',
  };
}

/** Checks a submitted form; a session when it is complete, else the errors to show beside fields. */
export function readTutorForm(data: Record<string, unknown>, groups: string[], today: string): { session: TutorSession } | { form: TutorFormState } {
  const values = formValues(data);
  const errors: TutorFormState['errors'] = {};
  const group = groups.find((g) => g.toLowerCase() === values.group.toLowerCase());
  if (!values.group) errors.group = 'Choose the tutor group.';
  else if (!group) errors.group = `"${values.group.slice(0, 20)}" is not one of the school's tutor groups.`;
  if (!isIsoDate(values.date)) errors.date = 'Give the date of the session.';
  else if (values.date > today) errors.date = 'The session date cannot be in the future.';
  if (!isClockTime(values.time)) errors.time = 'Give the time as HH:MM, e.g. 08:45.';
  if (!isOwnKey(SESSION_MODES, values.mode)) errors.mode = 'Choose in person, video on Teams or audio.';
  let attended: number | undefined;
  if (values.attended) {
    // Digits only: Number() reads "1e1" as 10 and "0x1A" as 26, which no one meant as a head count.
    attended = /^\d{1,4}$/.test(values.attended) ? Number(values.attended) : NaN;
    if (!Number.isInteger(attended) || attended < 0 || attended > LIMITS.attended) errors.attendance = `The number present must be a whole number from 0 to ${LIMITS.attended}.`;
  }
  if (!values.attended && !values.absentees) errors.attendance = 'Give the number present, or list who was absent (or both).';
  if (values.absentees.length > LIMITS.absentees) errors.absentees = `Absentees can be up to ${LIMITS.absentees} characters; this is ${values.absentees.length}.`;
  if (!values.topic) errors.topic = 'Say briefly what the session covered.';
  else if (values.topic.length > LIMITS.topic) errors.topic = `The topic can be up to ${LIMITS.topic} characters; this is ${values.topic.length}.`;
  if (Object.keys(errors).length) return { form: { values, errors } };
  return {
    session: {
      group: group!,
      date: values.date,
      time: values.time,
      mode: values.mode as SessionMode,
      attended,
      absentees: values.absentees || undefined,
      topic: values.topic,
      concern: values.concern === 'true',
    },
  };
}
