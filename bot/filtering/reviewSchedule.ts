import type { Scheduler } from '../scheduler/scheduler';
import { addDays, morningOf } from './dates';
import type { FilterRequest } from './filterRequest';

export const JOBS = { review: 'filter.review', expire: 'filter.expire', overdue: 'filter.overdue' } as const;

/** Stable job ids: scheduling the same reminder twice is one job, and it can be cancelled by name. */
export function jobId(kind: keyof typeof JOBS, reference: string): string {
  return `filter-${kind}-${reference}`;
}

/** The date a change in force is next reviewed: after the configured period, never after a temporary change ends. */
export function firstReviewDate(request: FilterRequest, today: string, reviewAfterDays: number): string {
  const review = addDays(today, reviewAfterDays);
  const end = request.details.endDate;
  return request.details.duration === 'temporary' && end && end < review ? end : review;
}

/** A temporary change is reverted the morning after its end date; a review is due on the review date. */
export async function scheduleReminders(scheduler: Scheduler, request: FilterRequest): Promise<void> {
  const { duration, endDate } = request.details;
  const payload = { reference: request.reference };
  if (duration === 'temporary' && endDate) await scheduler.schedule(JOBS.expire, morningOf(addDays(endDate, 1)), payload, jobId('expire', request.reference));
  if (request.reviewDate && (duration === 'permanent' || !endDate || request.reviewDate < endDate)) {
    await scheduler.schedule(JOBS.review, morningOf(request.reviewDate), payload, jobId('review', request.reference));
  }
}

export async function cancelReminders(scheduler: Scheduler, reference: string, which: Array<keyof typeof JOBS>): Promise<void> {
  for (const kind of which) await scheduler.cancel(jobId(kind, reference));
}
