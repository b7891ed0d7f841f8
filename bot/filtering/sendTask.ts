import { createOrAdopt, type TaskRun } from '../scheduler/outbox';
import { ConflictError } from '../storage/errors';
import { STEPS } from './chain';
import { stepCard, summaryCard } from './cardViews';
import { auditActor, type FilterContext } from './context';
import type { FilterRequest, PersonRef, RequestDetails } from './filterRequest';
import type { FormValues } from './requestForm';
import { scheduleNewRequest } from './stepSchedule';

export const SEND_TASK = 'filter.send';
export const FORM = 'filter-request';

/** A checked form, as saved at the summary: `draftId` makes its one send unique. */
export type SendDraft = FormValues & { draftId?: string; reference?: string };

export interface SendPayload extends Record<string, unknown> {
  draftId: string;
  requester: PersonRef;
  details: RequestDetails;
}

export interface SendReceipt {
  reference: string;
  details: RequestDetails;
  reached: number;
}

export const sendTaskId = (draftId: string) => `filter-send-${draftId}`;

/** What the requester sees once the request is in: the same card however often they ask. */
export function receiptCard(receipt: SendReceipt) {
  return summaryCard(receipt.details, { sentAs: receipt.reference, notice: receipt.reached ? '' : 'I could not reach anyone for the first step yet; the request is saved and the DSL will see it in the filter log.' });
}

/**
 * A filter request from a checked draft, as an outbox task: each step runs once however often
 * the send is retried, and a tick finishes it (telling the requester in chat) if they stop trying.
 */
export function sendTask(ctx: FilterContext) {
  const { services, settings } = ctx;
  return async (p: SendPayload, run: TaskRun): Promise<SendReceipt> => {
    const reference = await run.step('reference', () => ctx.requests.nextReference(services.now().getUTCFullYear()));
    const request = await run.step('request', async (): Promise<FilterRequest> => {
      const request: FilterRequest = {
        reference,
        details: p.details,
        requestedBy: p.requester,
        requestedAt: services.now().toISOString(),
        status: 'in-progress',
        step: settings.chain[0],
        chain: [...settings.chain],
        history: [],
        reviews: [],
      };
      // The reference was allocated by this task's own first step, so a request under it is ours.
      return createOrAdopt(async () => (await ctx.requests.create(request)).value, async () => (await ctx.requests.require(reference)).value);
    });
    await run.step('jobs', () => scheduleNewRequest(services.scheduler, request, new Date(request.requestedAt), settings.stepReminderHours));
    await run.step('audit', async () => {
      await services.audit.append({ actor: auditActor(p.requester), action: 'filter.requested', entityType: 'filter-request', entityId: reference, changes: { status: { to: STEPS[request.step!].waiting } }, detail: { target: p.details.target, change: p.details.change } });
    });
    await run.step('draft', async () => {
      // Marks this draft sent (a later press shows the receipt); a newer draft is left alone.
      const draft = await services.drafts.get<SendDraft>(p.requester.id, FORM);
      if (draft?.value.values.draftId !== p.draftId) return;
      await services.drafts.save<SendDraft>(p.requester.id, FORM, 'sent', { ...draft.value.values, reference }, draft.etag).catch((err) => {
        if (!(err instanceof ConflictError)) throw err;
      });
    });
    const roster = await services.config.current();
    const posted = await run.step('post', () => ctx.delivery.postStep(request, request.step!, stepCard(request, { timeZone: ctx.timeZone, step: request.step! }), roster));
    await run.step('cards', () => ctx.cards.remember(reference, posted));
    const receipt: SendReceipt = { reference, details: p.details, reached: posted.length };
    if (!run.inline) {
      // Finished by a tick: the requester's receipt is a card of the request, kept current like the rest.
      const placed = await run.step('receipt', () => ctx.delivery.toPeople(reference, [p.requester], 'receipt', { card: receiptCard(receipt) }));
      await run.step('receipt-card', () => ctx.cards.remember(reference, placed));
    }
    return receipt;
  };
}
