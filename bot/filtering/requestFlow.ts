import type { ActionResult, CardAction, Turn } from '../chat/turn';
import type { Roster } from '../config/roster';
import { ConflictError } from '../storage/errors';
import { STEPS } from './chain';
import { formCard, stepCard, summaryCard } from './cardViews';
import { actorRef, auditActor, isPrivate, recordCards, textField, type FilterContext } from './context';
import { isoDate } from './dates';
import type { FilterRequest, RequestDetails } from './filterRequest';
import { neverAllowCategory, signalNeverAllowAttempt } from './neverAllowSignal';
import { refusalFor } from './refusals';
import { emptyForm, readFormValues, validateForm, type FormValues } from './requestForm';
import { scheduleNewRequest } from './stepSchedule';
import { normaliseWebsite } from './website';

const FORM = 'filter-request';
const SEND_RETRY_MS = 60_000;

/** The request form, its summary, and sending: taken in personal chat only. */
export function requestFlow(ctx: FilterContext) {
  const { services, settings } = ctx;
  const today = () => isoDate(services.now());

  /**
   * Opens the form in this chat, or 1:1 when asked in a channel or group. Returns the short reply
   * for the place it was asked: the caller says it once (as a message, or as a button's answer).
   */
  async function open(turn: Turn, prefill: Partial<FormValues>, errors: { url?: string } = {}): Promise<{ inPlace: boolean; reply: string }> {
    const card = formCard({ ...emptyForm(), ...prefill }, errors, settings);
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

  return {
    open,

    async start(action: CardAction, turn: Turn): Promise<ActionResult> {
      const url = textField(action.data, 'url', 2000).trim();
      const site = url ? normaliseWebsite(url) : undefined;
      const opened = !site ? await open(turn, {}) : site.ok ? await open(turn, { url: site.value }) : await open(turn, { url: '' }, { url: site.error });
      return { message: opened.reply };
    },

    async preview(action: CardAction, turn: Turn, roster: Roster): Promise<ActionResult> {
      const values = readFormValues(action.data);
      const result = validateForm(values, settings, roster, today());
      if (!result.ok) return { card: formCard(values, result.errors, settings, 'Some answers need a look: see the notes in red.') };
      const refusal = refusalFor(result.details, settings);
      if (refusal) return refuse(turn, result.details, refusal, roster);
      const site = result.details.targetKind === 'website' ? { ...values, url: result.details.target } : values;
      await services.drafts.save<FormValues>(actorRef(turn.actor).id, FORM, 'preview', site);
      return { card: summaryCard(result.details, {}) };
    },

    async edit(_action: CardAction, turn: Turn): Promise<ActionResult> {
      const draft = await services.drafts.get<FormValues>(actorRef(turn.actor).id, FORM);
      return { card: formCard(draft?.value.values ?? emptyForm(), {}, settings) };
    },

    async send(_action: CardAction, turn: Turn, roster: Roster): Promise<ActionResult> {
      const actor = actorRef(turn.actor);
      const draft = await services.drafts.get<FormValues>(actor.id, FORM);
      // A send that died half-way (storage failed after the draft was marked) may be tried again after a minute.
      const abandoned = draft?.value.step === 'sending' && services.now().getTime() - Date.parse(draft.value.updatedAt) > SEND_RETRY_MS;
      if (!draft || (draft.value.step !== 'preview' && !abandoned)) {
        return { message: 'There is no filter request waiting to be sent: it was already sent, or never checked. Type **request a filter change** to start one.' };
      }
      // Dates may have passed and the never-allow list may have changed since the summary was shown.
      const result = validateForm(draft.value.values, settings, roster, today());
      if (!result.ok) return { card: formCard(draft.value.values, result.errors, settings, 'Some answers need a look: see the notes in red.') };
      const refusal = refusalFor(result.details, settings);
      if (refusal) return refuse(turn, result.details, refusal, roster);
      try {
        await services.drafts.save(actor.id, FORM, 'sending', draft.value.values, draft.etag);
      } catch (err) {
        if (err instanceof ConflictError) return { message: 'This request is already being sent. Nothing more was sent.' };
        throw err;
      }
      const now = services.now();
      const reference = await ctx.requests.nextReference(now.getUTCFullYear());
      const request: FilterRequest = {
        reference,
        details: result.details,
        requestedBy: actor,
        requestedAt: now.toISOString(),
        status: 'in-progress',
        step: settings.chain[0],
        chain: [...settings.chain],
        history: [],
        reviews: [],
        cards: {},
      };
      await ctx.requests.create(request);
      await scheduleNewRequest(services.scheduler, request, now, settings.stepReminderHours);
      await services.audit.append({ actor: auditActor(actor), action: 'filter.requested', entityType: 'filter-request', entityId: reference, changes: { status: { to: STEPS[request.step!].waiting } }, detail: { target: request.details.target, change: request.details.change } });
      await services.drafts.clear(actor.id, FORM);
      const posted = await ctx.delivery.postStep(request, request.step!, stepCard(request, { timeZone: ctx.timeZone, step: request.step! }), roster);
      await recordCards(ctx, reference, request.step!, posted);
      return { card: summaryCard(result.details, { sentAs: reference, notice: posted.length ? '' : 'I could not reach anyone for the first step yet; the request is saved and the DSL will see it in the filter log.' }) };
    },
  };
}

