import type { ActionResult, CardAction, Turn } from '../chat/turn';
import type { Roster } from '../config/roster';
import { checkCard, exportCard, logCard } from './cardViews';
import { actorRef, auditActor, isPrivate, type FilterContext } from './context';
import { isoDate } from './dates';
import { readCheckValues, validateCheck } from './filterCheck';
import { filterChecksCsv, filterLogCsv } from './filterLogCsv';

/** Filter log and checks are for the DSLs and IT: they show who asked for what and why. */
export function canSeeLog(personId: string | undefined, roster: Roster): boolean {
  return roster.has(personId, 'dsl', 'deputy-dsl', 'it-manager', 'it-technician');
}

const NOT_ALLOWED = 'The filtering log is for the DSLs and IT only. Nothing was shown.';
const LOG_ROWS = 15;
/** A Teams message carries about 28 KB; past this the card points to the full export instead. */
const CARD_CSV_CHARS = 12_000;

function fitForCard(csv: string, name: string): { name: string; csv: string; note: string } {
  if (csv.length <= CARD_CSV_CHARS) return { name, csv, note: '' };
  const lines = csv.split('\r\n').filter(Boolean);
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size + line.length > CARD_CSV_CHARS) break;
    kept.push(line);
    size += line.length + 2;
  }
  return { name, csv: kept.join('\r\n'), note: `${lines.length - kept.length} more rows are not shown. IT can run \`npm run export:filter-log\` for the complete file.` };
}

export function logFlow(ctx: FilterContext) {
  const { services } = ctx;

  /** Sends the export card privately; returns the short reply for where it was asked, as `open` does for the form. */
  async function exportCsv(turn: Turn, roster: Roster): Promise<{ inPlace: boolean; reply: string }> {
    if (!canSeeLog(turn.actor.personId, roster)) return { inPlace: false, reply: NOT_ALLOWED };
    const [requests, checks] = await Promise.all([ctx.requests.all(), ctx.checks.all()]);
    const today = isoDate(services.now());
    const card = exportCard(`Copy each block into a file (e.g. Excel: paste, then Data › Text to Columns › Comma). ${requests.length} requests, ${checks.length} checks, exported ${today}.`, [
      fitForCard(filterLogCsv(requests), `filter-change-log-${today}.csv`),
      fitForCard(filterChecksCsv(checks), `filter-checks-${today}.csv`),
    ]);
    const actor = actorRef(turn.actor);
    await services.audit.append({ actor: auditActor(actor), action: 'filter.exported', entityType: 'filter-log', entityId: 'all', detail: { requests: requests.length, checks: checks.length } });
    if (isPrivate(turn.place.kind)) {
      await turn.send({ card });
      return { inPlace: true, reply: 'The export is below.' };
    }
    const sent = await services.messenger.toPerson({ aadObjectId: turn.actor.aadObjectId }, { card });
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
    if (!result.ok) return { card: checkCard(values, result.errors, 'Nothing was saved yet: see the notes in red.') };
    const actor = actorRef(turn.actor);
    const now = services.now();
    const id = await ctx.checks.add({ ...result.check, by: actor, recordedAt: now.toISOString() }, now);
    await services.audit.append({ actor: auditActor(actor), action: 'filter.check-recorded', entityType: 'filter-check', entityId: id, detail: { date: result.check.date, result: result.check.result } });
    return { message: `Filter check of ${result.check.date} saved (${result.check.result}). It appears in the filter log export.` };
  }

  return {
    async showLog(turn: Turn, roster: Roster): Promise<void> {
      if (!canSeeLog(turn.actor.personId, roster)) {
        await turn.send(NOT_ALLOWED);
        return;
      }
      const card = logCard(await ctx.requests.all(), LOG_ROWS);
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
