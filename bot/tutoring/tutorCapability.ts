import type { Capability, HelpEntry, Services } from '../chat/capability';
import type { ActionResult, Turn } from '../chat/turn';
import type { Roster } from '../config/roster';
import { ConflictError } from '../storage/errors';
import { createOrAdopt } from '../scheduler/outbox';
import { formIdOf } from './formId';
import { addDays, isIsoDate, localParts, weekStart } from '../calendar/schoolTime';
import { countOf, ukDate } from '../calendar/ukFormat';
import { refersTo, staffRef } from './staff';
import { myLogsCard, tutorFormCard, tutorSavedCard, weekCard } from './tutorCards';
import { tutorJobs } from './tutorJobs';
import { sessionChanges, sameStaff, type TutorLog } from './tutorLog';
import { formValues, readTutorForm, type TutorFormState } from './tutorLogForm';
import { TutorLogStore } from './tutorLogStore';
import { tutorLogCsv, tutorLogWorkbook, CSV_MIME, XLSX_MIME } from './tutorLogExport';
import type { TutoringSettings } from './tutoringSettings';
import { canSeeWeeklyRecord, timezoneOf, weekGridFor } from './weekRecord';

const LAST_GROUP = 'tutoring.lastGroup';
const SAVE_TASK = 'tutor.save';
const NOT_ALLOWED_RECORD = 'The weekly tutor record is for the deputy head (pastoral), the DSLs and Lantern admins.';

/** A typed or clicked week may be any date in it; none means this week. */
function chooseWeek(typed: string | undefined, now: Date, roster: Roster): string | undefined {
  if (!typed) return weekStart(localParts(now, timezoneOf(roster)).date);
  return isIsoDate(typed) ? weekStart(typed) : undefined;
}

export function createTutorCapability(services: Services, settings: TutoringSettings): Capability {
  const store = new TutorLogStore(services.tables);
  const groups = settings.tutorGroups.map((g) => g.name);
  const today = (roster: Roster) => localParts(services.now(), timezoneOf(roster));
  const audit = (turn: Turn, action: string, id: string, extra: { reason?: string; changes?: Record<string, { from?: unknown; to?: unknown }> } = {}) =>
    services.audit.append({ actor: { id: staffRef(turn.actor).key, name: turn.actor.name }, action, entityType: 'tutor-log', entityId: id, ...extra });

  services.outbox.define<{ log: TutorLog; by: string }, TutorLog>(SAVE_TASK, async ({ log, by }, run) => {
    const kept = await run.step('log', () => createOrAdopt(async () => (await store.create(log)).value, async () => (await store.get(log.id))!.value));
    await run.step('audit', async () => {
      await services.audit.append({ actor: { id: kept.loggedBy.key, name: by }, action: 'tutor-log.created', entityType: 'tutor-log', entityId: kept.id, changes: sessionChanges({} as TutorLog, kept) });
    });
    return kept;
  });

  const blankForm = (turn: Turn, roster: Roster): TutorFormState => {
    const now = today(roster);
    const own = settings.tutorGroups.find((g) => refersTo(g.tutor, turn.actor))?.name;
    const group = turn.memory.get<string>(LAST_GROUP) ?? own ?? '';
    return { values: { ...formValues({}), group: groups.includes(group) ? group : '', date: now.date, time: now.time, mode: 'in-person' }, errors: {} };
  };

  /** Only the person who logged it, on the day they logged it. */
  const correctable = (log: TutorLog, turn: Turn, roster: Roster) => sameStaff(log.loggedBy, staffRef(turn.actor)) && log.loggedOn === today(roster).date;

  const sendExport = async (turn: Turn, roster: Roster, week: string, formats: Array<'csv' | 'xlsx'>) => {
    const grid = await weekGridFor(store, settings, roster, week, services.now());
    const files = [];
    if (formats.includes('xlsx')) {
      const data = await tutorLogWorkbook(grid, roster.schoolName);
      files.push({ name: `tutor-log-${week}.xlsx`, contentType: XLSX_MIME, contentUrl: `data:${XLSX_MIME};base64,${data.toString('base64')}` });
    }
    if (formats.includes('csv')) {
      files.push({ name: `tutor-log-${week}.csv`, contentType: CSV_MIME, contentUrl: `data:${CSV_MIME};base64,${Buffer.from(tutorLogCsv(grid), 'utf8').toString('base64')}` });
    }
    // The text goes first and the files after it, one consent card each: it says so in that order.
    const follow = files.length === 1 ? 'The file follows: choose Allow to save it to your OneDrive.' : `The ${files.length} files follow: choose Allow on each to save it to your OneDrive.`;
    await turn.send({ text: `The tutor record for the week of ${ukDate(week)}: ${countOf(grid.logged, 'session')} logged, ${grid.missing.length} missing. ${follow}`, files });
    await services.audit.append({ actor: { id: staffRef(turn.actor).key, name: turn.actor.name }, action: 'tutor-log.exported', entityType: 'tutor-week', entityId: week, detail: { formats } });
  };

  const exportRefusal = (turn: Turn, roster: Roster): string | undefined => {
    if (!canSeeWeeklyRecord(turn.actor, roster)) return NOT_ALLOWED_RECORD;
    if (turn.place.kind !== 'personal') return 'The tutor record holds pupil details, so I only send it in a 1:1 chat with you. Message me directly and type **export tutor log**.';
    return undefined;
  };

  const weekView = async (roster: Roster, week: string, withButtons: boolean) =>
    weekCard(await weekGridFor(store, settings, roster, week, services.now()), `Tutor sessions, week of ${ukDate(week)}`, withButtons, addDays(week, -7), addDays(week, 7));

  const save = async (data: Record<string, unknown>, turn: Turn, roster: Roster): Promise<ActionResult> => {
    const now = today(roster);
    const id = typeof data.id === 'string' ? data.id : '';
    const read = readTutorForm(data, groups, now.date);
    if ('form' in read) return { card: tutorFormCard(groups, read.form, id, 'Some answers need another look: each answer to fix is marked ⚠ with what to change.', formIdOf(data)) };
    const session = read.session;
    if (!id) {
      // Keyed by the form (or, for a card without one, the press): pressed again, it is the same log.
      const formId = formIdOf(data) ?? `activity:${turn.activityId}`;
      const log: TutorLog = { ...session, id: TutorLogStore.newId(weekStart(session.date), `${staffRef(turn.actor).key}\u0000${formId}`), week: weekStart(session.date), loggedBy: staffRef(turn.actor), loggedAt: services.now().toISOString(), loggedOn: now.date };
      // Pressed again after the task's marks were forgotten: the log is there, so it was saved.
      const saved = await services.outbox.submit<{ log: TutorLog; by: string }, TutorLog>(SAVE_TASK, `tutor-log-${log.id}`, { log, by: turn.actor.name }, async () => (await store.get(log.id))?.value);
      if (saved.state !== 'done') return { message: saved.state === 'interrupted' ? "The log is saved, but Lantern's storage failed before it was finished. Press **Save log** again in a minute." : 'This log is being saved; type **my tutor logs** in a minute to see it.' };
      turn.memory.set(LAST_GROUP, saved.result.group);
      return { card: tutorSavedCard(saved.result, `Logged: ${saved.result.group} tutor session.`, true, timezoneOf(roster)) };
    }
    const stored = await store.get(id);
    if (!stored) return { message: 'I could not find that tutor log, so nothing was changed. Type **my tutor logs** to see yours.' };
    if (!correctable(stored.value, turn, roster)) return { message: 'Only the person who logged a session can correct it, and only on the day it was logged. Nothing was changed.' };
    if (weekStart(session.date) !== stored.value.week) {
      return { card: tutorFormCard(groups, { values: formValues(data), errors: { date: `A correction must stay in the week of ${ukDate(stored.value.week)}; log a session in another week as a new log.` } }, id, 'Some answers need another look: each answer to fix is marked ⚠ with what to change.') };
    }
    const changes = sessionChanges(stored.value, session);
    if (!Object.keys(changes).length) return { card: tutorSavedCard(stored.value, 'Nothing changed: the log is as it was.', true, timezoneOf(roster)) };
    const updated: TutorLog = { ...stored.value, ...session, correctedAt: services.now().toISOString() };
    try {
      await store.replace(updated, stored.etag);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const fresh = (await store.get(id))!;
      return { card: tutorSavedCard(fresh.value, 'This log was just updated by someone else; here it is now. Nothing of yours was saved.', correctable(fresh.value, turn, roster), timezoneOf(roster)) };
    }
    await audit(turn, 'tutor-log.corrected', id, { changes, reason: 'corrected on the day by the person who logged it' });
    turn.memory.set(LAST_GROUP, updated.group);
    return { card: tutorSavedCard(updated, `Corrected: ${updated.group} tutor session.`, true, timezoneOf(roster)) };
  };

  return {
    name: 'tutoring',
    commands: [
      {
        name: 'log tutor session',
        pattern: /^log (a )?tutor( group)? session$/i,
        usage: { prefix: /^log (?:a )?tutor(?: group)? sessions? .+$/i, text: 'Type **log tutor session** on its own to open the form; it asks for the details.' },
        async run(turn, _m, roster) {
          await turn.send({ card: tutorFormCard(groups, blankForm(turn, roster), '') });
        },
      },
      {
        name: 'my tutor logs',
        pattern: /^my tutor (session )?logs?$/i,
        usage: { prefix: /^my tutor (?:session )?logs? .+$/i, text: 'Type **my tutor logs** on its own: it lists the sessions you logged most recently.' },
        async run(turn, _m, roster) {
          const logs = await store.by(staffRef(turn.actor).key, 10);
          await turn.send({ card: myLogsCard(logs, today(roster).date, (l) => correctable(l, turn, roster)) });
        },
      },
      {
        name: 'tutor log week',
        pattern: /^tutor log week(?: (\S+))?$/i,
        usage: { prefix: /^tutor log week .+$/i, text: "Type **tutor log week** for this week's record, or add a date in the week as YYYY-MM-DD: **tutor log week 2026-11-16**." },
        async run(turn, m, roster) {
          if (!canSeeWeeklyRecord(turn.actor, roster)) return void (await turn.send(NOT_ALLOWED_RECORD));
          const week = chooseWeek(m[1], services.now(), roster);
          if (!week) return void (await turn.send('Give the week as a date, e.g. `tutor log week 2026-11-16`.'));
          await turn.send({ card: await weekView(roster, week, turn.place.kind === 'personal') });
        },
      },
      {
        name: 'export tutor log',
        pattern: /^export tutor log(?: (\d{4}-\d{2}-\d{2}))?(?: (csv|xlsx))?$/i,
        usage: { prefix: /^export tutor logs?(?: .+)?$/i, text: "Type **export tutor log** for this week as an .xlsx workbook and a CSV file. For another week add a date in it as YYYY-MM-DD, e.g. **export tutor log 2026-11-16**, and **csv** or **xlsx** for one file: **export tutor log 2026-11-16 csv**." },
        async run(turn, m, roster) {
          const refusal = exportRefusal(turn, roster);
          if (refusal) return void (await turn.send(refusal));
          const week = chooseWeek(m[1], services.now(), roster);
          if (!week) return void (await turn.send('Give the week as a date, e.g. `export tutor log 2026-11-16 xlsx`.'));
          const format = m[2]?.toLowerCase() as 'csv' | 'xlsx' | undefined;
          await sendExport(turn, roster, week, format ? [format] : ['xlsx', 'csv']);
        },
      },
    ],
    actions: {
      'tutor.start': async (_a, turn, roster) => ({ card: tutorFormCard(groups, blankForm(turn, roster), '') }),
      'tutor.save': (action, turn, roster) => save(action.data, turn, roster),
      // Carries no inputs, so it works with required fields empty (Teams holds back a submit that has them).
      'tutor.cancel': async () => ({ message: 'Tutor log cancelled: nothing was saved.' }),
      'tutor.edit': async (action, turn, roster) => {
        const stored = typeof action.data.id === 'string' ? await store.get(action.data.id) : undefined;
        if (!stored) return { message: 'I could not find that tutor log. Type **my tutor logs** to see yours.' };
        if (!correctable(stored.value, turn, roster)) return { message: 'Only the person who logged a session can correct it, and only on the day it was logged.' };
        const l = stored.value;
        const values = formValues({ ...l, attended: l.attended ?? '', absentees: l.absentees ?? '', concern: String(l.concern) });
        return { card: tutorFormCard(groups, { values, errors: {} }, l.id) };
      },
      'tutor.week': async (action, turn, roster) => {
        if (!canSeeWeeklyRecord(turn.actor, roster)) return { message: NOT_ALLOWED_RECORD };
        const week = chooseWeek(typeof action.data.week === 'string' ? action.data.week : undefined, services.now(), roster);
        if (!week) return { message: "That button's week was not understood. Type **tutor log week** to start again." };
        return { card: await weekView(roster, week, turn.place.kind === 'personal') };
      },
      'tutor.export': async (action, turn, roster) => {
        const refusal = exportRefusal(turn, roster);
        if (refusal) return { message: refusal };
        const week = chooseWeek(typeof action.data.week === 'string' ? action.data.week : undefined, services.now(), roster);
        const format = action.data.format === 'csv' ? 'csv' : action.data.format === 'xlsx' ? 'xlsx' : undefined;
        if (!week || !format) return { message: "That button's data was not understood, so nothing was sent. Type **export tutor log** instead." };
        await sendExport(turn, roster, week, [format]);
        return { card: await weekView(roster, week, true) };
      },
    },
    replayableActions: ['tutor.save'],
    jobs: tutorJobs(services, settings, store),
    help(actor, roster): HelpEntry[] {
      const entries: HelpEntry[] = [
        { title: 'Log a tutor session', command: 'log tutor session', description: 'Record a tutor group session for the weekly record.', group: 'tutoring' },
        { title: 'See my tutor logs', command: 'my tutor logs', description: 'See (and today, correct) the sessions you logged.', group: 'tutoring' },
      ];
      if (canSeeWeeklyRecord(actor, roster)) {
        entries.push(
          { title: "See this week's tutor record", command: 'tutor log week', description: 'Groups × days for this week: who logged, what is missing.', group: 'role' },
          { title: 'Export the tutor record', command: 'export tutor log', description: 'The week as an .xlsx workbook and a CSV file (e.g. **export tutor log 2026-11-16 csv**).', group: 'role' },
        );
      }
      return entries;
    },
  };
}
