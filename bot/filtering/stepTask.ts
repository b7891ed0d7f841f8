import type { TaskRun } from '../scheduler/outbox';
import { ConflictError } from '../storage/errors';
import { applyStep, checkActor, STEPS } from './chain';
import { stepCard } from './cardViews';
import { auditActor, type FilterContext } from './context';
import { isoDate } from './dates';
import { ukDate } from '../calendar/ukFormat';
import { scopePhrase } from './describe';
import type { FilterRequest, PersonRef } from './filterRequest';
import { firstReviewDate, scheduleReminders } from './reviewSchedule';
import type { StepId } from './settings';
import { rescheduleAfterStep } from './stepSchedule';

export const STEP_TASK = 'filter.step';

export interface StepPayload extends Record<string, unknown> {
  reference: string;
  step: StepId;
  outcome: 'done' | 'declined';
  actor: PersonRef;
  comment: string;
  filterReference: string;
}

/** The request as it stands after the press, and the line to show on the clicker's card. */
export interface StepOutcome {
  request: FilterRequest;
  notice: string;
}

/** One person's press on one step: each step happens once, so this names it for good. */
export const stepTaskId = (p: Pick<StepPayload, 'reference' | 'step' | 'outcome' | 'actor'>) => `filter-step-${p.reference}-${p.step}-${p.outcome}-${p.actor.id}`;

/** The line on the clicker's card once their press is done. */
export const stepNotice = (step: StepId, outcome: StepPayload['outcome']) => (outcome === 'declined' ? 'Declined. The requester has been told why.' : `${STEPS[step].done}. Thank you.`);

interface Applied {
  applied: boolean;
  request: FilterRequest;
  notice?: string;
}

/**
 * A step done or declined, as an outbox task: the request is written once with the ETag read,
 * then its audit event, jobs, card updates and notices each happen once, however the press is
 * retried, and a tick finishes them if nobody presses again.
 */
export function stepTask(ctx: FilterContext) {
  const { services, settings } = ctx;

  const apply = async (p: StepPayload): Promise<Applied> => {
    for (;;) {
      const stored = await ctx.requests.require(p.reference);
      // An earlier attempt's write went through though its record of it was lost.
      const mine = stored.value.history.find((h) => h.step === p.step && h.outcome === p.outcome && h.by.id === p.actor.id);
      if (mine) return { applied: true, request: stored.value };
      const roster = await services.config.current();
      const check = checkActor(stored.value, p.step, p.actor, roster, settings);
      if (!check.ok) return { applied: false, request: stored.value, notice: check.message };
      const now = services.now();
      let updated = applyStep(stored.value, p.step, p.actor, now, { outcome: p.outcome, reason: p.comment || undefined, filterReference: p.step === 'make' && p.outcome === 'done' ? p.filterReference : undefined });
      if (updated.status === 'in-force') updated = { ...updated, reviewDate: firstReviewDate(updated, isoDate(now), settings.reviewAfterDays) };
      try {
        await ctx.requests.replace(updated, stored.etag);
        return { applied: true, request: updated };
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err; // someone else wrote it: look again
      }
    }
  };

  return async (p: StepPayload, run: TaskRun): Promise<StepOutcome> => {
    const result = await run.step('apply', () => apply(p));
    const request = result.request;
    if (!result.applied) return { request, notice: result.notice ?? '' };
    const { reference, step, outcome } = p;
    const record = [...request.history].reverse().find((h) => h.step === step)!;
    await run.step('audit', async () => {
      await services.audit.append({
        actor: auditActor(p.actor),
        action: outcome === 'declined' ? 'filter.declined' : STEPS[step].audit,
        entityType: 'filter-request',
        entityId: reference,
        reason: p.comment || undefined,
        changes: { step: { from: step, to: request.step ?? request.status }, ...(record.filterReference ? { filterReference: { to: record.filterReference } } : {}) },
      });
    });
    await run.step('jobs', async () => {
      await rescheduleAfterStep(services.scheduler, request, step, new Date(record.at), settings.stepReminderHours);
      if (request.status === 'in-force') await scheduleReminders(services.scheduler, request);
    });
    // Every card of the request, in every place, shows the new state (not only this step's).
    await run.step('refresh', () => ctx.cards.refresh(reference));
    const d = request.details;
    const what = `${d.change} ${d.target} for ${scopePhrase(d)}`;
    if (outcome === 'declined') {
      await run.step('tell', () => ctx.delivery.tell(request.requestedBy, `Your filter request ${reference} (${what}) was declined by ${p.actor.name} at the ${step} step: "${record.reason ?? ''}". Nothing will change in the filter.`));
    } else if (request.status === 'in-force') {
      await run.step('tell', () => ctx.delivery.tell(request.requestedBy, `Done: your filter request ${reference} (${what}) is in force${d.duration === 'temporary' ? ` until ${ukDate(d.endDate ?? '')}` : ''}. It will be reviewed by ${ukDate(request.reviewDate ?? '')}.`));
    } else {
      const next = request.step!;
      const roster = await services.config.current();
      const posted = await run.step('post', () => ctx.delivery.postStep(request, next, stepCard(request, { timeZone: ctx.timeZone, step: next }), roster));
      await run.step('cards', () => ctx.cards.remember(reference, posted));
      await run.step('tell', () => ctx.delivery.tell(request.requestedBy, `Your filter request ${reference}: ${STEPS[step].done.toLowerCase()} by ${p.actor.name}. Next: ${STEPS[next].who}.`));
    }
    const notice = stepNotice(step, outcome);
    if (!run.inline && p.actor.aadObjectId) {
      await run.step('receipt', () => services.messenger.toPerson({ aadObjectId: p.actor.aadObjectId }, { text: `${reference}: ${notice}` }));
    }
    return { request, notice };
  };
}
