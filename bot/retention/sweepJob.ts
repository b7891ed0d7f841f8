import type { Capability, Services } from '../chat/capability';
import type { Roster } from '../config/roster';
import { addDays, localParts, zonedInstant } from '../calendar/schoolTime';
import type { RetentionLedger } from './ledger';
import { schoolDate } from './periods';
import type { RecordKind } from './recordKinds';
import type { RetentionSettings } from './settings';
import { sweep } from './sweep';

export const SWEEP_JOB = { kind: 'retention.sweep', id: 'retention-daily-sweep' } as const;
const RETRY_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/**
 * Days a finished submit's outbox marks are kept. Teams redelivers a press within minutes and a
 * task's retries end within about an hour, but pressing Send again on a sent form shows its receipt
 * from them, and a sent form's draft is kept `draftsDays`: were the marks to go first, that press
 * would send the report again. So as long as drafts are (the draft goes in the same sweep or an
 * earlier one), and at least a week for a card pressed again days later because its update never
 * arrived. Not a setting of its own: a shorter one would be unsafe and a longer one buys nothing.
 */
export const finishedTaskDays = (settings: RetentionSettings) => Math.max(settings.draftsDays, 7);

/** The next time the school clock shows `time`, strictly after `after`. */
export function nextDaily(after: Date, time: string, timeZone: string): Date {
  const today = localParts(after, timeZone).date;
  const candidate = zonedInstant(today, time, timeZone);
  return candidate.getTime() > after.getTime() ? candidate : zonedInstant(addDays(today, 1), time, timeZone);
}

/**
 * Puts the daily sweep in place at start-up. One job row with a fixed id, claimed by whichever
 * instance's tick reaches it first, so several instances never sweep at once; an existing job is
 * left alone, so a restart neither skips nor repeats a day.
 */
export async function scheduleSweep(services: Services, settings: RetentionSettings): Promise<void> {
  const timeZone = (await services.config.current()).config.school.timezone;
  const now = services.now();
  const existing = await services.scheduler.get(SWEEP_JOB.id);
  // A new sweepAt moves a run that is still to come; an overdue one runs as it is.
  const moved = existing && new Date(existing.due) > now && localParts(new Date(existing.due), timeZone).time !== settings.sweepAt;
  if (existing && !moved) return;
  await services.scheduler.schedule(SWEEP_JOB.kind, nextDaily(now, settings.sweepAt, timeZone), {}, SWEEP_JOB.id);
}

export function sweepJob(services: Services, settings: RetentionSettings, ledger: RetentionLedger, kindsFor: (roster: Roster) => RecordKind[]): NonNullable<Capability['jobs']>[string] {
  return async () => {
    const roster = await services.config.current();
    const timeZone = roster.config.school.timezone;
    const now = services.now();
    try {
      const results = await sweep(kindsFor(roster), ledger, services.audit, schoolDate(now.toISOString(), timeZone));
      // After the kinds, and a day more than the period: a sent form's draft (counted in school
      // days, which a clock change makes 23 or 25 hours) has always gone before the marks that answer its Send.
      const forgotten = await services.outbox.forgetFinished(new Date(now.getTime() - (finishedTaskDays(settings) + 1) * DAY_MS));
      const deleted = results.filter((r) => r.deleted).map((r) => `${r.kind} ${r.deleted}`);
      services.log(`retention: swept ${deleted.length ? deleted.join(', ') : 'nothing due'}${forgotten ? `; forgot ${forgotten} finished submits' outbox marks` : ''}`);
    } catch (err) {
      // Whatever was done is counted (the ledger's pending batch); the rest is tried again soon.
      await services.scheduler.schedule(SWEEP_JOB.kind, new Date(now.getTime() + RETRY_MS), {}, SWEEP_JOB.id);
      throw err;
    }
    await services.scheduler.schedule(SWEEP_JOB.kind, nextDaily(now, settings.sweepAt, timeZone), {}, SWEEP_JOB.id);
  };
}
