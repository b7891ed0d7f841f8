import type { Actor } from '../chat/turn';
import type { Roster } from '../config/roster';
import { isSchoolDay, schoolCalendar } from '../calendar';
import { localParts } from '../calendar/schoolTime';
import { nameOf } from './staff';
import type { TutorLogStore } from './tutorLogStore';
import type { TutoringSettings } from './tutoringSettings';
import { buildWeekGrid, type WeekGrid } from './weekGrid';

const RECORD_ROLES = ['deputy-head-pastoral', 'dsl', 'admin'] as const;

export function canSeeWeeklyRecord(actor: Actor, roster: Roster): boolean {
  return roster.has(actor.personId, ...RECORD_ROLES);
}

export function timezoneOf(roster: Roster): string {
  return roster.config.school.timezone;
}

export async function weekGridFor(store: TutorLogStore, settings: TutoringSettings, roster: Roster, week: string, now: Date): Promise<WeekGrid> {
  const today = localParts(now, timezoneOf(roster)).date;
  const calendar = schoolCalendar(roster.config);
  return buildWeekGrid(week, settings.tutorGroups, settings.sessionDays, await store.week(week), today, (ref) => nameOf(ref, roster), (date) => isSchoolDay(date, calendar));
}
