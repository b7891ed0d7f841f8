import type { ActionHandler, Command, Services } from '../chat/capability';
import type { ActionResult, CardAction, Turn } from '../chat/turn';
import type { Roster } from '../config/roster';
import type { Stored } from '../storage/documentTable';
import { ConflictError } from '../storage/errors';
import type { IncidentCase } from './caseRecord';
import { caseCard, recordCard, type RecordView } from './caseCards';
import { caseJson, chronologyCsv } from './caseExport';
import { agencyLabel, checkStatusChange, stampAcknowledged, STATUS_LABELS, type StatusChange } from './caseStatus';
import { parseRef, type CaseStore } from './caseStore';
import { toPeople } from './delivery';
import type { RecordCards } from '../cards/recordCards';
import { placedCaseCards, RECEIPT_VIEW } from './casePlaces';
import { reporterFollows } from './reporterReceipt';
import { assignable, canHandle } from './routing';
import { escalationJobId, ladoJobId } from './submitReport';
import { own } from '../core/ownLookup';

const NOTE_MAX = 1000;
const REFUSED = 'Only the people handling this case can do that. Nothing was changed.';
const refused = (ref: string) => `Case ${ref} isn't one you handle, or doesn't exist. Nothing was changed.`;
const UPDATED = 'This case was just updated by someone else. Here it is as it stands now.';
/** Typed, not pressed: the person needs the reference's shape, not word of a broken button. */
const notARef = (typed: string) => `"${typed.slice(0, 40)}" is not a case reference, so nothing was changed. A reference looks like INC-2026-0001; type **cases** to list yours.`;
const PRIVATE_ONLY = 'Open the case in your private chat with Lantern to do that: the full record is never shown in a shared chat. Nothing was changed.';

type Loaded = { stored: Stored<IncidentCase>; actor: { id: string; name: string } };

function field(data: Record<string, unknown>, key: string): string {
  const v = own(data, key);
  return typeof v === 'string' ? v.trim() : '';
}

/**
 * What handlers do to a case once it exists. Each click re-reads the case, checks the clicker
 * against the roster and the case's status, and writes with the ETag it read; the card data is
 * used only for the reference and the typed inputs.
 */
export function createCaseActions(services: Services, cases: CaseStore, cards: RecordCards) {
  const audit = (c: IncidentCase, actor: Loaded['actor'], action: string, extra: { reason?: string; changes?: Record<string, { from?: unknown; to?: unknown }>; detail?: Record<string, unknown> } = {}) =>
    services.audit.append({ actor, action, entityType: 'incident', entityId: c.ref, ...extra });

  /** The record view only ever goes back into a private chat; anywhere else the summary card does. */
  async function view(c: IncidentCase, roster: Roster, action: CardAction, turn: Turn, extra: RecordView = {}): Promise<ActionResult> {
    if (action.data.view === 'record' && turn.place.kind === 'personal') return { card: recordCard(c, await services.audit.history('incident', c.ref), roster, extra) };
    return { card: caseCard(c, roster, extra.notice) };
  }

  /** Reads the case and checks the person may handle it; refusals are audited apart from the case. */
  async function load(refRaw: unknown, turn: Turn, roster: Roster): Promise<Loaded | ActionResult> {
    const ref = parseRef(refRaw);
    if (!ref) return { message: "That button's data was not understood, so nothing was changed." };
    const stored = await cases.get(ref);
    const actor = { id: turn.actor.personId ?? turn.actor.aadObjectId ?? turn.actor.teamsUserId, name: turn.actor.name };
    if (!stored || !canHandle(stored.value, turn.actor.personId, roster)) {
      // On the case itself, so those handling it see the attempt in its chronology (the Chair sees if the Head tried).
      await services.audit.append({ actor, action: 'incident.access-refused', entityType: stored ? 'incident' : 'incident-refusal', entityId: ref, reason: stored ? 'not a handler of this case' : 'no such case' });
      // One answer for unknown and forbidden: references are sequential, so any difference maps the cases.
      return { message: refused(ref) };
    }
    return { stored, actor };
  }

  const isResult = (x: Loaded | ActionResult): x is ActionResult => 'card' in x || 'message' in x;

  /** Writes the change with the ETag read; a lost race shows the fresh case instead. */
  async function write(loaded: Loaded, change: IncidentCase, roster: Roster, action: CardAction, turn: Turn): Promise<IncidentCase | ActionResult> {
    const next = stampAcknowledged(loaded.stored.value, change, services.now());
    try {
      await cases.replace(next, loaded.stored.etag);
      return next;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const fresh = (await cases.get(next.ref))!;
      return view(fresh.value, roster, action, turn, { notice: UPDATED });
    }
  }

  /**
   * Redraws every card of the case (the reporter's receipt included), then tells the reporter in
   * words when it is acknowledged and when it is closed: Teams notifies nobody of an edited card.
   * Escalations and other moves only redraw the receipt. Nothing goes to a reporter the case is about.
   */
  async function afterChange(before: IncidentCase, after: IncidentCase): Promise<void> {
    await cards.refreshSoon(after.ref);
    const acknowledged = before.status === 'new' && after.status !== 'new';
    const closed = after.status === 'closed' && before.status !== 'closed';
    if (acknowledged) await services.scheduler.cancel(escalationJobId(after.ref));
    if (closed) await services.scheduler.cancel(ladoJobId(after.ref));
    if (!(acknowledged || closed) || !reporterFollows(after)) return;
    const receipts = await cards.list(after.ref).catch(() => []);
    const onCard = receipts.some((card) => card.view === RECEIPT_VIEW && !card.gone) ? ' Its receipt card in this chat is up to date.' : '';
    const text = closed ? `Your report ${after.ref} has been closed. Thank you for reporting it.${onCard}` : `Your report ${after.ref} has been acknowledged: the safeguarding team is handling it.${onCard}`;
    await services.messenger.toPerson({ aadObjectId: before.reporter.aadObjectId }, { text });
  }

  const isCase = (x: IncidentCase | ActionResult): x is IncidentCase => 'ref' in x;

  const actions: Record<string, ActionHandler> = {
    'incident.open': async (action, turn, roster) => {
      const loaded = await load(action.data.ref, turn, roster);
      if (isResult(loaded)) return loaded;
      const c = loaded.stored.value;
      await audit(c, loaded.actor, 'case.viewed');
      const card = recordCard(c, await services.audit.history('incident', c.ref), roster);
      if (turn.place.kind === 'personal') return { card };
      const sent = await services.messenger.toPerson({ aadObjectId: turn.actor.aadObjectId, email: turn.actor.email }, { card });
      return { message: sent ? "I've sent you the full record in a private chat." : 'I could not open a private chat with you: open a chat with Lantern and type `case ' + c.ref + '`.' };
    },

    'incident.claim': async (action, turn, roster) => {
      const loaded = await load(action.data.ref, turn, roster);
      if (isResult(loaded)) return loaded;
      const c = loaded.stored.value;
      if (c.status === 'closed') return view(c, roster, action, turn, { notice: 'This case is closed. Reopen it before claiming it.' });
      if (c.assignee) return view(c, roster, action, turn, { notice: c.assignee.id === loaded.actor.id ? 'You have already claimed this case.' : `${UPDATED} ${c.assignee.name} has claimed it.` });
      const next: IncidentCase = { ...c, assignee: loaded.actor, status: c.status === 'new' ? 'acknowledged' : c.status };
      const written = await write(loaded, next, roster, action, turn);
      if (!isCase(written)) return written;
      await audit(next, loaded.actor, 'case.claimed', { changes: { handler: { to: loaded.actor.name }, status: { from: STATUS_LABELS[c.status], to: STATUS_LABELS[next.status] } } });
      await afterChange(c, next);
      return view(next, roster, action, turn);
    },

    'incident.assign': async (action, turn, roster) => {
      if (turn.place.kind !== 'personal') return { message: PRIVATE_ONLY };
      const loaded = await load(action.data.ref, turn, roster);
      if (isResult(loaded)) return loaded;
      const c = loaded.stored.value;
      const id = field(action.data, 'assignee');
      if (!assignable(c, roster).includes(id)) return { card: recordCard(c, await services.audit.history('incident', c.ref), roster, { errors: { assignee: 'Choose someone from the list.' } }) };
      const person = roster.person(id)!;
      const next: IncidentCase = { ...c, assignee: { id, name: person.name }, status: c.status === 'new' ? 'acknowledged' : c.status };
      const written = await write(loaded, next, roster, { ...action, data: { ...action.data, view: 'record' } }, turn);
      if (!isCase(written)) return written;
      await audit(next, loaded.actor, 'case.assigned', { changes: { handler: { from: c.assignee?.name, to: person.name } } });
      await afterChange(c, next);
      if (id !== loaded.actor.id) {
        const told = await toPeople(services, [id], roster, { text: `${loaded.actor.name} has assigned case ${c.ref} to you.`, card: caseCard(next, roster) });
        await cards.remember(c.ref, placedCaseCards(told.posts));
      }
      return { card: recordCard(next, await services.audit.history('incident', c.ref), roster, { notice: `Assigned to ${person.name}.` }) };
    },

    'incident.note': async (action, turn, roster) => {
      if (turn.place.kind !== 'personal') return { message: PRIVATE_ONLY };
      const loaded = await load(action.data.ref, turn, roster);
      if (isResult(loaded)) return loaded;
      const c = loaded.stored.value;
      const note = field(action.data, 'note');
      const error = !note ? 'Write the note first.' : note.length > NOTE_MAX ? `The note is ${note.length} characters; the limit is ${NOTE_MAX}.` : undefined;
      if (error) return { card: recordCard(c, await services.audit.history('incident', c.ref), roster, { errors: { note: error }, typed: { note } }) };
      await audit(c, loaded.actor, 'case.note-added', { reason: note });
      return { card: recordCard(c, await services.audit.history('incident', c.ref), roster, { notice: 'Note added to the chronology.' }) };
    },

    'incident.status': async (action, turn, roster) => {
      if (turn.place.kind !== 'personal') return { message: PRIVATE_ONLY };
      const loaded = await load(action.data.ref, turn, roster);
      if (isResult(loaded)) return loaded;
      const c = loaded.stored.value;
      const change: StatusChange = { to: field(action.data, 'status') as StatusChange['to'], agency: field(action.data, 'agency') || undefined, reference: field(action.data, 'reference') || undefined, reason: field(action.data, 'reason') || undefined };
      const errors = checkStatusChange(c.status, change);
      if (Object.keys(errors).length) {
        return { card: recordCard(c, await services.audit.history('incident', c.ref), roster, { errors, typed: { status: change.to ?? '', agency: change.agency ?? '', reference: change.reference ?? '', reason: change.reason ?? '' } }) };
      }
      const now = services.now().toISOString();
      const next: IncidentCase = {
        ...c,
        status: change.to,
        referrals: change.to === 'referred' ? [...c.referrals, { agency: change.agency!, reference: change.reference!, at: now, by: loaded.actor }] : c.referrals,
        closeReason: change.to === 'closed' ? change.reason : undefined,
      };
      const written = await write(loaded, next, roster, { ...action, data: { ...action.data, view: 'record' } }, turn);
      if (!isCase(written)) return written;
      const referral = change.to === 'referred' ? `referred to ${agencyLabel(change.agency!)}, reference ${change.reference}` : undefined;
      await audit(next, loaded.actor, 'case.status-changed', {
        reason: [c.status === 'closed' ? 'reopened' : undefined, referral, change.reason].filter(Boolean).join('; ') || undefined,
        changes: { status: { from: STATUS_LABELS[c.status], to: STATUS_LABELS[next.status] } },
        detail: change.to === 'referred' ? { agency: change.agency, reference: change.reference } : undefined,
      });
      await afterChange(c, next);
      return { card: recordCard(next, await services.audit.history('incident', c.ref), roster, { notice: `Status is now ${STATUS_LABELS[next.status]}.` }) };
    },

    'incident.export': async (action, turn, roster) => {
      const loaded = await load(action.data.ref, turn, roster);
      if (isResult(loaded)) return loaded;
      return { message: await exportCase(loaded, turn) };
    },
  };

  async function exportCase(loaded: Loaded, turn: Turn): Promise<string> {
    const c = loaded.stored.value;
    await audit(c, loaded.actor, 'case.exported', { reason: 'CSV and JSON' });
    const history = await services.audit.history('incident', c.ref);
    const file = (name: string, type: string, body: string) => ({ name, contentType: type, contentUrl: `data:${type};base64,${Buffer.from(body, 'utf8').toString('base64')}` });
    const message = { text: `Case ${c.ref}: its chronology (CSV) and full record (JSON) follow as two files, for transfer into CPOMS or MyConcern. Choose Allow on each to save it to your OneDrive. Keep these files confidential.`, files: [file(`${c.ref}-chronology.csv`, 'text/csv', chronologyCsv(c, history)), file(`${c.ref}.json`, 'application/json', caseJson(c, history))] };
    if (turn.place.kind === 'personal') {
      await turn.send(message);
      return `Exported ${c.ref}: the two files are in this chat above, each with its Allow button.`;
    }
    const sent = await services.messenger.toPerson({ aadObjectId: turn.actor.aadObjectId, email: turn.actor.email }, message);
    return sent ? `I've sent you the ${c.ref} export in a private chat.` : 'I could not open a private chat with you.';
  }

  const commands: Command[] = [
    {
      name: 'incident-export',
      pattern: /^export case\s*(\S+)?$/i,
      usage: { prefix: /^export case \S+ .+$/i, text: 'Type **export case INC-2026-0001** with the case\'s reference and nothing after it: the CSV and JSON files both follow.' },
      async run(turn, match, roster) {
        if (!match[1]) return void (await turn.send('Which case? Type `export case INC-2026-0001` with the reference.'));
        if (!parseRef(match[1])) return void (await turn.send(notARef(match[1])));
        const loaded = await load(match[1], turn, roster);
        if (isResult(loaded)) return void (await turn.send('message' in loaded ? loaded.message : REFUSED));
        await turn.send(await exportCase(loaded, turn));
      },
    },
    {
      name: 'incident-show',
      pattern: /^(?:open |show )?case(?:\s+(\S+))?$/i,
      // Only a reference-shaped word then more: "case studies for training?" stays a question.
      usage: { prefix: /^(?:open |show )?case [a-z]{2,6}-\S+ .+$/i, text: 'Type **case INC-2026-0001** with the case\'s reference and nothing after it, or **cases** to list yours.', offeredBy: /^export case$/i },
      async run(turn, match, roster) {
        if (!match[1]) return void (await turn.send('Which case? Type `case INC-2026-0001` with the reference, or **cases** to list yours.'));
        if (!parseRef(match[1])) return void (await turn.send(notARef(match[1])));
        const loaded = await load(match[1], turn, roster);
        if (isResult(loaded)) return void (await turn.send('message' in loaded ? loaded.message : REFUSED));
        const c = loaded.stored.value;
        await audit(c, loaded.actor, 'case.viewed');
        const card = recordCard(c, await services.audit.history('incident', c.ref), roster);
        if (turn.place.kind === 'personal') return void (await turn.send({ card }));
        const sent = await services.messenger.toPerson({ aadObjectId: turn.actor.aadObjectId, email: turn.actor.email }, { card });
        await turn.send(sent ? "I've sent you the full record in a private chat." : 'I could not open a private chat with you.');
      },
    },
  ];

  return { actions, commands };
}
