import type { ActionResult, CardAction, Turn } from '../chat/turn';
import type { Roster } from '../config/roster';
import { ConflictError } from '../storage/errors';
import { applyStep, checkActor, holdsStepRole, STEPS } from './chain';
import { notYours } from './refusals';
import { stepCard } from './cardViews';
import { actorRef, auditActor, recordCards, REFERENCE, textField, type FilterContext } from './context';
import { isoDate } from './dates';
import { scopeText } from './describe';
import { MAX_DECLINE_REASON, MAX_FILTER_REFERENCE, type FilterRequest } from './filterRequest';
import { firstReviewDate, scheduleReminders } from './reviewSchedule';
import { STEP_IDS, type StepId } from './settings';
import { rescheduleAfterStep } from './stepSchedule';

const UNREADABLE = "That button's data was not understood, so nothing was changed. Type **filter log** to find the request.";

/** Sanction, authorise, make, confirm: each a button on a card, decided on the server. */
export function approvalFlow(ctx: FilterContext) {
  const { services, settings } = ctx;

  async function act(action: CardAction, turn: Turn, roster: Roster, outcome: 'done' | 'declined'): Promise<ActionResult> {
    const reference = textField(action.data, 'reference', 40);
    const step = textField(action.data, 'step', 20) as StepId;
    if (!REFERENCE.test(reference) || !STEP_IDS.includes(step)) return { message: UNREADABLE };
    const stored = await ctx.requests.get(reference);
    const actor = actorRef(turn.actor);
    // Only someone who holds this step's role, or made the request, may learn anything about it.
    if (!stored || !(holdsStepRole(step, actor.id, roster, settings) || actor.id === stored.value.requestedBy.id)) {
      if (stored) await services.audit.append({ actor: auditActor(actor), action: 'filter.step-refused', entityType: 'filter-request', entityId: reference, reason: 'role', detail: { step } });
      return { message: notYours(reference) };
    }
    const check = checkActor(stored.value, step, actor, roster, settings);
    if (!check.ok) {
      if (check.kind !== 'finished') {
        await services.audit.append({ actor: auditActor(actor), action: 'filter.step-refused', entityType: 'filter-request', entityId: reference, reason: check.kind, detail: { step } });
      }
      return { card: stepCard(stored.value, { timeZone: ctx.timeZone, step, notice: check.message }) };
    }

    const comment = textField(action.data, 'comment').trim();
    const filterReference = textField(action.data, 'filterReference').trim();
    const values = { comment, filterReference };
    const errors: { comment?: string; filterReference?: string } = {};
    if (outcome === 'declined' && !comment) errors.comment = 'Say why you are declining: the requester will see it.';
    if (comment.length > MAX_DECLINE_REASON) errors.comment = `This is ${comment.length} characters; the limit is ${MAX_DECLINE_REASON}.`;
    if (outcome === 'done' && step === 'make') {
      if (!filterReference) errors.filterReference = "Enter the filter's own reference for this change, so the two logs match.";
      else if (filterReference.length > MAX_FILTER_REFERENCE) errors.filterReference = `This is ${filterReference.length} characters; the limit is ${MAX_FILTER_REFERENCE}.`;
    }
    if (Object.keys(errors).length) return { card: stepCard(stored.value, { timeZone: ctx.timeZone, step, errors, values, notice: 'Nothing was changed yet: see the note in red.' }) };

    const now = services.now();
    let updated = applyStep(stored.value, step, actor, now, { outcome, reason: comment || undefined, filterReference: step === 'make' && outcome === 'done' ? filterReference : undefined });
    if (updated.status === 'in-force') updated = { ...updated, reviewDate: firstReviewDate(updated, isoDate(now), settings.reviewAfterDays) };
    try {
      await ctx.requests.replace(updated, stored.etag);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const fresh = (await ctx.requests.require(reference)).value;
      return { card: stepCard(fresh, { timeZone: ctx.timeZone, step, notice: `This request was just updated by someone else, so your click changed nothing. This is how it stands now.` }) };
    }
    await services.audit.append({
      actor: auditActor(actor),
      action: outcome === 'declined' ? 'filter.declined' : STEPS[step].audit,
      entityType: 'filter-request',
      entityId: reference,
      reason: comment || undefined,
      changes: { step: { from: step, to: updated.step ?? updated.status }, ...(updated.filterReference !== stored.value.filterReference ? { filterReference: { to: updated.filterReference } } : {}) },
    });

    await rescheduleAfterStep(services.scheduler, updated, step, now, settings.stepReminderHours);

    // Independent deliveries: updating the old cards need not wait for the next step's card.
    await Promise.all([ctx.delivery.refresh(stored.value.cards[step], stepCard(updated, { timeZone: ctx.timeZone, step })), afterStep(updated, step, outcome, actor.name, roster)]);
    return { card: stepCard(updated, { timeZone: ctx.timeZone, step, notice: outcome === 'declined' ? 'Declined. The requester has been told why.' : `${STEPS[step].done}. Thank you.` }) };
  }

  async function afterStep(request: FilterRequest, step: StepId, outcome: 'done' | 'declined', byName: string, roster: Roster): Promise<void> {
    const d = request.details;
    const what = `${d.change} ${d.target} for ${scopeText(d).toLowerCase()}`;
    if (outcome === 'declined') {
      const reason = request.history.at(-1)?.reason ?? '';
      await ctx.delivery.tell(request.requestedBy, `Your filter request ${request.reference} (${what}) was declined by ${byName} at the ${step} step: "${reason}". Nothing will change in the filter.`);
      return;
    }
    if (request.status === 'in-force') {
      await scheduleReminders(services.scheduler, request);
      await ctx.delivery.tell(request.requestedBy, `Done: your filter request ${request.reference} (${what}) is in force${d.duration === 'temporary' ? ` until ${d.endDate}` : ''}. It will be reviewed by ${request.reviewDate}.`);
      return;
    }
    const next = request.step!;
    const posted = await ctx.delivery.postStep(request, next, stepCard(request, { timeZone: ctx.timeZone, step: next }), roster);
    await recordCards(ctx, request.reference, next, posted);
    await ctx.delivery.tell(request.requestedBy, `Your filter request ${request.reference}: ${STEPS[step].done.toLowerCase()} by ${byName}. Next: ${STEPS[next].who}.`);
  }

  return {
    approve: (action: CardAction, turn: Turn, roster: Roster) => act(action, turn, roster, 'done'),
    decline: (action: CardAction, turn: Turn, roster: Roster) => act(action, turn, roster, 'declined'),
  };
}
