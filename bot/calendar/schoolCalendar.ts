import type { SchoolConfig } from '../config/schoolConfigSchema';
import type { SchoolCalendar } from './workingDays';

/** The school's calendar as its configuration states it (England when no nation is given). */
export function schoolCalendar(config: SchoolConfig): SchoolCalendar {
  return { nation: config.school.nation ?? 'england', timeZone: config.school.timezone, termDates: config.school.termDates };
}
