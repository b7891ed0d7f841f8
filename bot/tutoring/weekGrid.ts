import { dateOfWeekday, type Weekday } from '../calendar/schoolTime';
import { ukDayMonth } from '../calendar/ukFormat';
import type { TutorGroup } from './tutoringSettings';
import { SESSION_MODES, type TutorLog } from './tutorLog';

export type CellStatus = 'logged' | 'missing' | 'not-yet';

export interface GridCell {
  day: Weekday;
  date: string;
  status: CellStatus;
  logs: TutorLog[];
}

export interface GridRow {
  group: string;
  tutorName: string;
  cells: GridCell[];
}

export interface WeekGrid {
  week: string;
  days: Array<{ day: Weekday; date: string; label: string }>;
  rows: GridRow[];
  missing: Array<{ group: string; date: string }>;
  logged: number;
}

/**
 * The weekly record: tutor groups × session days. A day up to and including `today` with no log
 * is missing; later days are not yet due. Days the school is shut (bank holidays, between terms)
 * are not session days at all, so nobody is chased for them.
 */
export function buildWeekGrid(week: string, groups: TutorGroup[], sessionDays: Weekday[], logs: TutorLog[], today: string, tutorName: (ref: string) => string, isSchoolDay: (date: string) => boolean = () => true): WeekGrid {
  const days = sessionDays
    .map((day) => ({ day, date: dateOfWeekday(week, day), label: ukDayMonth(dateOfWeekday(week, day)) }))
    .filter((d) => isSchoolDay(d.date))
    .sort((a, b) => a.date.localeCompare(b.date));
  const missing: WeekGrid['missing'] = [];
  const rows = groups.map((g) => ({
    group: g.name,
    tutorName: tutorName(g.tutor),
    cells: days.map(({ day, date }) => {
      const cellLogs = logs.filter((l) => l.group === g.name && l.date === date).sort((a, b) => a.time.localeCompare(b.time));
      const status: CellStatus = cellLogs.length ? 'logged' : date <= today ? 'missing' : 'not-yet';
      if (status === 'missing') missing.push({ group: g.name, date });
      return { day, date, status, logs: cellLogs };
    }),
  }));
  return { week, days, rows, missing, logged: logs.length };
}

/** One line per group per day: the flat form the CSV and the workbook's second sheet share. */
export const EXPORT_COLUMNS = ['Week', 'Group', 'Tutor', 'Day', 'Date', 'Status', 'Time', 'Mode', 'Present', 'Absentees', 'Topic', 'Concern raised', 'Logged by', 'Logged at', 'Corrected at'] as const;

export function exportRows(grid: WeekGrid): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  for (const row of grid.rows) {
    for (const cell of row.cells) {
      const base = [grid.week, row.group, row.tutorName, cell.day, cell.date];
      if (!cell.logs.length) {
        out.push([...base, cell.status === 'missing' ? 'MISSING' : 'not yet due', '', '', '', '', '', '', '', '', '']);
        continue;
      }
      for (const l of cell.logs) {
        out.push([...base, 'logged', l.time, SESSION_MODES[l.mode], l.attended ?? '', l.absentees ?? '', l.topic, l.concern ? 'yes' : 'no', l.loggedBy.name, l.loggedAt, l.correctedAt ?? '']);
      }
    }
  }
  return out;
}

/** What a grid cell says: who logged it, or that it is missing. */
export function cellText(cell: GridCell): string {
  if (cell.status === 'missing') return 'MISSING';
  if (cell.status === 'not-yet') return '';
  return cell.logs.map((l) => `${l.time} ${l.loggedBy.name}`).join('; ');
}
