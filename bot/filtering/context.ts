import type { RecordCards } from '../cards/recordCards';
import type { Services } from '../chat/capability';
import type { Actor } from '../chat/turn';
import type { CheckStore } from './filterCheck';
import type { PersonRef } from './filterRequest';
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
  /** Every card posted for a request, kept current after each change. */
  cards: RecordCards;
}

/** Who the audit names for what Lantern does on its own (reminders, escalations). */
export const SYSTEM_ACTOR = { id: 'lantern', name: 'Lantern' };

export function actorRef(actor: Actor): PersonRef {
  return { id: actor.personId ?? actor.aadObjectId ?? actor.teamsUserId, name: actor.name, aadObjectId: actor.aadObjectId };
}

export function auditActor(person: PersonRef): { id: string; name: string } {
  return { id: person.id, name: person.name };
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
