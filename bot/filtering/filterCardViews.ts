import type { PostedMessage } from '../chat/address';
import type { CardViews, LegacyCards } from '../cards/recordCards';
import type { RequestStore } from './requestStore';
import { reviewCard, statusLine, stepCard, summaryCard } from './cardViews';
import type { FilterContext } from './context';
import type { StepId } from './settings';

/**
 * Each posted card of a request as its audience should see it now: the requester's receipt with
 * the current status, a step card (buttons only while the request waits on that step), or the
 * review card once a review or expiry reminder has gone to that place.
 */
export function filterCardViews(ctx: Pick<FilterContext, 'requests' | 'settings' | 'timeZone'>): CardViews {
  return async (reference) => {
    const request = (await ctx.requests.get(reference))?.value;
    if (!request) return undefined;
    return (card) => {
      if (card.view === 'receipt') return summaryCard(request.details, { sentAs: reference, status: statusLine(request).status });
      if (card.view === 'review') return reviewCard(request, ctx.settings);
      return stepCard(request, { timeZone: ctx.timeZone, step: card.part as StepId });
    };
  };
}

/**
 * Requests stored before the posted-cards table kept each step's cards in their own `cards`
 * field (step or "reminder" → cards posted). The requester's receipt was never kept there.
 */
export function legacyFilterCards(requests: Pick<RequestStore, 'get'>): LegacyCards {
  return async (reference) => {
    const stored = (await requests.get(reference))?.value as { cards?: Record<string, PostedMessage[] | undefined> } | undefined;
    return Object.entries(stored?.cards ?? {}).flatMap(([key, posted]) =>
      (Array.isArray(posted) ? posted : []).map((p) => (key === 'reminder' ? { posted: p, view: 'review' } : { posted: p, view: 'step', part: key })),
    );
  };
}
