import Holidays from 'date-holidays';

/** The UK nations whose bank holidays differ; England and Wales share one calendar. */
export const NATIONS = ['england', 'wales', 'scotland', 'northern-ireland'] as const;
export type Nation = (typeof NATIONS)[number];

const REGION: Record<Nation, string> = { england: 'ENG', wales: 'WLS', scotland: 'SCT', 'northern-ireland': 'NIR' };

const byNationYear = new Map<string, Set<string>>();

/**
 * The nation's bank holidays in `year` as YYYY-MM-DD, substitute days included. The dates come
 * from date-holidays (kept up to date upstream), never a hand-typed list: a one-off holiday such
 * as a coronation appears when the library learns of it.
 */
export function bankHolidays(nation: Nation, year: number): Set<string> {
  const key = `${nation}:${year}`;
  let days = byNationYear.get(key);
  if (!days) {
    const calendar = new Holidays('GB', REGION[nation]);
    days = new Set(calendar.getHolidays(year).filter((h) => h.type === 'public' || h.type === 'bank').map((h) => h.date.slice(0, 10)));
    byNationYear.set(key, days);
  }
  return days;
}

export function isBankHoliday(date: string, nation: Nation): boolean {
  return bankHolidays(nation, Number(date.slice(0, 4))).has(date);
}
