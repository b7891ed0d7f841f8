import type { PostedMessage } from '../chat/address';
import type { Services } from '../chat/capability';
import type { AdaptiveCard } from '../chat/capability';
import type { Roster } from '../config/roster';
import { StorageUnavailableError } from '../storage/errors';
import type { Person } from '../config/schoolConfigSchema';
import type { FilterRequest, PersonRef } from './filterRequest';
import { dslStepPeople, isItStep, itPeople } from './recipients';
import type { FilteringSettings, StepId } from './settings';

/**
 * Sends filter cards where they belong: IT steps and reminders to the registered IT channel (or
 * 1:1 to IT when there is none), DSL steps 1:1. A card Teams will not take is logged, never
 * allowed to undo a step that was already saved. A storage fault on the way (looking up how to reach
 * someone) is thrown instead: the outbox step then runs again, rather than recording as sent a
 * notice that never left.
 */
export class Delivery {
  constructor(private readonly services: Services, private readonly settings: FilteringSettings) {}

  async postStep(request: FilterRequest, step: StepId, card: AdaptiveCard, roster: Roster): Promise<PostedMessage[]> {
    if (isItStep(step)) return this.toIt(step, card, roster, `${request.reference} needs IT`);
    return this.toPeople(dslStepPeople(step, request, roster, this.settings), { card }, `${request.reference} ${step}`);
  }

  async postReminder(request: FilterRequest, card: AdaptiveCard, roster: Roster): Promise<PostedMessage[]> {
    return this.toIt('reminder', card, roster, `${request.reference} reminder`);
  }

  async toPeople(people: Person[], message: { text?: string; card?: AdaptiveCard }, what: string): Promise<PostedMessage[]> {
    const posted: PostedMessage[] = [];
    for (const person of people) {
      const sent = await this.services.messenger.toPerson({ aadObjectId: person.aadObjectId, email: person.email }, message).catch((err: Error) => {
        if (err instanceof StorageUnavailableError) throw err;
        this.services.log(`filtering: could not reach ${person.id} for ${what}: ${err.message}`);
        return undefined;
      });
      if (sent) posted.push(sent);
      else this.services.log(`filtering: ${person.id} has not used Lantern yet, so ${what} could not reach them 1:1`);
    }
    return posted;
  }

  /** Puts the current state on every copy of a card, for everyone who can see it. */
  async refresh(posted: PostedMessage[] | undefined, card: AdaptiveCard): Promise<void> {
    for (const p of posted ?? []) {
      await this.services.messenger.update(p, { card }).catch((err: Error) => this.services.log(`filtering: could not update a card: ${err.message}`));
    }
  }

  async tell(person: PersonRef, text: string): Promise<void> {
    if (!person.aadObjectId) return;
    const sent = await this.services.messenger.toPerson({ aadObjectId: person.aadObjectId }, { text }).catch((err: Error) => {
      if (err instanceof StorageUnavailableError) throw err;
      return undefined;
    });
    if (!sent) this.services.log(`filtering: could not tell ${person.id}: ${text.slice(0, 60)}`);
  }

  private async toIt(step: StepId | 'reminder', card: AdaptiveCard, roster: Roster, what: string): Promise<PostedMessage[]> {
    const channel = await this.services.destinations.get('it');
    if (channel) {
      try {
        return [await this.services.messenger.post(channel.address, { card })];
      } catch (err) {
        this.services.log(`filtering: the IT channel did not take ${what} (${(err as Error).message}); sending 1:1 instead`);
      }
    }
    return this.toPeople(itPeople(step, roster), { card }, what);
  }
}
