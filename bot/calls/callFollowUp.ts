import type { Services } from '../chat/capability';
import type { RecordCards } from '../cards/recordCards';
import { zonedInstant } from '../calendar/schoolTime';
import type { Roster } from '../config/roster';
import { ConflictError } from '../storage/errors';
import { noteNoticeCard, teacherCallCard } from './callCards';
import { initials, type CallRecord, type SecureNote } from './callRecord';
import { teacherPlace } from './callPlaces';
import type { CallSettings } from './callSettings';
import type { CallStore } from './callStore';

export const LOG_REMINDER_JOB = 'call.log-reminder';
export const logReminderJobId = (id: string) => `call-log-reminder-${id}`;

const LANTERN = { id: 'lantern', name: 'Lantern' };
const HOUR_MS = 60 * 60_000;

/**
 * What follows a pastoral call: a reminder to log it and write its secure note when it is still
 * unlogged after it was due (once, audited), and a notice to the DSL and the deputy head
 * (pastoral) that a note exists, with a button to open it. The notice never carries the note:
 * opening it goes through the same role check as typing its reference.
 */
export function callFollowUp(services: Services, settings: CallSettings, store: CallStore, cards: RecordCards) {
  async function scheduleLogReminder(record: CallRecord): Promise<void> {
    const roster = await services.config.current();
    const due = new Date(zonedInstant(record.date, record.time, roster.config.school.timezone).getTime() + settings.logReminderHours * HOUR_MS);
    await services.scheduler.schedule(LOG_REMINDER_JOB, due, { id: record.id }, logReminderJobId(record.id));
  }

  async function remindToLog(id: string): Promise<void> {
    const stored = await store.get(id);
    // Logged, declined or never approved: nothing to log. Reminded already: never twice.
    if (!stored || stored.value.state !== 'planned' || stored.value.logReminderAt) return;
    const record: CallRecord = { ...stored.value, logReminderAt: services.now().toISOString() };
    try {
      await store.replace(record, stored.etag);
    } catch (err) {
      // Logged at this moment: the scheduler runs the job again and the check above decides.
      if (err instanceof ConflictError) throw new Error(`call ${id} changed while its log reminder was being sent`);
      throw err;
    }
    const text = `Your pastoral call ${id} with ${initials(record.pupil.name)} (${record.date}, ${record.time}) is not logged yet. Log it and write its secure note: press **Log this call** on the card, or type **log a call**.`;
    const placed = await cards.deliver(id, teacherPlace(record), 'teacher', { text, card: teacherCallCard(record, 'Not logged yet: log this call and write its secure note.') }, { nudge: text }).catch((err: Error) => {
      services.log(`calls: could not remind ${record.teacher.name} to log ${id}: ${err.message}`);
      return undefined;
    });
    if (placed) await cards.remember(id, [placed]);
    await services.audit.append({ actor: LANTERN, action: 'call.log-reminded', entityType: 'call', entityId: id, reason: `not logged ${settings.logReminderHours} hours after it was due${placed ? '' : '; the teacher could not be reached in Teams'}` });
  }

  async function noteWritten(record: CallRecord, note: SecureNote, roster: Roster): Promise<void> {
    const dsl = roster.section(record.section)?.dsl;
    const readers = [...new Map([dsl ? roster.person(dsl) : undefined, roster.holder('deputyHeadPastoral')].filter((p) => !!p && p.id !== note.author.key).map((p) => [p!.id, p!])).values()];
    const card = noteNoticeCard(record, note, roster.config.school.timezone);
    const reached: string[] = [];
    // Its own record: a notice never replaces the permission card the deputy head may hold for the call.
    const notice = `${record.id}~note`;
    for (const person of readers) {
      const placed = await cards.deliver(notice, { person }, 'note-notice', { text: `A secure note was written for 1-1 call ${record.id}.`, card }).catch((err: Error) => {
        services.log(`calls: could not tell ${person.id} that a note exists for ${record.id}: ${err.message}`);
        return undefined;
      });
      if (!placed) continue;
      reached.push(person.name);
      await cards.remember(notice, [placed]);
    }
    await services.audit.append({ actor: LANTERN, action: 'call-note.notified', entityType: 'call', entityId: record.id, reason: `told a note exists: ${reached.join(', ') || 'no one reachable'}` });
  }

  return {
    scheduleLogReminder,
    noteWritten,
    jobs: {
      [LOG_REMINDER_JOB]: async (job: { payload: Record<string, unknown> }) => remindToLog(typeof job.payload.id === 'string' ? job.payload.id : ''),
    },
  };
}
