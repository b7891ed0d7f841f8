import { ukDate } from '../calendar/ukFormat';
import { localParts } from '../calendar/schoolTime';

/** A calendar date `n` years on; 29 February becomes 1 March in a year without one. */
export function addYears(date: string, n: number): string {
  return addMonths(date, 12 * n);
}

export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + n, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  // Past the month's end rolls into the next month, as "a year after 29 February" means 1 March.
  const out = d > lastDay ? new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), lastDay + 1)) : new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), d));
  return out.toISOString().slice(0, 10);
}

/** The school-local calendar date of an instant (periods are counted in whole school days). */
export function schoolDate(iso: string, timeZone: string): string {
  return localParts(new Date(iso), timeZone).date;
}

/** "Thu 3 Dec 2026": the one date style, which always shows the year that retention dates need. */
export function longDate(date: string): string {
  return ukDate(date);
}
