import type { PostedMessage } from '../chat/address';
import type { Services } from '../chat/capability';
import type { Actor } from '../chat/turn';
import { ConflictError } from '../storage/errors';
import type { CheckStore } from './filterCheck';
import type { FilterRequest, PersonRef } from './filterRequest';
import type { Delivery } from './delivery';
import type { RequestStore } from './requestStore';
import type { FilteringSettings } from './settings';
import { own } from '../core/ownLookup';

/** What the filtering flows share. */
export interface FilterContext {
  services: Services;
  settings: FilteringSettings;
  /** The school's time zone, for times shown on cards. */
  timeZone: string;
  requests: RequestStore;
  checks: CheckStore;
  delivery: Delivery;
}

/** Who the audit names for what Lantern does on its own (reminders, escalations). */
export const SYSTEM_ACTOR = { id: 'lantern', name: 'Lantern' };

export function actorRef(actor: Actor): PersonRef {
  return { id: actor.personId ?? actor.aadObjectId ?? actor.teamsUserId, name: actor.name, aadObjectId: actor.aadObjectId };
}

export function auditActor(person: PersonRef): { id: string; name: string } {
  return { id: person.id, name: person.name };
}

/**
 * Remembers where a card was posted. Only the card list changes here, so on a conflict it is
 * merged into the newer record rather than overwriting whatever someone else just did.
 */
export async function recordCards(ctx: FilterContext, reference: string, key: keyof FilterRequest['cards'], posted: PostedMessage[]): Promise<void> {
  if (!posted.length) return;
  for (;;) {
    const stored = await ctx.requests.get(reference);
    if (!stored) return;
    const cards = { ...stored.value.cards, [key]: [...(stored.value.cards[key] ?? []), ...posted] };
    try {
      await ctx.requests.replace({ ...stored.value, cards }, stored.etag);
      return;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
}

/** Reads a string field from untrusted card data. */
export function textField(data: Record<string, unknown>, key: string, max = 4000): string {
  const v = own(data, key);
  return typeof v === 'string' ? v.slice(0, max) : '';
}

export const REFERENCE = /^FLT-\d{4}-\d{4,6}$/;

/** A private chat only: requests and exports carry reasons and names. */
export function isPrivate(kind: string): boolean {
  return kind === 'personal';
}
