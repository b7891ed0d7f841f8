import { randomUUID } from 'node:crypto';
import type { ActionResult, CardAction, Turn } from '../chat/turn';
import type { Roster } from '../config/roster';
import { formCard, summaryCard } from './cardViews';
import { actorRef, auditActor, isPrivate, textField, type FilterContext } from './context';
import { isoDate } from './dates';
import type { RequestDetails } from './filterRequest';
import { neverAllowCategory, signalNeverAllowAttempt } from './neverAllowSignal';
import { refusalFor } from './refusals';
import { deadEndFor } from './holders';
import { emptyForm, readFormValues, validateForm, type FormValues } from './requestForm';
import { FORM, receiptCard, SEND_TASK, sendTaskId, type SendDraft, type SendPayload, type SendReceipt } from './sendTask';
import { normaliseWebsite } from './website';

const INTERRUPTED = "Your request is saved, but Lantern's storage failed before it went on to the DSL. Press **Send** again in a minute, or I will finish it myself and post the receipt in this chat.";
const STILL_SENDING = 'Your request is saved and on its way to the DSL; I will post the receipt in this chat when it has gone.';

// The form's cards carry the reason (which can name a pupil), and the sent request's card becomes
// the requester's receipt, redrawn for everyone who can see it at every step.
const PRIVATE_ONLY = 'Filter change requests are taken in your private chat with Lantern. Nothing was sent: type **request a filter change** to open the form there.';

const CHECK_AGAIN = 'Some answers need a look: each answer to fix is marked ⚠ with what to change.';
/** The draft step of a form checked with answers still to fix. */
const EDITING = 'editing';

/** The request form, its summary, and sending: taken in personal chat only. */
export function requestFlow(ctx: FilterContext) {
  const { services, settings } = ctx;
  const today = () => isoDate(services.now());

  /**
   * Opens the form in this chat, or 1:1 when asked in a channel or group. Returns the short reply
   * for the place it was asked: the caller says it once (as a message, or as a button's answer).
   */
  async function open(turn: Turn, prefill: Partial<FormValues>, errors: { target?: string } = {}): Promise<{ inPlace: boolean; reply: string }> {
    const roster = await services.config.current();
    // A form left half-filled (saved when it was last checked) comes back as it was, even after a restart.
    const unfinished = Object.keys(prefill).length || Object.keys(errors).length ? undefined : await services.drafts.get<FormValues>(actorRef(turn.actor).id, FORM);
    const resumed = unfinished?.value.step === EDITING || unfinished?.value.step === 'preview';
    const values = resumed ? readFormValues(unfinished!.value.values as unknown as Record<string, unknown>, emptyForm()) : { ...emptyForm(), ...prefill };
    const card = formCard(values, errors, settings, roster, resumed ? 'This is the request you started: nothing has been sent yet.' : '');
    if (isPrivate(turn.place.kind)) {
      await turn.send({ card });
      return { inPlace: true, reply: 'The filter change form is below.' };
    }
    const sent = await services.messenger.toPerson({ aadObjectId: turn.actor.aadObjectId }, { card });
    return { inPlace: false, reply: sent ? "I've sent you a private message" : 'Filter change requests are taken in a private chat: open a chat with me and type **request a filter change**.' };
  }

  async function refuse(turn: Turn, details: RequestDetails, reason: string, roster: Roster): Promise<ActionResult> {
    const actor = actorRef(turn.actor);
    await services.drafts.clear(actor.id, FORM);
    await services.audit.append({ actor: auditActor(actor), action: 'filter.refused', entityType: 'filter-request', entityId: `${details.targetKind}:${details.target}`, reason, detail: { change: details.change } });
    const category = neverAllowCategory(details, settings);
    if (!category) return { message: reason };
    return { message: `${reason} ${await signalNeverAllowAttempt(ctx, actor, category, roster)}` };
  }

  /** Saves what was typed, so it survives a restart; a send under way keeps its draft. */
  async function keepUnfinished(personId: string, values: FormValues): Promise<void> {
    const before = await services.drafts.get<FormValues>(personId, FORM);
    if (before?.value.step === 'sending') return;
    await services.drafts.save<FormValues>(personId, FORM, EDITING, values).catch((err: Error) => services.log(`filtering: a half-filled form was not saved: ${err.message}`));
  }

  return {
    open,

    async start(action: CardAction, turn: Turn): Promise<ActionResult> {
      const url = textField(action.data, 'url', 2000).trim();
      const site = url ? normaliseWebsite(url) : undefined;
      const opened = !site ? await open(turn, {}) : site.ok ? await open(turn, { target: site.value }) : await open(turn, { target: '' }, { target: site.error });
      return { message: opened.reply };
    },

    async preview(action: CardAction, turn: Turn, roster: Roster): Promise<ActionResult> {
      if (!isPrivate(turn.place.kind)) return { message: PRIVATE_ONLY };
      const values = readFormValues(action.data);
      const result = validateForm(values, settings, roster, today());
      if (!result.ok) {
        await keepUnfinished(actorRef(turn.actor).id, values);
        return { card: formCard(values, result.errors, settings, roster, CHECK_AGAIN) };
      }
      // Said before they send it: a request nobody else could approve would wait for ever.
      const refusal = refusalFor(result.details, settings) ?? deadEndFor(actorRef(turn.actor).id, settings.chain, roster, settings);
      if (refusal) return refuse(turn, result.details, refusal, roster);
      // Kept as the server read it: the website normalised, the category by its own name.
      const checked = { ...values, target: result.details.target, targetKind: result.details.targetKind, url: '', category: '' };
      await services.drafts.save<SendDraft>(actorRef(turn.actor).id, FORM, 'preview', { ...checked, draftId: randomUUID() });
      return { card: summaryCard(result.details, {}) };
    },

    /** Website or category: the same form again with the other field, keeping what was typed; nothing is checked or saved yet. */
    async kind(action: CardAction, turn: Turn, roster: Roster): Promise<ActionResult> {
      if (!isPrivate(turn.place.kind)) return { message: PRIVATE_ONLY };
      return { card: formCard(readFormValues(action.data), {}, settings, roster) };
    },

    /** Drops any checked-but-unsent request; carries no inputs, so it works on a half-filled form. */
    async cancel(_action: CardAction, turn: Turn): Promise<ActionResult> {
      const draft = await services.drafts.get<FormValues>(actorRef(turn.actor).id, FORM);
      if (draft?.value.step === 'sending') return { message: 'This request is already being sent, so it cannot be cancelled here.' };
      await services.drafts.clear(actorRef(turn.actor).id, FORM);
      return { message: 'Filter change request cancelled: nothing was sent.' };
    },

    async edit(_action: CardAction, turn: Turn, roster: Roster): Promise<ActionResult> {
      if (!isPrivate(turn.place.kind)) return { message: PRIVATE_ONLY };
      const draft = await services.drafts.get<FormValues>(actorRef(turn.actor).id, FORM);
      return { card: formCard(draft ? readFormValues(draft.value.values as unknown as Record<string, unknown>, emptyForm()) : emptyForm(), {}, settings, roster) };
    },

    async send(action: CardAction, turn: Turn, roster: Roster): Promise<ActionResult> {
      if (!isPrivate(turn.place.kind)) return { message: PRIVATE_ONLY };
      const actor = actorRef(turn.actor);
      const draft = await services.drafts.get<SendDraft>(actor.id, FORM);
      const draftId = draft?.value.values.draftId;
      if (!draft || !draftId || (draft.value.step !== 'preview' && draft.value.step !== 'sent')) {
        return { message: 'There is no filter request waiting to be sent: it was already sent, or never checked. Type **request a filter change** to start one.' };
      }
      const id = sendTaskId(draftId);
      const sentBefore = draft.value.step === 'sent';
      if (sentBefore) {
        const receipt = await services.outbox.result<SendReceipt>(id);
        if (receipt) return { card: receiptCard(receipt) };
      }
      // Dates may have passed and the never-allow list may have changed since the summary was shown.
      const result = validateForm(readFormValues(draft.value.values as unknown as Record<string, unknown>, emptyForm()), settings, roster, today());
      if (sentBefore && !result.ok) return { message: STILL_SENDING };
      if (!result.ok) return { card: formCard(readFormValues(draft.value.values as unknown as Record<string, unknown>, emptyForm()), result.errors, settings, roster, CHECK_AGAIN) };
      const refusal = sentBefore ? undefined : refusalFor(result.details, settings) ?? deadEndFor(actor.id, settings.chain, roster, settings);
      if (refusal) return refuse(turn, result.details, refusal, roster);
      // Started before? The task resumes with the payload it was first given.
      const sent = await services.outbox.submit<SendPayload, SendReceipt>(SEND_TASK, id, { draftId, requester: actor, details: result.details });
      if (sent.state === 'done') {
        // The card this press replaces becomes the requester's receipt, updated at every step.
        if (action.cardMessageId) await ctx.cards.adopt(sent.result.reference, { person: actor }, { address: turn.place.address, activityId: action.cardMessageId }, 'receipt');
        return { card: receiptCard(sent.result) };
      }
      return { message: sent.state === 'interrupted' ? INTERRUPTED : STILL_SENDING };
    },
  };
}

