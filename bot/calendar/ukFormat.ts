import { localParts } from './schoolTime';

/**
 * The one way Lantern writes a date or time for people to read: UK order, the school's own
 * clock (so a summer time reads as BST shows it, never an hour off, and never the word UTC).
 * ISO strings stay in storage and in the machine columns of exports only.
 *
 * Month and day names are spelt out here rather than left to Intl, whose en-GB data has changed
 * between ICU versions ("Sep" became "Sept"): a date must read the same on every server.
 */
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** The school's zone when the configuration names none. */
export const SCHOOL_TIME_ZONE = 'Europe/London';

function calendarParts(date: string): { day: string; month: string; weekday: string; year: string } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
  if (Number.isNaN(d.getTime())) return undefined;
  return { day: String(d.getUTCDate()), month: MONTHS[d.getUTCMonth()], weekday: DAYS[d.getUTCDay()], year: String(d.getUTCFullYear()) };
}

/** "Mon 23 Nov 2026" for a calendar date (YYYY-MM-DD); anything else is shown as it came. */
export function ukDate(date: string): string {
  const p = calendarParts(date);
  return p ? `${p.weekday} ${p.day} ${p.month} ${p.year}` : date;
}

/** "Mon 23 Nov": in week grids and lists whose year is plain from the heading. */
export function ukDayMonth(date: string): string {
  const p = calendarParts(date);
  return p ? `${p.weekday} ${p.day} ${p.month}` : date;
}

const instant = (at: Date | string): Date | undefined => {
  const d = typeof at === 'string' ? new Date(at) : at;
  return Number.isNaN(d.getTime()) ? undefined : d;
};

/** The school's calendar date of an instant, as "Mon 23 Nov 2026". */
export function ukDateOf(at: Date | string, timeZone: string = SCHOOL_TIME_ZONE): string {
  const d = instant(at);
  return d ? ukDate(localParts(d, timeZone).date) : String(at);
}

/** "10:02" on the school's clock. */
export function ukTime(at: Date | string, timeZone: string = SCHOOL_TIME_ZONE): string {
  const d = instant(at);
  return d ? localParts(d, timeZone).time : String(at);
}

/** "Mon 23 Nov 2026, 10:02" on the school's clock. */
export function ukDateTime(at: Date | string, timeZone: string = SCHOOL_TIME_ZONE): string {
  const d = instant(at);
  if (!d) return String(at);
  const p = localParts(d, timeZone);
  return `${ukDate(p.date)}, ${p.time}`;
}

/** "Mon 23 Nov 2026, 10:02" for a school-clock date and time already split (a session, a call). */
export function ukDateAndTime(date: string, time: string): string {
  return time ? `${ukDate(date)}, ${time}` : ukDate(date);
}

/** "1 minute", "15 minutes", "1 hour", "2 days": a count and its unit, plural only when it is. */
export function countOf(n: number, unit: string, plural = `${unit}s`): string {
  return `${n} ${n === 1 ? unit : plural}`;
}

/** "within 1 minute", "4 hours": minutes as a person would say them (whole hours as hours). */
export function minutesText(minutes: number): string {
  return minutes >= 60 && minutes % 60 === 0 ? countOf(minutes / 60, 'hour') : countOf(minutes, 'minute');
}
