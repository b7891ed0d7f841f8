import type { PostedMessage } from '../chat/address';
import type { Services } from '../chat/capability';
import { placeKey, RecordCards, type CardPlace, type PlacedCard } from '../cards/recordCards';
import { caseCard } from './caseCards';
import type { IncidentCase } from './caseRecord';
import { reporterFollows, reporterReceipt } from './reporterReceipt';
import type { CaseStore } from './caseStore';

/** The view of the reporter's own receipt card, in their 1:1 chat. */
export const RECEIPT_VIEW = 'receipt';

/** The reporter's 1:1 chat, where their receipt lives. */
export const reporterPlace = (c: Pick<IncidentCase, 'reporter'>): CardPlace => ({ person: { id: c.reporter.id, aadObjectId: c.reporter.aadObjectId } });

/**
 * Every copy of a case card (the DSL channel, owners 1:1, escalations), kept current through
 * the outbox. Each shows the same summary view: no pupil names, no account. The reporter's
 * receipt is redrawn from their own report and a status line only, and never when the report is
 * about the reporter (a case never reaches the person it is about).
 */
export function caseCardPlaces(services: Services, cases: CaseStore): RecordCards {
  return new RecordCards(services, 'incident', async (ref) => {
    const c = (await cases.get(ref))?.value;
    if (!c) return undefined;
    const roster = await services.config.current();
    return (card) => {
      if (card.view === RECEIPT_VIEW) return reporterFollows(c) && card.place === placeKey(reporterPlace(c)) ? reporterReceipt(c, c.told, roster) : undefined;
      return caseCard(c, roster);
    };
  }, async (ref) => ((await cases.get(ref))?.value.posts ?? []).map((posted) => ({ posted, view: 'case' })));
}

/** Case cards just posted, for RecordCards.remember. */
export function placedCaseCards(posts: PostedMessage[]): PlacedCard[] {
  return posts.map((posted) => ({ place: placeKey({ conversation: posted.address }), posted, view: 'case', fresh: true }));
}
