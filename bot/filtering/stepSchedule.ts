import type { Scheduler } from '../scheduler/scheduler';
import { addDays, morningOf } from './dates';
import type { FilterRequest } from './filterRequest';
import type { StepId } from './settings';

export const STEP_JOBS = { nudge: 'filter.step-nudge', neededBy: 'filter.needed-by' } as const;

const HOUR_MS = 60 * 60_000;

/** A request passes each step once, so one id per step: finishing the step cancels its nudges by name. */
export function stepJobId(reference: string, step: StepId): string {
  return `filter-step-${reference}-${step}`;
}

export function neededByJobId(reference: string): string {
  return `filter-needed-by-${reference}`;
}

/** Round 2 reuses round 1's id, so the step's one job is always the next nudge due. */
export async function scheduleStepNudge(scheduler: Scheduler, reference: string, step: StepId, from: Date, hours: number, round: 1 | 2): Promise<void> {
  await scheduler.schedule(STEP_JOBS.nudge, new Date(from.getTime() + hours * HOUR_MS), { reference, step, round }, stepJobId(reference, step));
}

/** A new request: a nudge for its first step, and a word to the requester if its needed-by date passes. */
export async function scheduleNewRequest(scheduler: Scheduler, request: FilterRequest, now: Date, hours: number): Promise<void> {
  await scheduleStepNudge(scheduler, request.reference, request.step!, now, hours, 1);
  await scheduler.schedule(STEP_JOBS.neededBy, morningOf(addDays(request.details.neededBy, 1)), { reference: request.reference }, neededByJobId(request.reference));
}

/** After a step is done or declined: the next step gets its own nudge; a closed request is past needing either. */
export async function rescheduleAfterStep(scheduler: Scheduler, request: FilterRequest, step: StepId, now: Date, hours: number): Promise<void> {
  await scheduler.cancel(stepJobId(request.reference, step));
  if (request.status === 'in-progress' && request.step) await scheduleStepNudge(scheduler, request.reference, request.step, now, hours, 1);
  else await scheduler.cancel(neededByJobId(request.reference));
}
