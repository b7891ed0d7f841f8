import type { PlacedCard } from '../cards/recordCards';
import type { Roster } from '../config/roster';
import { ConflictError } from '../storage/errors';
import { stepCard } from './cardViews';
import { STEPS } from './chain';
import { SYSTEM_ACTOR, type FilterContext } from './context';
import { scopePhrase } from './describe';
import type { FilterRequest } from './filterRequest';
import { escalationPeople, isItStep } from './recipients';
import { STEP_IDS, type StepId } from './settings';
import { scheduleStepNudge, STEP_JOBS } from './stepSchedule';
import { own } from '../core/ownLookup';
import { countOf, ukDate } from '../calendar/ukFormat';

const HOUR_MS = 60 * 60_000;

/** When the step now waiting began: the last step's record, or the request itself. */
function waitingSince(request: FilterRequest): string {
  return request.history.at(-1)?.at ?? request.requestedAt;
}

/** Nudges for a step nobody acts on, and the requester's notice when the needed-by date passes. */
export function stepNudgeFlow(ctx: FilterContext) {
  const { services, settings } = ctx;

  async function nudge(reference: string, step: StepId, round: 1 | 2): Promise<void> {
    const stored = await ctx.requests.get(reference);
    // Done or declined since this was scheduled, or a job that outlived its cancel: nothing to chase.
    if (!stored || stored.value.status !== 'in-progress' || stored.value.step !== step) return;
    const request = stored.value;
    const now = services.now();
    // A retry after a failure part-way must not send this nudge again, only schedule the next.
    if (!request.stepReminders?.some((r) => r.step === step && r.round === round)) {
      const updated: FilterRequest = { ...request, stepReminders: [...(request.stepReminders ?? []), { step, round, at: now.toISOString() }] };
      try {
        await ctx.requests.replace(updated, stored.etag);
      } catch (err) {
        // Someone acted meanwhile; the scheduler retries and the check above decides again.
        if (err instanceof ConflictError) throw new Error(`${reference} changed while its ${step} reminder was being sent`);
        throw err;
      }
      const hours = Math.floor((now.getTime() - Date.parse(waitingSince(request))) / HOUR_MS);
      await services.audit.append({
        actor: SYSTEM_ACTOR,
        action: round === 1 ? 'filter.step-reminded' : 'filter.step-escalated',
        entityType: 'filter-request',
        entityId: reference,
        reason: `nobody has acted on the ${step} step for ${countOf(hours, 'hour')}`,
        detail: { step, round },
      });
      const roster = await services.config.current();
      const posted = round === 1 ? await remind(updated, step, hours, roster) : await escalate(updated, step, hours, roster);
      await ctx.cards.remember(reference, posted);
    }
    if (round === 1) await scheduleStepNudge(services.scheduler, reference, step, now, settings.stepReminderHours, 2);
  }

  /** The same people and places the step's card went to, through the same delivery. */
  function remind(request: FilterRequest, step: StepId, hours: number, roster: Roster): Promise<PlacedCard[]> {
    const notice = `Reminder: this has waited ${countOf(hours, 'hour')} for ${STEPS[step].who}.`;
    return ctx.delivery.postStep(request, step, stepCard(request, { timeZone: ctx.timeZone, step, notice }), roster, `Reminder: filter request ${request.reference} has waited ${countOf(hours, 'hour')} for ${STEPS[step].who}. The card above is up to date.`);
  }

  async function escalate(request: FilterRequest, step: StepId, hours: number, roster: Roster): Promise<PlacedCard[]> {
    const people = escalationPeople(step, request, roster, settings);
    if (!people.length) {
      services.log(`filtering: ${request.reference} has waited ${countOf(hours, 'hour')} at the ${step} step and there is nobody to escalate it to`);
      return [];
    }
    const card = stepCard(request, { timeZone: ctx.timeZone, step, notice: `Escalated: this has waited ${countOf(hours, 'hour')} for ${STEPS[step].who}.` });
    const trustIt = roster.trustHolder('itManager')?.id;
    const placed: PlacedCard[] = [];
    for (const group of [people.filter((p) => p.id !== trustIt), people.filter((p) => p.id === trustIt)].filter((g) => g.length)) {
      const as = group[0].id === trustIt ? "the trust's IT manager" : isItStep(step) ? 'the IT manager' : 'a deputy DSL';
      const text = `Escalated to you as ${as}: filter request ${request.reference} has waited ${countOf(hours, 'hour')}. ${STEPS[step].waiting}.`;
      placed.push(...(await ctx.delivery.toPeople(request.reference, group, 'step', { text, card }, step)));
    }
    return placed;
  }

  async function neededByPassed(reference: string): Promise<void> {
    const request = (await ctx.requests.get(reference))?.value;
    const step = request?.status === 'in-progress' ? request.step : undefined;
    if (!request || !step) return;
    const d = request.details;
    await services.audit.append({
      actor: SYSTEM_ACTOR,
      action: 'filter.needed-by-passed',
      entityType: 'filter-request',
      entityId: reference,
      reason: `needed by ${d.neededBy}, still at the ${step} step`,
      detail: { step, neededBy: d.neededBy },
    });
    await ctx.delivery.tell(
      request.requestedBy,
      `Your filter request ${reference} (${d.change} ${d.target} for ${scopePhrase(d)}) was needed by ${ukDate(d.neededBy)} and is still open. ${STEPS[step].waiting}; I will tell you when it moves on.`,
    );
  }

  const text = (payload: Record<string, unknown>, key: string) => {
    const v = own(payload, key);
    return typeof v === 'string' ? v : '';
  };

  return {
    jobs: {
      [STEP_JOBS.nudge]: async (job: { payload: Record<string, unknown> }) => {
        const step = text(job.payload, 'step') as StepId;
        // Retrying cannot mend a payload, so it is logged and dropped rather than failed.
        if (!STEP_IDS.includes(step)) return services.log(`filtering: dropped a step nudge for "${step}", which is not a step`);
        await nudge(text(job.payload, 'reference'), step, job.payload.round === 2 ? 2 : 1);
      },
      [STEP_JOBS.neededBy]: async (job: { payload: Record<string, unknown> }) => neededByPassed(text(job.payload, 'reference')),
    },
  };
}
