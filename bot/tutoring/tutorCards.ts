import { randomUUID } from 'node:crypto';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { countOf, ukDate, ukDateAndTime, ukDayMonth, ukTime } from '../calendar/ukFormat';
import { LIMITS, SESSION_MODES, type TutorLog } from './tutorLog';
import type { TutorFormState } from './tutorLogForm';
import { cellText, type WeekGrid } from './weekGrid';

export function incidentHandover(log: Pick<TutorLog, 'group' | 'date' | 'time'>) {
  return { source: 'tutor session', context: `Tutor group ${log.group} session on ${ukDate(log.date)} at ${log.time}`.slice(0, 200) };
}

/** `formId` makes one new log of one form: saving it again (or Teams redelivering) is the same log. */
export function tutorFormCard(groups: string[], form: TutorFormState, id: string, note?: string, formId: string = randomUUID()): AdaptiveCard {
  return renderCard('tutor-log-form', {
    title: id ? 'Correct a tutor session log' : 'Log a tutor session',
    note: note ?? '',
    id,
    formId,
    groups: groups.map((g) => ({ title: g, value: g })),
    modes: Object.entries(SESSION_MODES).map(([value, title]) => ({ title, value })),
    // The number input only takes a number: anything else typed is shown as empty, with its error.
    values: { ...form.values, attended: /^-?\d{1,6}$/.test(form.values.attended) ? form.values.attended : '' },
    errors: form.errors,
    limits: LIMITS,
  });
}

function facts(log: TutorLog) {
  return [
    { title: 'Group', value: log.group },
    { title: 'When', value: ukDateAndTime(log.date, log.time) },
    { title: 'How', value: SESSION_MODES[log.mode] },
    { title: 'Present', value: log.attended === undefined ? 'not given' : String(log.attended) },
    { title: 'Absent', value: log.absentees ?? 'not given' },
    { title: 'Topic', value: log.topic },
  ];
}

export function tutorSavedCard(log: TutorLog, headline: string, canCorrect: boolean, timeZone: string): AdaptiveCard {
  return renderCard('tutor-log-saved', {
    headline,
    id: log.id,
    facts: facts(log),
    canCorrect,
    concern: log.concern,
    incident: incidentHandover(log),
    corrected: log.correctedAt ? `Corrected at ${ukTime(log.correctedAt, timeZone)}.` : '',
  });
}

export function myLogsCard(logs: TutorLog[], today: string, canCorrect: (log: TutorLog) => boolean): AdaptiveCard {
  return renderCard('tutor-my-logs', {
    empty: logs.length === 0,
    logs: logs.map((l) => ({
      id: l.id,
      line: `**${l.group}** · ${ukDayMonth(l.date)} ${l.time} · ${SESSION_MODES[l.mode]}`,
      topic: l.topic,
      canCorrect: canCorrect(l) && l.loggedOn === today,
    })),
  });
}

/**
 * A tutor Lantern knows only by address is shown by its first part on the card: a whole school
 * address is one unbroken word wider than a phone. The exports keep it whole.
 */
function gridName(name: string): string {
  const at = name.indexOf('@');
  return at > 0 ? name.slice(0, at) : name;
}

/**
 * One block per tutor group with a line per session day under it, not a column per day: six
 * columns at phone width squeezed names to a letter a line. "MISSING" is said in words (the
 * colour only repeats it), and a day still to come says so rather than showing a bare mark.
 */
export function weekCard(grid: WeekGrid, heading: string, withButtons: boolean, previousWeek: string, nextWeek: string): AdaptiveCard {
  const expected = grid.rows.length * grid.days.length;
  return renderCard('tutor-week', {
    heading,
    summary: `${countOf(grid.logged, 'session')} logged for ${countOf(grid.rows.length, 'tutor group')} × ${countOf(grid.days.length, 'day')} (${expected} expected); ${grid.missing.length} missing so far.`,
    rows: grid.rows.map((r) => ({
      group: r.group,
      tutor: gridName(r.tutorName),
      cells: r.cells.map((c, i) => ({ label: grid.days[i].label, text: cellText(c) || 'not yet due', missing: c.status === 'missing' })),
    })),
    withButtons,
    week: grid.week,
    previousWeek,
    nextWeek,
  });
}
