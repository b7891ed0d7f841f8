import type { ActionResult, CardAction, Turn } from '../chat/turn';
import type { Roster } from '../config/roster';
import { ConflictError } from '../storage/errors';
import { reviewCard } from './cardViews';
import { actorRef, auditActor, REFERENCE, SYSTEM_ACTOR, textField, type FilterContext } from './context';
import { isoDate } from './dates';
import { countOf, ukDate } from '../calendar/ukFormat';
import { MAX_DECLINE_REASON, type FilterRequest } from './filterRequest';
import { cancelReminders, firstReviewDate, jobId, JOBS, scheduleReminders } from './reviewSchedule';
import { notYours } from './refusals';

const DAY_MS = 24 * 60 * 60_000;

/** Review and expiry: reminders to IT, escalation when overdue, and the recorded outcome. */
export function reviewFlow(ctx: FilterContext) {
  const { services, settings } = ctx;

  async function remind(reference: string, kind: 'review' | 'expiry'): Promise<void> {
    const stored = await ctx.requests.get(reference);
    if (!stored || stored.value.status !== 'in-force') return;
    const request = stored.value;
    const today = isoDate(services.now());
    // A review moved later by a "keep" leaves the old job pointing at a date that no longer applies.
    if (kind === 'review' && (!request.reviewDate || request.reviewDate > today)) return;
    if (request.reminder?.kind === kind) return;
    const sentAt = services.now().toISOString();
    const updated: FilterRequest = { ...request, reminder: { kind, sentAt } };
    try {
      await ctx.requests.replace(updated, stored.etag);
    } catch (err) {
      // Someone recorded an outcome meanwhile; the scheduler retries and the checks above decide again.
      if (err instanceof ConflictError) throw new Error(`${reference} changed while its reminder was being sent`);
      throw err;
    }
    await services.audit.append({ actor: SYSTEM_ACTOR, action: kind === 'expiry' ? 'filter.expiry-reminded' : 'filter.review-reminded', entityType: 'filter-request', entityId: reference, changes: { reminder: { to: kind } } });
    const roster = await services.config.current();
    const due = kind === 'expiry' ? `ended on ${updated.details.endDate}: revert it in the filter` : `is due for review: keep or revert it`;
    const posted = await ctx.delivery.postReminder(updated, reviewCard(updated, settings), roster, `Filter change ${reference} ${due}. The card above is up to date.`);
    await ctx.cards.remember(reference, posted);
    await ctx.cards.refreshSoon(reference);
    await services.scheduler.schedule(JOBS.overdue, new Date(services.now().getTime() + settings.escalateAfterDays * DAY_MS), { reference, sentAt }, jobId('overdue', reference));
  }

  async function escalate(reference: string, sentAt: unknown): Promise<void> {
    const stored = await ctx.requests.get(reference);
    const reminder = stored?.value.reminder;
    if (!stored || stored.value.status !== 'in-force' || !reminder || reminder.sentAt !== sentAt || reminder.escalatedAt) return;
    const updated: FilterRequest = { ...stored.value, reminder: { ...reminder, escalatedAt: services.now().toISOString() } };
    await ctx.requests.replace(updated, stored.etag);
    await services.audit.append({ actor: SYSTEM_ACTOR, action: 'filter.reminder-escalated', entityType: 'filter-request', entityId: reference, reason: `no outcome recorded ${countOf(settings.escalateAfterDays, 'day')} after the reminder` });
    const roster = await services.config.current();
    const manager = roster.holder('itManager');
    if (!manager) return;
    const what = reminder.kind === 'expiry' ? `Temporary filter change ${reference} ended on ${ukDate(updated.details.endDate ?? '')} and has not been recorded as reverted.` : `Filter change ${reference} was due for review on ${ukDate(updated.reviewDate ?? '')} and no outcome has been recorded.`;
    const posted = await ctx.delivery.toPeople(reference, [manager], 'review', { text: `Overdue: ${what}`, card: reviewCard(updated, settings) });
    await ctx.cards.remember(reference, posted);
  }

  async function reviewed(action: CardAction, turn: Turn, roster: Roster): Promise<ActionResult> {
    const reference = textField(action.data, 'reference', 40);
    const outcome = textField(action.data, 'outcome', 20);
    if (!REFERENCE.test(reference) || (outcome !== 'kept' && outcome !== 'reverted')) return { message: "That button's data was not understood, so nothing was changed." };
    const stored = await ctx.requests.get(reference);
    const actor = actorRef(turn.actor);
    if (!stored || !roster.has(actor.id, 'it-manager', 'it-technician')) {
      if (stored) await services.audit.append({ actor: auditActor(actor), action: 'filter.review-refused', entityType: 'filter-request', entityId: reference, reason: 'role' });
      return { message: notYours(reference) };
    }
    const request = stored.value;
    if (request.status !== 'in-force' || !request.reminder) {
      return { card: reviewCard(request, settings, { notice: 'This review was already recorded. Nothing was changed.' }) };
    }
    const note = textField(action.data, 'note').trim();
    if (note.length > MAX_DECLINE_REASON) return { card: reviewCard(request, settings, { note, error: `This is ${note.length} characters; the limit is ${MAX_DECLINE_REASON}.` }) };
    if (outcome === 'kept' && request.reminder.kind === 'expiry') return { card: reviewCard(request, settings, { note, notice: 'A temporary change cannot be kept past its end date: revert it, and ask for a new request if it is still needed.' }) };
    if (outcome === 'kept' && !note) return { card: reviewCard(request, settings, { note, error: 'Say why the change is still needed.' }) };
    // Keeping an exception is deciding it is still needed: not for the one who asked for it, as no
    // step of the chain is. Reverting only closes it, so that stays open to them.
    if (outcome === 'kept' && actor.id === request.requestedBy.id) {
      await services.audit.append({ actor: auditActor(actor), action: 'filter.review-refused', entityType: 'filter-request', entityId: reference, reason: 'self' });
      return { card: reviewCard(request, settings, { note, notice: `You asked for filter change ${reference}, so someone else in IT decides whether it is kept. Nothing was changed. You can still record it as reverted.` }) };
    }

    const now = services.now();
    const today = isoDate(now);
    const review = { kind: request.reminder.kind, outcome, by: actor, at: now.toISOString(), note: note || undefined } as const;
    const updated: FilterRequest =
      outcome === 'kept'
        ? { ...request, reminder: undefined, reviews: [...request.reviews, review], reviewDate: firstReviewDate(request, today, settings.reviewAfterDays) }
        : { ...request, reminder: undefined, reviews: [...request.reviews, review], status: 'ended' };
    try {
      await ctx.requests.replace(updated, stored.etag);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const fresh = (await ctx.requests.require(reference)).value;
      return { card: reviewCard(fresh, settings, { notice: 'This change was just updated by someone else, so your click changed nothing. This is how it stands now.' }) };
    }
    await services.audit.append({
      actor: auditActor(actor),
      action: outcome === 'kept' ? 'filter.review-kept' : 'filter.reverted',
      entityType: 'filter-request',
      entityId: reference,
      reason: note || undefined,
      changes: outcome === 'kept' ? { reviewDate: { from: request.reviewDate, to: updated.reviewDate } } : { status: { from: 'in force', to: 'ended' } },
    });
    await cancelReminders(services.scheduler, reference, outcome === 'kept' ? ['overdue'] : ['overdue', 'review', 'expire']);
    if (outcome === 'kept') await scheduleReminders(services.scheduler, updated);
    await ctx.cards.refreshSoon(reference);
    if (outcome === 'reverted') await ctx.delivery.tell(request.requestedBy, `Filter change ${reference} (${request.details.target}) has ended and was reverted in the filter by ${actor.name}.`);
    return { card: reviewCard(updated, settings, { notice: outcome === 'kept' ? `Kept. Next review ${ukDate(updated.reviewDate ?? '')}.` : 'Recorded as reverted.' }) };
  }

  const payloadReference = (payload: Record<string, unknown>) => (typeof payload.reference === 'string' ? payload.reference : '');

  return {
    reviewed,
    jobs: {
      [JOBS.review]: async (job: { payload: Record<string, unknown> }) => remind(payloadReference(job.payload), 'review'),
      [JOBS.expire]: async (job: { payload: Record<string, unknown> }) => remind(payloadReference(job.payload), 'expiry'),
      [JOBS.overdue]: async (job: { payload: Record<string, unknown> }) => escalate(payloadReference(job.payload), job.payload.sentAt),
    },
  };
}
