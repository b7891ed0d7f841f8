import type { ActionResult, CardAction, Turn } from '../chat/turn';
import type { Roster } from '../config/roster';
import { checkActor, holdsStepRole } from './chain';
import { actsAsAlternate } from './holders';
import { notYours } from './refusals';
import { stepCard } from './cardViews';
import { actorRef, auditActor, REFERENCE, textField, type FilterContext } from './context';
import { MAX_DECLINE_REASON, MAX_FILTER_REFERENCE } from './filterRequest';
import { STEP_IDS, type StepId } from './settings';
import { STEP_TASK, stepNotice, stepTaskId, type StepOutcome, type StepPayload } from './stepTask';

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
    // Only the requester, or a holder of this step once the request has reached it (their card of
    // it), may learn anything about it: holding a step's role is not reading the log (the deputy
    // head who confirms changes may not), and references are sequential.
    const reached = !!stored && (stored.value.step === step || stored.value.history.some((h) => h.step === step));
    const holds = !!stored && (holdsStepRole(step, actor.id, roster, settings) || actsAsAlternate(step, actor.id, stored.value, roster, settings));
    if (!stored || !(actor.id === stored.value.requestedBy.id || (reached && holds))) {
      if (stored) await services.audit.append({ actor: auditActor(actor), action: 'filter.step-refused', entityType: 'filter-request', entityId: reference, reason: 'role', detail: { step } });
      return { message: notYours(reference) };
    }
    const check = checkActor(stored.value, step, actor, roster, settings);
    // This person's own press, retried after it was written: the receipt, finishing what is left.
    const retried = !check.ok && check.kind === 'finished' && stored.value.history.some((h) => h.step === step && h.outcome === outcome && h.by.id === actor.id);
    if (retried) {
      const mine = await services.outbox.result<StepOutcome>(stepTaskId({ reference, step, outcome, actor }));
      if (mine) return { card: stepCard(mine.request, { timeZone: ctx.timeZone, step, notice: mine.notice }) };
    } else if (!check.ok) {
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
    if (Object.keys(errors).length) return { card: stepCard(stored.value, { timeZone: ctx.timeZone, step, errors, values, notice: 'Nothing was changed yet: the answer to fix is marked ⚠ with what to change.' }) };

    const payload: StepPayload = { reference, step, outcome, actor, comment, filterReference };
    // Pressed again after the task's marks were forgotten: the press is in the request, so it was done.
    const forgotten = async () => (retried ? { request: stored.value, notice: stepNotice(step, outcome) } : undefined);
    const done = await services.outbox.submit<StepPayload, StepOutcome>(STEP_TASK, stepTaskId(payload), payload, forgotten);
    if (done.state !== 'done') {
      const notice = done.state === 'interrupted' ? "Your answer is saved, but Lantern's storage failed before everyone was told. Press the button again in a minute, or I will finish it myself." : 'Your answer is being saved; I will finish it in a minute.';
      return { card: stepCard(stored.value, { timeZone: ctx.timeZone, step, notice }) };
    }
    return { card: stepCard(done.result.request, { timeZone: ctx.timeZone, step, notice: done.result.notice }) };
  }

  return {
    approve: (action: CardAction, turn: Turn, roster: Roster) => act(action, turn, roster, 'done'),
    decline: (action: CardAction, turn: Turn, roster: Roster) => act(action, turn, roster, 'declined'),
  };
}
