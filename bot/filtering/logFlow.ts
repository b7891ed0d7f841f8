import type { ActionResult, CardAction, FileAttachment, Outbound, Turn } from '../chat/turn';
import type { Roster } from '../config/roster';
import { checkCard, exportCard, logCard } from './cardViews';
import { actorRef, auditActor, isPrivate, type FilterContext } from './context';
import { isoDate } from './dates';
import { ukDate } from '../calendar/ukFormat';
import { readCheckValues, validateCheck } from './filterCheck';
import { filterChecksCsv, filterLogCsv, UTF8_BOM } from './filterLogCsv';
import { namesSchool } from '../trust/schoolNames';

/** Filter log and checks are for the DSLs and IT: they show who asked for what and why. */
export function canSeeLog(personId: string | undefined, roster: Roster): boolean {
  return roster.has(personId, 'dsl', 'deputy-dsl', 'it-manager', 'it-technician', 'trust-it-manager');
}

/** The trust IT manager reads a school's log as the trust's, not as one of the school's own people. */
export function asTrust(personId: string | undefined, roster: Roster): boolean {
  return roster.has(personId, 'trust-it-manager') && !roster.has(personId, 'dsl', 'deputy-dsl', 'it-manager', 'it-technician');
}

const NOT_ALLOWED = 'The filtering log is for the DSLs and IT only. Nothing was shown.';
const LOG_ROWS = 15;

/** A whole CSV as an attachment: the file keeps every row, where a card would have to cut it. */
function csvFile(name: string, csv: string): FileAttachment {
  return { name, contentType: 'text/csv', contentUrl: `data:text/csv;base64,${Buffer.from(UTF8_BOM + csv, 'utf8').toString('base64')}` };
}

/** "3 requests, Mon 12 Jan 2026 to Sun 22 Nov 2026": what a file holds, before anyone opens it. */
function describeRows(dates: string[], one: string, many: string): string {
  if (!dates.length) return `No ${many} yet`;
  const sorted = [...dates].sort();
  const span = sorted[0] === sorted.at(-1) ? ukDate(sorted[0]) : `${ukDate(sorted[0])} to ${ukDate(sorted.at(-1)!)}`;
  return `${dates.length} ${dates.length === 1 ? one : many}, ${span}`;
}

export function logFlow(ctx: FilterContext) {
  const { services } = ctx;

  /**
   * Why nothing is shown when the command names a school that is not this one (the router sends
   * `filter log brookfield` to Brookfield only for someone Brookfield lists). Says nothing of the other school.
   */
  function otherSchool(named: string | undefined, roster: Roster): string | undefined {
    if (!named || namesSchool(named, { id: services.schoolId, name: roster.schoolName })) return undefined;
    return `"${named}" is not a school whose filter log you can see here, so nothing was shown. Type **filter log** for ${roster.schoolName}'s.`;
  }

  /** In a trust, what a log or export says first and its files carry: which school's log it is. */
  const heading = (roster: Roster) => (roster.trust ? `${roster.schoolName} · ` : '');
  const fileSchool = () => (services.schoolId ? `${services.schoolId}-` : '');

  /** Sends the CSV files privately, with a card saying what they hold; returns the short reply for where it was asked, as `open` does for the form. */
  async function exportCsv(turn: Turn, roster: Roster, named?: string): Promise<{ inPlace: boolean; reply: string }> {
    if (!canSeeLog(turn.actor.personId, roster)) return { inPlace: false, reply: NOT_ALLOWED };
    const elsewhere = otherSchool(named, roster);
    if (elsewhere) return { inPlace: false, reply: elsewhere };
    const [requests, checks] = await Promise.all([ctx.requests.all(), ctx.checks.all()]);
    const today = isoDate(services.now());
    const log = { name: `filter-change-log-${fileSchool()}${today}.csv`, csv: filterLogCsv(requests), summary: describeRows(requests.map((r) => r.requestedAt.slice(0, 10)), 'request', 'requests') };
    const checked = { name: `filter-checks-${fileSchool()}${today}.csv`, csv: filterChecksCsv(checks), summary: describeRows(checks.map((c) => c.date), 'filter check', 'filter checks') };
    const governors = roster.trust ? `${roster.schoolName}'s governors' review` : "the governors' review";
    const message: Outbound = {
      card: exportCard(`Exported ${today} for ${governors}. The two CSV files follow below: choose Allow on each to save it to your OneDrive, then open it in Excel.`, [log, checked]),
      files: [csvFile(log.name, log.csv), csvFile(checked.name, checked.csv)],
    };
    const actor = actorRef(turn.actor);
    const trust = asTrust(turn.actor.personId, roster) ? { as: 'trust-it-manager' } : {};
    await services.audit.append({ actor: auditActor(actor), action: 'filter.exported', entityType: 'filter-log', entityId: 'all', detail: { requests: requests.length, checks: checks.length, ...trust } });
    if (isPrivate(turn.place.kind)) {
      await turn.send(message);
      return { inPlace: true, reply: 'The export is below.' };
    }
    const sent = await services.messenger.toPerson({ aadObjectId: turn.actor.aadObjectId }, message);
    return { inPlace: false, reply: sent ? "I've sent you a private message" : 'The export is sent in a private chat: open a chat with me and type **export filter log**.' };
  }

  async function openCheck(turn: Turn, roster: Roster): Promise<void> {
    if (!canSeeLog(turn.actor.personId, roster)) {
      await turn.send('Filter checks are recorded by the DSLs and IT. Nothing was opened.');
      return;
    }
    const card = checkCard({ date: isoDate(services.now()), tested: '', devices: '', userGroups: '', result: '', followUp: '' }, {});
    if (isPrivate(turn.place.kind)) {
      await turn.send({ card });
      return;
    }
    const sent = await services.messenger.toPerson({ aadObjectId: turn.actor.aadObjectId }, { card });
    await turn.send(sent ? "I've sent you a private message" : 'Open a private chat with me and type **filter check**.');
  }

  async function saveCheck(action: CardAction, turn: Turn, roster: Roster): Promise<ActionResult> {
    if (!canSeeLog(turn.actor.personId, roster)) return { message: 'Filter checks are recorded by the DSLs and IT. Nothing was saved.' };
    const values = readCheckValues(action.data);
    const result = validateCheck(values, isoDate(services.now()));
    if (!result.ok) return { card: checkCard(values, result.errors, 'Nothing was saved yet: each answer to fix is marked ⚠ with what to change.') };
    const actor = actorRef(turn.actor);
    const now = services.now();
    const id = await ctx.checks.add({ ...result.check, by: actor, recordedAt: now.toISOString() }, now);
    await services.audit.append({ actor: auditActor(actor), action: 'filter.check-recorded', entityType: 'filter-check', entityId: id, detail: { date: result.check.date, result: result.check.result } });
    return { message: `Filter check of ${ukDate(result.check.date)} saved (${result.check.result}). It appears in the filter log export.` };
  }

  return {
    async showLog(turn: Turn, roster: Roster, named?: string): Promise<void> {
      if (!canSeeLog(turn.actor.personId, roster)) {
        await turn.send(NOT_ALLOWED);
        return;
      }
      const elsewhere = otherSchool(named, roster);
      if (elsewhere) return void (await turn.send(elsewhere));
      const card = logCard(await ctx.requests.all(), LOG_ROWS, ctx.timeZone, heading(roster));
      if (isPrivate(turn.place.kind)) {
        await turn.send({ card });
        return;
      }
      const sent = await services.messenger.toPerson({ aadObjectId: turn.actor.aadObjectId }, { card });
      await turn.send(sent ? "I've sent you a private message" : 'Open a private chat with me and type **filter log**.');
    },
    exportCsv,
    exportAction: async (_action: CardAction, turn: Turn, roster: Roster): Promise<ActionResult> => ({ message: (await exportCsv(turn, roster)).reply }),
    openCheck,
    saveCheck,
  };
}
