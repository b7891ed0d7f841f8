import type { Capability, Services } from '../chat/capability';
import { isSchoolDay, nextSchoolDay, schoolCalendar } from '../calendar';
import type { Roster } from '../config/roster';
import { catchUp } from '../scheduler/catchUp';
import type { Job } from '../scheduler/scheduler';
import { addDays, localParts, nextWeekly, weekStart, zonedInstant, type Weekday } from '../calendar/schoolTime';
import { ukDate, ukDateTime, ukDayMonth } from '../calendar/ukFormat';
import { nameOf, reachOf } from './staff';
import { weekCard } from './tutorCards';
import { timezoneOf, weekGridFor } from './weekRecord';
import type { TutorLogStore } from './tutorLogStore';
import type { TutoringSettings } from './tutoringSettings';

const LANTERN = { id: 'lantern', name: 'Lantern' };

export const SUMMARY_JOB = { kind: 'tutoring.weekly-summary', id: 'tutoring-weekly-summary' } as const;
export const REMINDER_JOB = { kind: 'tutoring.tutor-reminder', id: 'tutoring-tutor-reminder' } as const;

/**
 * Puts the repeating jobs in place at start-up. An existing job is left alone: it may be overdue
 * after downtime, and moving it to next week would skip this week's run.
 */
export async function scheduleTutorJobs(services: Services, settings: TutoringSettings): Promise<void> {
  const tz = timezoneOf(await services.config.current());
  const now = services.now();
  if (!(await services.scheduler.get(SUMMARY_JOB.id))) {
    await services.scheduler.schedule(SUMMARY_JOB.kind, nextWeekly(now, settings.weeklySummary.day, settings.weeklySummary.time, tz), {}, SUMMARY_JOB.id);
  }
  if (!settings.tutorReminder.enabled) await services.scheduler.cancel(REMINDER_JOB.id);
  else if (!(await services.scheduler.get(REMINDER_JOB.id))) {
    await services.scheduler.schedule(REMINDER_JOB.kind, nextWeekly(now, settings.tutorReminder.day, settings.tutorReminder.time, tz), {}, REMINDER_JOB.id);
  }
}

/** Tutoring was taken out of the configuration: nothing more is sent. */
export async function cancelTutorJobs(services: Services): Promise<void> {
  await services.scheduler.cancel(SUMMARY_JOB.id);
  await services.scheduler.cancel(REMINDER_JOB.id);
}

export function tutorJobs(services: Services, settings: TutoringSettings, store: TutorLogStore): NonNullable<Capability['jobs']> {
  // A run moved off a holiday carries the week it is about, since it may now fall in the next one.
  const weekOfJob = (job: { due: string; payload: Record<string, unknown> }, tz: string) => (typeof job.payload.week === 'string' ? job.payload.week : weekStart(localParts(new Date(job.due), tz).date));

  /**
   * A run due on a day the school is shut (a bank holiday, or between terms) moves to the next
   * school day at the same time, unless that is more than a week away (then this week is skipped).
   */
  async function movedOffHoliday(job: { due: string; payload: Record<string, unknown> }, kind: string, id: string, roster: Roster, week: string): Promise<boolean> {
    const calendar = schoolCalendar(roster.config);
    const due = localParts(new Date(job.due), calendar.timeZone);
    if (isSchoolDay(due.date, calendar)) return false;
    const next = nextSchoolDay(due.date, calendar);
    if (next >= addDays(week, 14)) return false;
    await services.scheduler.schedule(kind, zonedInstant(next, due.time, calendar.timeZone), { week }, id);
    return true;
  }

  /**
   * A job found several weeks overdue (Lantern was down) runs once, for the latest week; each
   * week before it is dropped with an audit line saying so, instead of a burst of stale messages.
   */
  async function latestOnly(job: Pick<Job, 'due' | 'payload'>, rule: { day: Weekday; time: string }, tz: string, what: 'summary' | 'reminder'): Promise<Pick<Job, 'due' | 'payload'>> {
    const { run, dropped } = catchUp(new Date(job.due), services.now(), (after) => nextWeekly(after, rule.day, rule.time, tz));
    if (!dropped.length) return job;
    for (const [i, due] of dropped.entries()) {
      const week = weekOfJob(i === 0 ? job : { due: due.toISOString(), payload: {} }, tz);
      await services.audit.append({
        actor: LANTERN,
        action: `tutor-week.${what}-dropped`,
        entityType: 'tutor-week',
        entityId: week,
        reason: `Lantern was not running when the ${what} was due (${ukDateTime(due, tz)}); only the latest week's ${what} is sent`,
        detail: { due: due.toISOString(), latest: run.toISOString() },
      });
    }
    services.log(`tutoring: ${dropped.length} missed weekly ${what}(s) dropped after downtime; sending the latest only`);
    return { due: run.toISOString(), payload: {} };
  }

  return {
    async [SUMMARY_JOB.kind](overdue) {
      const roster = await services.config.current();
      const tz = timezoneOf(roster);
      const job = await latestOnly(overdue, settings.weeklySummary, tz, 'summary');
      const week = weekOfJob(job, tz);
      const grid = await weekGridFor(store, settings, roster, week, services.now());
      if (grid.days.length && (await movedOffHoliday(job, SUMMARY_JOB.kind, SUMMARY_JOB.id, roster, week))) return;
      const next = () => services.scheduler.schedule(SUMMARY_JOB.kind, nextWeekly(new Date(job.due), settings.weeklySummary.day, settings.weeklySummary.time, tz), {}, SUMMARY_JOB.id);
      if (!grid.days.length) {
        // A week with no school days (holidays) has nothing to summarise.
        await services.audit.append({ actor: LANTERN, action: 'tutor-week.summary-skipped', entityType: 'tutor-week', entityId: week, reason: 'no school days this week (holiday)' });
        return void (await next());
      }
      // The channel card shows groups and staff only: no pupil details leave the 1:1 export.
      const card = weekCard(grid, `Weekly tutor record, week of ${ukDate(week)}`, false, addDays(week, -7), addDays(week, 7));
      const text = 'The weekly tutor record. Type **tutor log week** or **export tutor log** in a 1:1 chat with me for the full record.';
      const channel = await services.destinations.get('pastoral');
      if (channel) await services.messenger.post(channel.address, { text, card });
      else {
        const head = roster.holder('deputyHeadPastoral');
        const sent = head && (await services.messenger.toPerson({ aadObjectId: head.aadObjectId, email: head.email }, { text, card }));
        if (!sent) services.log(`tutoring: the weekly record for ${week} could not reach the deputy head (pastoral): no pastoral channel is registered and they have not chatted with Lantern`);
      }
      for (const ref of settings.weeklySummary.alsoTo) {
        if (!(await services.messenger.toPerson(reachOf(ref, roster), { text, card }))) services.log(`tutoring: weekly record not delivered to ${ref} (not yet known to Lantern in Teams)`);
      }
      await services.audit.append({ actor: LANTERN, action: 'tutor-week.summary-sent', entityType: 'tutor-week', entityId: week, detail: { logged: grid.logged, missing: grid.missing.length, channel: !!channel } });
      await next();
    },
    async [REMINDER_JOB.kind](overdue) {
      const roster = await services.config.current();
      const tz = timezoneOf(roster);
      const job = await latestOnly(overdue, settings.tutorReminder, tz, 'reminder');
      const week = weekOfJob(job, tz);
      const grid = await weekGridFor(store, settings, roster, week, services.now());
      if (grid.days.length && (await movedOffHoliday(job, REMINDER_JOB.kind, REMINDER_JOB.id, roster, week))) return;
      for (const row of grid.rows) {
        const missing = row.cells.filter((c) => c.status === 'missing');
        if (!missing.length) continue;
        const group = settings.tutorGroups.find((g) => g.name === row.group)!;
        const text = `A reminder: no tutor session for **${row.group}** is logged on ${missing.map((c) => ukDayMonth(c.date)).join(', ')}. Type **log tutor session** to add it.`;
        if (!(await services.messenger.toPerson(reachOf(group.tutor, roster), { text }))) {
          services.log(`tutoring: could not remind ${nameOf(group.tutor, roster)} about ${row.group} (not yet known to Lantern in Teams)`);
        }
      }
      await services.scheduler.schedule(REMINDER_JOB.kind, nextWeekly(new Date(job.due), settings.tutorReminder.day, settings.tutorReminder.time, tz), {}, REMINDER_JOB.id);
    },
  };
}
