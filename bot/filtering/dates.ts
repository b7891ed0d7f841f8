const DAY_MS = 24 * 60 * 60_000;

/** YYYY-MM-DD of an instant, in UTC (dates on cards are whole days). */
export function isoDate(when: Date): string {
  return when.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));
}

/** A real calendar date written YYYY-MM-DD, as Input.Date sends it. */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && isoDate(parsed) === text;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Reminders go out at the start of the school day (07:00 UTC is 07:00 or 08:00 in the UK). */
export function morningOf(date: string): Date {
  return new Date(`${date}T07:00:00Z`);
}
