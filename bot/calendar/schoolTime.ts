/**
 * Dates as the school sees them. Sessions, weeks and job times are in the school's timezone
 * (Europe/London switches between GMT and BST), so every conversion goes through Intl with that
 * zone rather than the server's clock.
 */
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface LocalParts {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM, 24-hour */
  time: string;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'long' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function localParts(at: Date, timeZone: string): LocalParts {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}`, weekday: parts.weekday as Weekday };
}

/** The instant when the school's wall clock shows `date` `time`. */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const wanted = Date.parse(`${date}T${time}:00Z`);
  let guess = wanted;
  // Two passes settle the offset, including on the days the clocks change.
  for (let i = 0; i < 2; i++) {
    const seen = localParts(new Date(guess), timeZone);
    guess += wanted - Date.parse(`${seen.date}T${seen.time}:00Z`);
  }
  return new Date(guess);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[(new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7];
}

/** The Monday of the week holding `date`: weeks are keyed by it. */
export function weekStart(date: string): string {
  return addDays(date, -WEEKDAYS.indexOf(weekdayOf(date)));
}

export function dateOfWeekday(week: string, day: Weekday): string {
  return addDays(week, WEEKDAYS.indexOf(day));
}

/** The next time the school clock shows `day` at `time`, strictly after `after`. */
export function nextWeekly(after: Date, day: Weekday, time: string, timeZone: string): Date {
  const today = localParts(after, timeZone).date;
  let candidate = zonedInstant(dateOfWeekday(weekStart(today), day), time, timeZone);
  while (candidate.getTime() <= after.getTime()) candidate = zonedInstant(addDays(localParts(candidate, timeZone).date, 7), time, timeZone);
  return candidate;
}

export function isIsoDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
}

export function isClockTime(text: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(text);
}
