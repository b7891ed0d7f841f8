import type { PostedMessage } from '../chat/address';
import type { Services } from '../chat/capability';
import type { Outbound } from '../chat/turn';
import { renderCard } from '../cards/renderCard';
import type { Roster } from '../config/roster';
import type { IncidentCase } from './caseRecord';
import { caseCard, formatTime } from './caseCards';
import type { Route } from './routing';

export interface Delivery {
  posts: PostedMessage[];
  /** Who or where it reached, in words for the reporter. */
  reached: string[];
  /** People Teams could not reach: the reporter is told to tell them directly. */
  missed: string[];
}

/** Sends 1:1 to roster people; Teams only knows people who have used Lantern or are in a team with it. */
export async function toPeople(services: Services, ids: string[], roster: Roster, message: Outbound): Promise<Delivery> {
  const out: Delivery = { posts: [], reached: [], missed: [] };
  for (const id of [...new Set(ids)]) {
    const person = roster.person(id);
    if (!person) continue;
    const posted = await services.messenger.toPerson({ aadObjectId: person.aadObjectId, email: person.email }, message);
    if (posted) {
      out.posts.push(posted);
      out.reached.push(person.name);
    } else {
      out.missed.push(person.name);
      services.log(`incidents: could not reach ${person.id} in Teams`);
    }
  }
  return out;
}

/**
 * Posts into a registered channel; a channel Teams will not take is a miss, not a failed report:
 * the case is already stored and the people it is for are still told 1:1.
 */
async function toChannel(services: Services, dest: { address: PostedMessage['address']; label: string }, message: Outbound): Promise<Delivery> {
  try {
    return { posts: [await services.messenger.post(dest.address, message)], reached: [`the ${dest.label} channel`], missed: [] };
  } catch (err) {
    services.log(`incidents: the ${dest.label} channel did not take a card: ${(err as Error).message}`);
    return { posts: [], reached: [], missed: [`the ${dest.label} channel`] };
  }
}

function merge(a: Delivery, b: Delivery): Delivery {
  return { posts: [...a.posts, ...b.posts], reached: [...a.reached, ...b.reached], missed: [...a.missed, ...b.missed] };
}

/**
 * Posts the case card where the route says: the registered channel when there is one, else 1:1 to
 * the owners. Routes to the Head, the Chair or the data-protection lead without a `dpo` channel
 * are always 1:1, never a shared channel.
 */
export async function deliverCase(services: Services, c: IncidentCase, route: Route, roster: Roster): Promise<Delivery> {
  const card = { card: caseCard(c, roster) };
  let result: Delivery = { posts: [], reached: [], missed: [] };
  const dest = route.channel ? await services.destinations.get(route.channel.kind, route.channel.kind === 'dsl' ? route.channel.section : undefined) : undefined;
  if (dest) result = await toChannel(services, dest, card);
  if (!result.posts.length) result = merge(result, await toPeople(services, route.owners, roster, card));
  if (route.alsoTell.length) result = merge(result, await toPeople(services, route.alsoTell, roster, card));
  return result;
}

/** Updates every copy of the case card in place, so everyone sees the current status. */
export async function refreshCards(services: Services, c: IncidentCase, roster: Roster): Promise<void> {
  const card = caseCard(c, roster);
  for (const post of c.posts) {
    await services.messenger.update(post, { card }).catch((err) => services.log(`incidents: could not update the card for ${c.ref}: ${(err as Error).message}`));
  }
}

/**
 * The 999 alert, sent the moment the reporter says a child is in danger: to the section's DSL
 * channel if registered and 1:1 to its DSL and deputies who are not away; every DSL and deputy
 * when the section is not known yet.
 */
export async function urgentAlert(services: Services, section: string | undefined, reporter: string, roster: Roster): Promise<Delivery> {
  const when = services.now().toISOString();
  const card = { card: renderCard('incident-alert', { section: section ?? 'Not known yet', reporter, time: formatTime(when, roster) }) };
  const sections = section ? [section] : roster.sections().map((s) => s.name);
  let result: Delivery = { posts: [], reached: [], missed: [] };
  for (const name of sections) {
    const dest = await services.destinations.get('dsl', name);
    if (dest) result = merge(result, await toChannel(services, dest, card));
  }
  const team = sections.flatMap((name) => roster.dslAndDeputies(name));
  const present = team.filter((p) => !roster.isAway(p.id));
  return merge(result, await toPeople(services, (present.length ? present : team).map((p) => p.id), roster, card));
}
