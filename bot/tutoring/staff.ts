import type { Actor } from '../chat/turn';
import type { Roster } from '../config/roster';
import type { StaffRef } from './tutorLog';

export function staffRef(actor: Actor): StaffRef {
  return {
    key: actor.personId ?? actor.email?.toLowerCase() ?? actor.aadObjectId ?? actor.teamsUserId,
    name: actor.name,
    aadObjectId: actor.aadObjectId,
    email: actor.email?.toLowerCase(),
  };
}

/** Does a configured reference (roster id or email) point at this person? */
export function refersTo(ref: string, actor: Actor): boolean {
  const r = ref.toLowerCase();
  return r === actor.personId?.toLowerCase() || r === actor.email?.toLowerCase();
}

/** A configured reference as a name: roster people by name, others by email. */
export function nameOf(ref: string, roster: Roster): string {
  return roster.person(ref)?.name ?? ref;
}

/** How to reach a configured reference 1:1. */
export function reachOf(ref: string, roster: Roster): { aadObjectId?: string; email?: string } {
  const person = roster.person(ref);
  return person ? { aadObjectId: person.aadObjectId, email: person.email } : { email: ref };
}
