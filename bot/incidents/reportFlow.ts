import { randomBytes, randomUUID } from 'node:crypto';
import type { ActionHandler, Services } from '../chat/capability';
import type { ActionResult, CardAction, Turn } from '../chat/turn';
import type { RecordCards } from '../cards/recordCards';
import type { CaseStore } from './caseStore';
import { RECEIPT_VIEW, reporterPlace } from './casePlaces';
import { reporterFollows, whomToPhone } from './reporterReceipt';
import type { Roster } from '../config/roster';
import type { Stored } from '../storage/documentTable';
import type { Draft } from '../storage/draftStore';
import { ConflictError, StorageUnavailableError } from '../storage/errors';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { formatTime } from './caseCards';
import { ringList, urgentAlert } from './delivery';
import { formCard } from './formCards';
import { LIMITS, nextStep, previousStep, readStepInput, STEP_NAMES, validateStep, type ReportValues, type Step } from './reportForm';
import type { Submitted } from '../scheduler/outbox';
import { REPORT_FORM as FORM, SENDING_STEP, SENT_STEP } from './reportDraft';
import { receiptCard, REPORT_TASK, reportTaskId, type ReportPayload, type ReportReceipt } from './submitReport';
import { own, setOwn } from '../core/ownLookup';

const NO_DRAFT = 'There is no report in progress, so nothing was changed. Type **report an incident** to start one.';
const STALE = 'That card was out of date, so nothing was changed. Here is where your report is now.';
const PRIVATE = "I've sent you a private message to take the report.";
const INTERRUPTED = "Your report is saved, but Lantern's storage failed before it was all sent. Press **Send report** again in a minute to finish it and see your reference; if you do not, Lantern will finish it and post the receipt in this chat. If a child may be in danger, phone the DSL now.";
/**
 * A press sending the alert longer than this died doing it (a restart): a press after that sends
 * it again, under the same reference. Far longer than a send to a section's people takes.
 */
const ALERT_LEASE_MS = 2 * 60_000;
const ALERT_BEING_SENT = 'Your urgent alert is being sent now, from your first press. If a child is in immediate danger, call 999 now. Press **Yes, a child is in danger now** again in a moment to see whom it reached.';
const STILL_SENDING = 'Your report is saved and being sent now. Its receipt with the reference appears on the card you pressed first, or Lantern will post it in this chat.';
const SEND_FAILED = "Lantern's storage failed while sending your report, so it may not have reached anyone yet. Your report is kept: press **Send report** again in a minute. If a child may be in danger, phone the DSL now.";

/** Typed to start a report; the trust's school choice, asked before it, also reads it (it must say 999 first). */
export const REPORT_COMMAND = /^(report( an?)? (incident|concern)|raise a concern)$/i;

/** What cancelling leaves behind: an urgent alert cannot be unsent, so say exactly where it went. */
function cancelMessage(v: ReportValues | undefined): string {
  if (!v?.urgentAlertAt) return 'Report cancelled: nothing was sent.';
  if (v.urgentAlerted?.length) return `Report cancelled: the rest of the report was not sent. The urgent alert you raised had already reached ${v.urgentAlerted.join(', ')}; it cannot be taken back, and they may contact you.`;
  const ring = v.urgentRing?.length ? v.urgentRing.join('; ') : 'the DSL or the school office';
  return `Report cancelled: nothing was sent. Your urgent alert reached nobody in Teams. If a child may still be in danger, phone now: ${ring}.`;
}

/** "ALERT-7F3A21": for a DSL to match the alert to the case that follows it. */
function alertReference(): string {
  return `ALERT-${randomBytes(3).toString('hex').toUpperCase()}`;
}

export function ownerOf(turn: Turn): string {
  return turn.actor.personId ?? turn.actor.aadObjectId ?? turn.actor.teamsUserId;
}

/** Untrusted free text from another capability's button: one line, no control characters, capped. */
function shortText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const s = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, LIMITS.context);
  return s || undefined;
}

/**
 * The guided report: one card per step, the draft saved in Tables after every click so a
 * half-filled report survives a restart. Reports are only ever taken in a private chat.
 */
export function createReportFlow(services: Services, cases: CaseStore, cards: RecordCards) {
  const card = (draft: Draft<ReportValues>, roster: Roster, notice = '') => formCard(draft.step as Step, draft.values, roster, {}, notice);
  const sendingOrSent = (draft: Draft<ReportValues>) => draft.step === SENDING_STEP || draft.step === SENT_STEP;

  /**
   * Sends (or finishes sending) a report whose draft is marked `sending`: the outbox task keyed by
   * the draft id writes the case once and delivers each card once, however often this runs.
   */
  async function send(turn: Turn, draft: Draft<ReportValues>, roster: Roster, pressed?: CardAction): Promise<ActionResult> {
    let sent: Submitted<ReportReceipt>;
    try {
      sent = await finish(turn, draft);
    } catch (err) {
      // An earlier press may have saved the task, so the general "nothing was saved" would not be true.
      if (!(err instanceof StorageUnavailableError)) throw err;
      services.log(`incidents: storage unavailable while sending a report: ${err.message}`);
      return { message: SEND_FAILED };
    }
    if (sent.state === 'done') {
      const receipt = await receiptCard(sent.result, cases, roster);
      // The card this press replaces becomes the reporter's receipt, redrawn as the case moves on.
      const c = (await cases.get(sent.result.ref))?.value;
      if (c && pressed?.cardMessageId && reporterFollows(c)) await cards.adopt(c.ref, reporterPlace(c), { address: turn.place.address, activityId: pressed.cardMessageId }, RECEIPT_VIEW);
      return { card: receipt };
    }
    return { message: sent.state === 'interrupted' ? INTERRUPTED : STILL_SENDING };
  }

  async function finish(turn: Turn, draft: Draft<ReportValues>): Promise<Submitted<ReportReceipt>> {
    const id = reportTaskId(draft.values.draftId!);
    if (draft.step === SENT_STEP) {
      const receipt = await services.outbox.result<ReportReceipt>(id);
      if (receipt) return { state: 'done', result: receipt };
    }
    const reporter = { id: ownerOf(turn), name: turn.actor.name, aadObjectId: turn.actor.aadObjectId };
    // Started before? The task resumes with the payload it was first given.
    const payload: ReportPayload = { draftId: draft.values.draftId!, reporter, values: draft.values, submittedAt: services.now().toISOString() };
    return services.outbox.submit<ReportPayload, ReportReceipt>(REPORT_TASK, id, payload);
  }

  /** Sends the first card (or the "continue?" card) where the report can be taken privately. */
  async function begin(turn: Turn, prefill: Pick<ReportValues, 'source' | 'context'>): Promise<string> {
    const roster = await services.config.current();
    const owner = ownerOf(turn);
    const found = await services.drafts.get<ReportValues>(owner, FORM);
    const existing = found?.value.step === SENT_STEP ? undefined : found;
    let first: AdaptiveCard;
    if (existing) {
      first = renderCard('incident-resume', { startedAt: formatTime(existing.value.startedAt, roster), stepName: own(STEP_NAMES, existing.value.step) ?? existing.value.step });
    } else {
      const saved = await services.drafts.save<ReportValues>(owner, FORM, 'safety', { ...prefill });
      first = card(saved.value, roster);
    }
    if (turn.place.kind === 'personal') {
      await turn.send({ card: first });
      return 'Your report has started below.';
    }
    const sent = await services.messenger.toPerson({ aadObjectId: turn.actor.aadObjectId, email: turn.actor.email }, { card: first });
    // No form will reach them, so the safety card's first line is said here instead.
    return sent ? PRIVATE : 'If a child is in immediate danger, call 999 now, then tell the DSL. I could not open a private chat with you to take the report: open a chat with Lantern and type **report an incident** there.';
  }

  async function load(turn: Turn): Promise<Stored<Draft<ReportValues>> | undefined> {
    const draft = await services.drafts.get<ReportValues>(ownerOf(turn), FORM);
    // Marked `sending` by a version before the outbox (no task id): back at its last step, as that version did after its timeout.
    if (draft?.value.step === SENDING_STEP && !draft.value.values.draftId) return { ...draft, value: { ...draft.value, step: 'details' } };
    return draft;
  }

  async function save(turn: Turn, draft: Stored<Draft<ReportValues>>, step: Step | typeof SENDING_STEP, values: ReportValues, roster: Roster): Promise<Stored<Draft<ReportValues>> | ActionResult> {
    try {
      return await services.drafts.save(ownerOf(turn), FORM, step, values, draft.etag);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const fresh = await load(turn);
      if (!fresh) return { message: NO_DRAFT };
      // Sent meanwhile (the same press redelivered to another instance, or pressed twice): that
      // send's receipt, as any press on the form's cards shows once it is sending.
      if (sendingOrSent(fresh.value)) return send(turn, fresh.value, roster);
      return { card: card(fresh.value, roster, 'This report was just changed in another window. Here is where it is now.') };
    }
  }

  /** Saves the form at `step` and shows that step's card (or the fresh one after a conflict). */
  async function moveTo(turn: Turn, draft: Stored<Draft<ReportValues>>, step: Step, values: ReportValues, roster: Roster): Promise<ActionResult> {
    const saved = await save(turn, draft, step, values, roster);
    return isResult(saved) ? saved : { card: card(saved.value, roster) };
  }

  /** Loads the draft and checks the card pressed belongs to the step the report is at. */
  async function current(action: CardAction, turn: Turn, roster: Roster): Promise<Stored<Draft<ReportValues>> | ActionResult> {
    const draft = await load(turn);
    if (!draft) return { message: NO_DRAFT };
    // Send was pressed: any press on the old cards finishes that send and shows its receipt.
    if (sendingOrSent(draft.value)) return send(turn, draft.value, roster, action);
    if (action.data.step !== draft.value.step) return { card: card(draft.value, roster, STALE) };
    return draft;
  }

  /**
   * Marks the alert as being sent, in the draft with the ETag it was read with, before it goes, so
   * a second press meanwhile (two taps, another device) sends none: it is shown that the first is
   * on its way. Undefined when the other press marked it first.
   */
  async function takeAlert(turn: Turn, draft: Stored<Draft<ReportValues>>, values: ReportValues, roster: Roster): Promise<Stored<Draft<ReportValues>> | ActionResult | undefined> {
    const marked = draft.value.values.urgentAlertSending;
    if (marked && services.now().getTime() - Date.parse(marked) < ALERT_LEASE_MS) return { card: formCard('safety', draft.value.values, roster, {}, ALERT_BEING_SENT) };
    values.urgentAlertRef ??= alertReference();
    values.urgentAlertSending = services.now().toISOString();
    try {
      return await services.drafts.save(ownerOf(turn), FORM, 'safety', values, draft.etag);
    } catch (err) {
      if (err instanceof ConflictError) return undefined;
      throw err;
    }
  }

  /** Yes or No on the safety card: Yes sends the urgent alert once, however often it is pressed. */
  async function danger(action: CardAction, turn: Turn, roster: Roster, mayRetry: boolean): Promise<ActionResult> {
    let draft = await current(action, turn, roster);
    if (isResult(draft)) return draft;
    const values = readStepInput('safety', action.data, draft.value.values);
    const errors = validateStep('safety', values, roster, services.now());
    if (Object.keys(errors).length) return { card: formCard('safety', values, roster, errors) };
    const inDanger = action.data.answer === 'yes';
    values.immediateDanger = inDanger;
    if (inDanger && !values.urgentAlertAt) {
      const taken = await takeAlert(turn, draft, values, roster);
      // The other press marked it first: this one reads the form again and finds the mark.
      if (!taken) return mayRetry ? danger(action, turn, roster, false) : { card: card((await load(turn))?.value ?? draft.value, roster, ALERT_BEING_SENT) };
      if (isResult(taken)) return taken;
      draft = taken;
      const section = values.section && values.section !== 'unsure' ? roster.section(values.section)?.name : undefined;
      let alert: Awaited<ReturnType<typeof urgentAlert>>;
      try {
        alert = await urgentAlert(services, section, { id: turn.actor.personId, name: turn.actor.name, email: turn.actor.email }, values.urgentAlertRef!, roster);
      } catch (err) {
        // Not "being sent" any more: the next press tries again at once.
        await services.drafts.save(ownerOf(turn), FORM, 'safety', { ...values, urgentAlertSending: undefined }, taken.etag).catch(() => undefined);
        throw err;
      }
      values.urgentAlertSending = undefined;
      values.urgentAlertAt = services.now().toISOString();
      values.urgentAlerted = alert.reached;
      values.urgentMissed = [...alert.missed.filter((m) => / channel$/.test(m)), ...ringList(alert.missedIds ?? [], roster)];
      values.urgentWidened = alert.widened;
      values.urgentRing = alert.ring;
      await services.audit.append({
        actor: { id: ownerOf(turn), name: turn.actor.name },
        action: 'incident.urgent-alert',
        entityType: 'incident-alert',
        entityId: ownerOf(turn),
        reason: 'child in immediate danger reported',
        detail: { alert: values.urgentAlertRef, section: section ?? 'not known', reached: alert.reached, missed: alert.missed, widened: alert.widened },
      });
    }
    const step = nextStep('safety', values) as Step;
    return moveTo(turn, draft, step, values, roster);
  }

  const isResult = (x: unknown): x is ActionResult => !!x && typeof x === 'object' && ('card' in x || 'message' in x);

  const actions: Record<string, ActionHandler> = {
    'incident.start': async (action, turn) => {
      const message = await begin(turn, { source: shortText(action.data.source), context: shortText(action.data.context) });
      return { message };
    },

    'incident.resume': async (action, turn, roster) => {
      const draft = await load(turn);
      if (draft && sendingOrSent(draft.value)) return send(turn, draft.value, roster, action);
      return draft ? { card: card(draft.value, roster) } : { message: NO_DRAFT };
    },

    'incident.restart': async (_action, turn, roster) => {
      const draft = await load(turn);
      // A report whose send began is finished first, so starting again can never drop it.
      if (draft?.value.step === SENDING_STEP) await send(turn, draft.value, roster);
      await services.drafts.clear(ownerOf(turn), FORM);
      const saved = await services.drafts.save<ReportValues>(ownerOf(turn), FORM, 'safety', {});
      return { card: card(saved.value, roster) };
    },

    'incident.cancel': async (_action, turn, roster) => {
      const draft = await load(turn);
      if (draft && sendingOrSent(draft.value)) {
        const sent = await finish(turn, draft.value);
        if (sent.state !== 'done') return { message: sent.state === 'interrupted' ? INTERRUPTED : STILL_SENDING };
        // Reaching no one, the case is still with whoever its route named (the Head, the Chair, the data-protection lead, not always a DSL): they are the call to make.
        const { ref, delivery, route } = sent.result;
        return { message: `This report was already sent as ${ref}, so it cannot be cancelled. ${delivery.reached.length ? `It reached ${delivery.reached.join(', ')}.` : `It reached no one in Teams: phone ${whomToPhone(route.owners, route.kind, roster)} now.`}` };
      }
      await services.drafts.clear(ownerOf(turn), FORM);
      return { message: cancelMessage(draft?.value.values) };
    },

    'incident.danger': (action, turn, roster) => danger(action, turn, roster, true),

    'incident.next': async (action, turn, roster) => {
      const draft = await current(action, turn, roster);
      if (isResult(draft)) return draft;
      const step = draft.value.step as Step;
      const values = readStepInput(step, action.data, draft.value.values);
      const errors = validateStep(step, values, roster, services.now());
      if (Object.keys(errors).length) {
        // Keep what was typed, so the person only fixes the field in error.
        const saved = await save(turn, draft, step, values, roster);
        if (isResult(saved)) return saved;
        return { card: formCard(step, values, roster, errors, 'Some answers need another look: each answer to fix is marked ⚠ with what to change.') };
      }
      const next = nextStep(step, values);
      if (next === 'submit') {
        // The draft keeps the report until its send is done: a cut here loses nothing typed.
        const claimed = await save(turn, draft, SENDING_STEP, { ...values, draftId: randomUUID() }, roster);
        if (isResult(claimed)) return claimed;
        return send(turn, claimed.value, roster, action);
      }
      return moveTo(turn, draft, next, values, roster);
    },

    'incident.back': async (action, turn, roster) => {
      const draft = await current(action, turn, roster);
      if (isResult(draft)) return draft;
      const step = draft.value.step as Step;
      const values = readStepInput(step, action.data, draft.value.values);
      return moveTo(turn, draft, previousStep(step, values), values, roster);
    },
  };

  // Only `incident.start` may come from a shared chat (it moves the report to a private one).
  for (const [verb, handler] of Object.entries(actions).filter(([v]) => v !== 'incident.start')) {
    setOwn<ActionHandler>(actions, verb, async (action, turn, roster) => (turn.place.kind === 'personal' ? handler(action, turn, roster) : { message: 'Reports are only taken in your private chat with Lantern. Nothing was changed.' }));
  }
  return { begin, actions };
}
