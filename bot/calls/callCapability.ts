import type { PlacedCard } from '../cards/recordCards';
import { StorageUnavailableError } from '../storage/errors';
import { callCardPlaces, teacherPlace } from './callPlaces';
import { callFollowUp, logReminderJobId } from './callFollowUp';
import type { Capability, HelpEntry, Services } from '../chat/capability';
import type { ActionResult, CardAction, Turn } from '../chat/turn';
import type { Roster } from '../config/roster';
import type { AdaptiveCard } from '../cards/renderCard';
import { ConflictError } from '../storage/errors';
import { callPlanFormCard, myCallsCard, noteCard, permissionCard, recordedCard, recordFormCard, refusedCard, teacherCallCard, teacherHeadline } from './callCards';
import { planValues, readCallPlan, readCallRecord } from './callForm';
import { decide, type CallRecord } from './callRecord';
import { assessCall } from './callRules';
import { alternateDecider, askingOf } from './permissionDecider';
import type { CallSettings } from './callSettings';
import { CallStore } from './callStore';
import { createOrAdopt } from '../scheduler/outbox';
import { formIdOf } from '../tutoring/formId';
import { localParts } from '../calendar/schoolTime';
import { staffRef } from '../tutoring/staff';
import { sameStaff } from '../tutoring/tutorLog';
import { timezoneOf } from '../tutoring/weekRecord';
import { own } from '../core/ownLookup';

const NOTE_READERS = ['dsl', 'deputy-dsl', 'deputy-head-pastoral'] as const;
const COMMENT_LIMIT = 300;
const PLAN_TASK = 'call.plan';
const PRIVATE_ONLY = 'Calls are planned and logged in your private chat with Lantern, since their cards name the pupil. Nothing was saved.';

interface PlanPayload extends Record<string, unknown> {
  record: CallRecord;
  by: { id: string; name: string };
}

interface PlanReceipt {
  record: CallRecord;
  headline: string;
}

export function createCallCapability(services: Services, settings: CallSettings): Capability {
  const store = new CallStore(services.tables);
  const cards = callCardPlaces(services, store);
  const followUp = callFollowUp(services, settings, store, cards);
  const today = (roster: Roster) => localParts(services.now(), timezoneOf(roster));
  const actorOf = (turn: Turn) => ({ id: staffRef(turn.actor).key, name: turn.actor.name });

  const blankPlan = (roster: Roster) => ({ values: { ...planValues({}), date: today(roster).date }, errors: {} });

  /**
   * A call's cards name the pupil, and the teacher's card of a call is redrawn for everyone who
   * can see it: they live in the teacher's private chat, and go there when asked for elsewhere.
   * Returns what to say where it was asked, if anything.
   */
  const sendPrivately = async (turn: Turn, card: AdaptiveCard): Promise<string | undefined> => {
    if (turn.place.kind === 'personal') return void (await turn.send({ card }));
    const sent = await services.messenger.toPerson({ aadObjectId: turn.actor.aadObjectId, email: turn.actor.email }, { card });
    return sent ? "I've sent you a private message." : 'Calls are planned in a private chat: open a chat with Lantern and type **plan a 1-1 call** there.';
  };
  const privateOnly =
    (handler: (action: CardAction, turn: Turn, roster: Roster) => Promise<ActionResult>) =>
    async (action: CardAction, turn: Turn, roster: Roster): Promise<ActionResult> =>
      turn.place.kind === 'personal' ? handler(action, turn, roster) : { message: PRIVATE_ONLY };

  const hodName = (roster: Roster, department?: string) => {
    const id = department ? own(roster.config.roles.headsOfDepartment, department) : undefined;
    const person = id ? roster.person(id) : undefined;
    return person ? `${person.name} (head of ${department})` : undefined;
  };

  /** Request cards go to the pastoral channel for pastoral permission when there is one, else 1:1. */
  const sendRequest = async (record: CallRecord, roster: Roster): Promise<PlacedCard[]> => {
    const role = record.permission!.role;
    const text = 'A 1-1 call needs your permission.';
    const alternate = record.permission!.alternate;
    if (alternate === 'none') return [];
    // An alternate is asked 1:1, never in the pastoral channel: the planner, who holds the role, would be among those it asks.
    if (!alternate && role === 'deputy-head-pastoral') {
      const channel = await services.destinations.get('pastoral');
      if (channel) {
        try {
          const placed = await cards.deliver(record.id, { conversation: channel.address }, 'permission', { text, card: permissionCard(record, false) });
          if (placed) return [placed];
        } catch (err) {
          if (err instanceof StorageUnavailableError) throw err;
          services.log(`calls: the pastoral channel did not take request ${record.id} (${(err as Error).message}); sending 1:1 instead`);
        }
      }
    }
    const holder = alternate ? roster.person(alternate.personId) : roster.holder(role === 'deputy-head-pastoral' ? 'deputyHeadPastoral' : 'deputyHeadAcademic');
    const why = alternate ? ' Its planner holds this permission themselves, so it comes to you.' : '';
    const placed = holder && (await cards.deliver(record.id, { person: holder }, 'permission', { text: `${text}${why}`, card: permissionCard(record, true) }));
    if (!placed) services.log(`calls: permission request ${record.id} could not reach ${alternate ? alternate.title : role} (not yet known to Lantern in Teams)`);
    return placed ? [placed] : [];
  };

  const plan = async (action: CardAction, turn: Turn, roster: Roster): Promise<ActionResult> => {
    const read = readCallPlan(action.data, settings, roster, today(roster).date);
    if ('form' in read) return { card: callPlanFormCard(settings, roster, read.form, 'Some answers need another look: each answer to fix is marked ⚠ with what to change.', formIdOf(action.data)) };
    const p = read.plan;
    const assessment = assessCall(settings, { kind: p.kind, purpose: p.purpose, section: p.section, headOfDepartment: hodName(roster, p.department) });
    const purposeLabel = assessment.rule?.label ?? p.purpose;
    if (assessment.verdict === 'not-allowed') {
      await services.audit.append({ actor: actorOf(turn), action: 'call.refused-by-rules', entityType: 'call-plan', entityId: p.purpose, reason: assessment.refusal, detail: { kind: p.kind, section: p.section } });
      return { card: refusedCard({ ...p, purposeLabel }, assessment.refusal!) };
    }
    // Permission is someone else's agreement: a teacher who holds the role does not give it to themselves.
    const alternate = assessment.permission ? alternateDecider(assessment.permission, turn.actor.personId, p.section, roster) : undefined;
    const permission = assessment.permission ? { role: assessment.permission, ...(alternate ? { alternate } : {}) } : undefined;
    const requirements = permission ? askingOf(assessment.requirements, permission) : assessment.requirements;
    // Keyed by the form (or, for a card without one, the press): pressed again, it is the same call.
    const formId = formIdOf(action.data) ?? `activity:${turn.activityId}`;
    const record: CallRecord = {
      id: CallStore.newId(p.date, `${staffRef(turn.actor).key}\u0000${formId}`),
      kind: p.kind,
      purpose: p.purpose,
      purposeLabel,
      pupil: p.pupil,
      section: p.section,
      department: p.department,
      date: p.date,
      time: p.time,
      reason: p.reason,
      pastoral: assessment.pastoral,
      requirements,
      teacher: staffRef(turn.actor),
      state: assessment.permission ? 'awaiting-permission' : 'planned',
      createdAt: services.now().toISOString(),
      permission,
    };
    // Pressed again after the task's marks were forgotten: the call is there, so it was planned.
    const forgotten = async () => {
      const kept = (await store.get(record.id))?.value;
      return kept && { record: kept, headline: teacherHeadline(kept) };
    };
    const planned = await services.outbox.submit<PlanPayload, PlanReceipt>(PLAN_TASK, `call-plan-${record.id}`, { record, by: actorOf(turn) }, forgotten);
    if (planned.state !== 'done') {
      return { message: planned.state === 'interrupted' ? "The call is saved, but Lantern's storage failed before it was finished. Press **Check the rules** again in a minute, or I will finish it myself and tell you here." : 'This call is being saved; type **my calls** in a minute to see it.' };
    }
    // The card this press replaces is the teacher's card of the call, kept current from now on.
    if (action.cardMessageId) await cards.adopt(planned.result.record.id, teacherPlace(planned.result.record), { address: turn.place.address, activityId: action.cardMessageId }, 'teacher');
    return { card: teacherCallCard(planned.result.record, planned.result.headline) };
  };

  /** A planned call as an outbox task: the record, its audit event and the permission request, each once. */
  services.outbox.define<PlanPayload, PlanReceipt>(PLAN_TASK, async ({ record, by }, run) => {
    const kept = await run.step('record', () => createOrAdopt(async () => (await store.create(record)).value, async () => (await store.get(record.id))!.value));
    await run.step('audit', async () => {
      await services.audit.append({ actor: by, action: 'call.planned', entityType: 'call', entityId: kept.id, changes: { state: { to: kept.state } }, detail: { kind: kept.kind, purpose: kept.purpose, section: kept.section } });
    });
    if (kept.pastoral) await run.step('log-reminder', () => followUp.scheduleLogReminder(kept));
    let receipt: PlanReceipt = { record: kept, headline: 'Allowed: this call can go ahead.' };
    if (kept.permission) {
      const roster = await services.config.current();
      const posted = await run.step('post', () => sendRequest(kept, roster));
      await run.step('cards', () => cards.remember(kept.id, posted));
      const sentTo = posted.length || kept.permission.alternate === 'none' ? '' : ' Lantern could not reach them in Teams yet, so please ask them to open a chat with Lantern.';
      receipt = { record: kept, headline: `${teacherHeadline(kept)}${sentTo}` };
    }
    if (!run.inline) {
      const placed = await run.step('receipt', () => cards.deliver(kept.id, teacherPlace(kept), 'teacher', { card: teacherCallCard(receipt.record, receipt.headline) }));
      await run.step('receipt-card', () => cards.remember(kept.id, placed ? [placed] : []));
    }
    return receipt;
  });

  const decideAction = (decision: 'approved' | 'declined') => async (action: CardAction, turn: Turn, roster: Roster): Promise<ActionResult> => {
    const stored = typeof action.data.id === 'string' ? await store.get(action.data.id) : undefined;
    if (!stored) return { message: 'I could not find that call request, so nothing was changed.' };
    const role = stored.value.permission?.role;
    const alternate = stored.value.permission?.alternate;
    if (role && sameStaff(stored.value.teacher, staffRef(turn.actor))) {
      await services.audit.append({ actor: actorOf(turn), action: 'call.decision-refused', entityType: 'call', entityId: stored.value.id, reason: 'the planner' });
      return { message: 'You planned this call, so its permission has to come from someone else. Nothing was changed.' };
    }
    const mayDecide = alternate ? alternate !== 'none' && turn.actor.personId === alternate.personId : !!role && roster.has(turn.actor.personId, role);
    if (!role || !mayDecide) {
      await services.audit.append({ actor: actorOf(turn), action: 'call.decision-refused', entityType: 'call', entityId: stored.value.id, reason: `not the ${alternate && alternate !== 'none' ? alternate.title : (role ?? 'permission holder')}` });
      return { message: alternate ? 'Only the person this request was sent to can decide it. Nothing was changed.' : `Only the ${role === 'deputy-head-academic' ? 'deputy head (academic)' : 'deputy head (pastoral)'} can decide this request. Nothing was changed.` };
    }
    const inChannel = turn.place.kind !== 'personal';
    if (stored.value.state !== 'awaiting-permission') return { card: permissionCard(stored.value, !inChannel) };
    const comment = typeof action.data.comment === 'string' ? action.data.comment.trim() : '';
    if (comment.length > COMMENT_LIMIT) return { message: `The comment can be up to ${COMMENT_LIMIT} characters; this is ${comment.length}. Nothing was changed: shorten it and press the button again.` };
    const updated = decide(stored.value, decision, staffRef(turn.actor), services.now(), comment)!;
    try {
      await store.replace(updated, stored.etag);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const fresh = (await store.get(stored.value.id))!;
      return { card: permissionCard(fresh.value, !inChannel, 'This call request was just updated by someone else; here it is now. Your click changed nothing.') };
    }
    await services.audit.append({ actor: actorOf(turn), action: `call.permission-${decision}`, entityType: 'call', entityId: updated.id, reason: comment || undefined, changes: { state: { from: stored.value.state, to: updated.state } } });
    await cards.refreshSoon(updated.id);
    // The teacher's one card of the call shows the answer (a new card only if they have none yet).
    const headline = teacherHeadline(updated);
    const told = await cards.deliver(updated.id, teacherPlace(updated), 'teacher', { card: teacherCallCard(updated, headline) }, { nudge: `${headline}${updated.permission?.comment ? ` "${updated.permission.comment}"` : ''}` }).catch((err: Error) => {
      services.log(`calls: could not tell ${updated.teacher.name} about ${updated.id}: ${err.message}`);
      return undefined;
    });
    if (told) await cards.remember(updated.id, [told]);
    else services.log(`calls: could not tell ${updated.teacher.name} about ${updated.id}`);
    // The teacher is waiting on this answer: if it did not reach them, the decider is the one who can tell them.
    return { card: permissionCard(updated, !inChannel, told ? '' : `Your decision is saved, but I could not reach ${updated.teacher.name} in Teams to tell them: please let them know.`) };
  };

  /** The teacher who planned it, for a planned call. */
  const ownCall = async (action: CardAction, turn: Turn) => {
    const stored = typeof action.data.id === 'string' ? await store.get(action.data.id) : undefined;
    if (!stored || !sameStaff(stored.value.teacher, staffRef(turn.actor))) return undefined;
    return stored;
  };

  const showNote = async (id: string, turn: Turn, roster: Roster): Promise<string | { card: ReturnType<typeof noteCard> }> => {
    const stored = await store.get(id);
    const note = stored && (await store.note(id));
    if (!stored || !note) return 'There is no secure note for that call.';
    const allowed = sameStaff(note.author, staffRef(turn.actor)) || roster.has(turn.actor.personId, ...NOTE_READERS);
    if (!allowed) {
      await services.audit.append({ actor: actorOf(turn), action: 'call-note.read-refused', entityType: 'call', entityId: id, reason: 'not the author, a DSL or the deputy head (pastoral)' });
      return 'A secure note can be read only by its author, the DSLs and the deputy head (pastoral).';
    }
    if (turn.place.kind !== 'personal') return 'Secure notes are shown only in a 1:1 chat with Lantern. Message me directly to read it.';
    await services.audit.append({ actor: actorOf(turn), action: 'call-note.read', entityType: 'call', entityId: id });
    return { card: noteCard(stored.value, note, timezoneOf(roster)) };
  };

  return {
    name: 'calls',
    commands: [
      {
        name: 'plan a 1-1 call',
        pattern: /^plan (a )?(1-?1|one[- ]to[- ]one) call$/i,
        usage: { prefix: /^plan (?:a )?(?:1-?1|one[- ]to[- ]one) call .+$/i, text: 'Type **plan a 1-1 call** on its own to open the form; it asks for the details.' },
        async run(turn, _m, roster) {
          const reply = await sendPrivately(turn, callPlanFormCard(settings, roster, blankPlan(roster)));
          if (reply) await turn.send(reply);
        },
      },
      {
        name: 'log a call',
        pattern: /^(log|record) (a )?(1-?1 )?call$|^my (1-?1 )?calls$/i,
        // Not "record a call …": whether a call may be recorded is a policy question.
        usage: { prefix: /^log (?:a )?(?:1-?1 )?call .+$|^my (?:1-?1 )?calls .+$/i, text: 'Type **log a call** on its own: it lists the calls you planned, each with a button to record it.' },
        async run(turn) {
          const calls = (await store.byTeacher(staffRef(turn.actor).key)).slice(0, 10);
          const reply = await sendPrivately(turn, myCallsCard(calls));
          if (reply) await turn.send(reply);
        },
      },
      {
        name: 'call note',
        pattern: /^(?:show |read )?call note (CALL-\d{8}-[0-9A-F]{6})$/i,
        // Offered with "log a call": whoever logs calls may read their own notes.
        usage: { prefix: /^(?:show |read )?call note(?: CALL-.*| \S+)?$/i, text: "To read a call's secure note, type **call note CALL-20261124-1A2B3C** with the call's full reference (it is on the call's card; **log a call** lists your calls).", offeredBy: /^log a call$/i },
        async run(turn, m, roster) {
          const shown = await showNote(m[1].toUpperCase(), turn, roster);
          await turn.send(shown);
        },
      },
    ],
    actions: {
      'call.start': async (_a, turn, roster) => {
        const card = callPlanFormCard(settings, roster, blankPlan(roster));
        return turn.place.kind === 'personal' ? { card } : { message: (await sendPrivately(turn, card))! };
      },
      'call.plan': privateOnly(plan),
      // Carries no inputs, so it works with required fields empty (Teams holds back a submit that has them).
      'call.cancel': async () => ({ message: 'Cancelled: no call was planned or logged.' }),
      'call.approve': decideAction('approved'),
      'call.decline': decideAction('declined'),
      'call.recordForm': privateOnly(async (action, turn) => {
        const stored = await ownCall(action, turn);
        if (!stored) return { message: 'Only the teacher who planned a call can log it. Type **log a call** to see yours.' };
        if (stored.value.state !== 'planned') return { card: teacherCallCard(stored.value, `Call ${stored.value.id} is ${stored.value.state === 'held' ? 'already recorded' : 'not ready to record'}.`) };
        return { card: recordFormCard(stored.value, { date: stored.value.date, time: stored.value.time }, {}) };
      }),
      'call.record': privateOnly(async (action, turn, roster) => {
        const stored = await ownCall(action, turn);
        if (!stored) return { message: 'Only the teacher who planned a call can log it. Nothing was saved.' };
        if (stored.value.state !== 'planned') return { card: teacherCallCard(stored.value, `Call ${stored.value.id} is ${stored.value.state === 'held' ? 'already recorded' : 'not ready to record'}: nothing was saved.`) };
        const read = readCallRecord(action.data, stored.value.pastoral, today(roster).date);
        if ('errors' in read) return { card: recordFormCard(stored.value, read.values, read.errors, 'Some answers need another look: each answer to fix is marked ⚠ with what to change.') };
        const now = services.now().toISOString();
        const updated: CallRecord = { ...stored.value, state: 'held', held: { date: read.held.date, time: read.held.time, recordedAt: now } };
        try {
          await store.replace(updated, stored.etag);
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
          const fresh = (await store.get(updated.id))!;
          return { card: teacherCallCard(fresh.value, 'This call was just updated by someone else; here it is now. Nothing of yours was saved.') };
        }
        await services.audit.append({ actor: actorOf(turn), action: 'call.held', entityType: 'call', entityId: updated.id, changes: { state: { from: 'planned', to: 'held' } } });
        await services.scheduler.cancel(logReminderJobId(updated.id));
        if (read.held.note) {
          const note = { callId: updated.id, author: staffRef(turn.actor), text: read.held.note, writtenAt: now };
          await store.addNote(note);
          // The note's words stay out of the audit trail: it records only that a note exists.
          await services.audit.append({ actor: actorOf(turn), action: 'call-note.written', entityType: 'call', entityId: updated.id });
          await followUp.noteWritten(updated, note, roster);
        }
        await cards.refreshSoon(updated.id);
        return { card: recordedCard(updated, !!read.held.note) };
      }),
      'call.note': async (action, turn, roster) => {
        const shown = await showNote(typeof action.data.id === 'string' ? action.data.id : '', turn, roster);
        return typeof shown === 'string' ? { message: shown } : shown;
      },
    },
    replayableActions: ['call.plan'],
    jobs: followUp.jobs,
    help(): HelpEntry[] {
      return [
        { title: 'Plan a 1-1 call', command: 'plan a 1-1 call', description: 'Video, audio or phone with a pupil: what the rules require, and permission if needed.', group: 'tutoring' },
        { title: 'Log a call', command: 'log a call', description: 'Record a planned call after it happened (and the secure note after a pastoral call).', group: 'tutoring' },
      ];
    },
  };
}
