import { isBankHoliday, type Nation } from './holidays';
import { addDays, localParts, weekdayOf, zonedInstant } from './schoolTime';

export interface Term {
  /** YYYY-MM-DD, first day of term. */
  start: string;
  /** YYYY-MM-DD, last day of term. */
  end: string;
}

/** What the school's calendar needs: where it is (bank holidays), its clock, and optionally its terms. */
export interface SchoolCalendar {
  nation: Nation;
  timeZone: string;
  termDates?: Term[];
}

/** Monday to Friday and not a bank holiday of the school's nation. */
export function isWorkingDay(date: string, nation: Nation): boolean {
  const day = weekdayOf(date);
  return day !== 'Saturday' && day !== 'Sunday' && !isBankHoliday(date, nation);
}

/** A working day inside a term; with no term dates configured every working day counts. */
export function isSchoolDay(date: string, calendar: SchoolCalendar): boolean {
  if (!isWorkingDay(date, calendar.nation)) return false;
  const terms = calendar.termDates;
  return !terms?.length || terms.some((t) => t.start <= date && date <= t.end);
}

/**
 * The same wall-clock time `days` working days later in the school's zone: a Friday report with
 * a one-day deadline falls due on Monday, or on Tuesday when Monday is a bank holiday.
 */
export function addWorkingDays(from: Date, days: number, calendar: Pick<SchoolCalendar, 'nation' | 'timeZone'>): Date {
  const local = localParts(from, calendar.timeZone);
  let date = local.date;
  let left = days;
  while (left > 0) {
    date = addDays(date, 1);
    if (isWorkingDay(date, calendar.nation)) left -= 1;
  }
  // Wall-clock minutes carry over; the seconds within the minute are added back as they were.
  const seconds = from.getTime() - zonedInstant(local.date, local.time, calendar.timeZone).getTime();
  return new Date(zonedInstant(date, local.time, calendar.timeZone).getTime() + seconds);
}

/** The first school day on or after `date`. */
export function nextSchoolDay(date: string, calendar: SchoolCalendar): string {
  let d = date;
  // A school year has far fewer than 400 consecutive non-school days; the bound only stops a bad config looping.
  for (let i = 0; i < 400 && !isSchoolDay(d, calendar); i++) d = addDays(d, 1);
  return d;
}
