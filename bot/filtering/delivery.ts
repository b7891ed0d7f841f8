import type { Services } from '../chat/capability';
import type { AdaptiveCard } from '../chat/capability';
import type { Outbound } from '../chat/turn';
import type { PlacedCard, RecordCards } from '../cards/recordCards';
import type { Roster } from '../config/roster';
import { StorageUnavailableError } from '../storage/errors';
import type { Person } from '../config/schoolConfigSchema';
import { STEPS } from './chain';
import type { FilterRequest, PersonRef } from './filterRequest';
import { alternateFor, dslStepPeople, isItStep, itPeople } from './recipients';
import type { FilteringSettings, StepId } from './settings';

/** Which audience's view a filter card shows (see filterCardViews). */
export type FilterView = 'step' | 'review' | 'receipt';

/**
 * Sends filter cards where they belong: IT steps and reminders to the registered IT channel (or
 * 1:1 to IT when there is none), DSL steps 1:1, a step held by the school's alternate 1:1 to
 * them. A place that already holds the request's card has that card updated (one card per
 * request per place), with the nudge as plain text. A card Teams will not take is logged, never
 * allowed to undo a step that was already saved. A storage fault on the way (looking up how to
 * reach someone) is thrown instead: the outbox step then runs again, rather than recording as
 * sent a notice that never left.
 */
export class Delivery {
  constructor(private readonly services: Services, private readonly settings: FilteringSettings, private readonly cards: RecordCards) {}

  async postStep(request: FilterRequest, step: StepId, card: AdaptiveCard, roster: Roster, nudge = `Filter request ${request.reference}: ${STEPS[step].waiting.charAt(0).toLowerCase()}${STEPS[step].waiting.slice(1)}. The card above is up to date.`): Promise<PlacedCard[]> {
    const alternate = alternateFor(step, request, roster, this.settings);
    if (isItStep(step) && !alternate) return this.toIt(request.reference, step, 'step', card, roster, nudge);
    return this.toPeople(request.reference, dslStepPeople(step, request, roster, this.settings), 'step', { card }, step, nudge);
  }

  async postReminder(request: FilterRequest, card: AdaptiveCard, roster: Roster, nudge: string): Promise<PlacedCard[]> {
    return this.toIt(request.reference, 'reminder', 'review', card, roster, nudge);
  }

  async toPeople(reference: string, people: Array<Pick<Person, 'id'> & { aadObjectId?: string; email?: string }>, view: FilterView, message: Outbound & { card: AdaptiveCard }, part?: string, nudge?: string): Promise<PlacedCard[]> {
    const placed: PlacedCard[] = [];
    const known = await this.cards.list(reference);
    for (const person of people) {
      const sent = await this.cards.deliver(reference, { person: { id: person.id, aadObjectId: person.aadObjectId, email: person.email } }, view, message, { part, nudge, known }).catch((err: Error) => {
        if (err instanceof StorageUnavailableError) throw err;
        this.services.log(`filtering: could not reach ${person.id} for ${reference}: ${err.message}`);
        return undefined;
      });
      if (sent) placed.push(sent);
      else this.services.log(`filtering: ${person.id} has not used Lantern yet, so ${reference} could not reach them 1:1`);
    }
    return placed;
  }

  async tell(person: PersonRef, text: string): Promise<void> {
    if (!person.aadObjectId) return;
    const sent = await this.services.messenger.toPerson({ aadObjectId: person.aadObjectId }, { text }).catch((err: Error) => {
      if (err instanceof StorageUnavailableError) throw err;
      return undefined;
    });
    if (!sent) this.services.log(`filtering: could not tell ${person.id}: ${text.slice(0, 60)}`);
  }

  private async toIt(reference: string, step: StepId | 'reminder', view: FilterView, card: AdaptiveCard, roster: Roster, nudge: string): Promise<PlacedCard[]> {
    const channel = await this.services.destinations.get('it');
    const part = step === 'reminder' ? undefined : step;
    if (channel) {
      try {
        const placed = await this.cards.deliver(reference, { conversation: channel.address }, view, { card }, { part, nudge });
        if (placed) return [placed];
      } catch (err) {
        if (err instanceof StorageUnavailableError) throw err;
        this.services.log(`filtering: the IT channel did not take ${reference} (${(err as Error).message}); sending 1:1 instead`);
      }
    }
    return this.toPeople(reference, itPeople(step, roster), view, { card }, part, nudge);
  }
}
