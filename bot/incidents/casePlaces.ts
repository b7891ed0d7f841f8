import type { PostedMessage } from '../chat/address';
import type { Services } from '../chat/capability';
import { placeKey, RecordCards, type PlacedCard } from '../cards/recordCards';
import { caseCard } from './caseCards';
import type { CaseStore } from './caseStore';

/**
 * Every copy of a case card (the DSL channel, owners 1:1, escalations), kept current through
 * the outbox. Each shows the same summary view: no pupil names, no account.
 */
export function caseCardPlaces(services: Services, cases: CaseStore): RecordCards {
  return new RecordCards(services, 'incident', async (ref) => {
    const c = (await cases.get(ref))?.value;
    if (!c) return undefined;
    const roster = await services.config.current();
    return () => caseCard(c, roster);
  });
}

/** Case cards just posted, for RecordCards.remember. */
export function placedCaseCards(posts: PostedMessage[]): PlacedCard[] {
  return posts.map((posted) => ({ place: placeKey({ conversation: posted.address }), posted, view: 'case', fresh: true }));
}
