import type { PostedMessage } from '../chat/address';
import type { Services } from '../chat/capability';
import type { Outbound } from '../chat/turn';
import { renderCard } from '../cards/renderCard';
import type { Roster } from '../config/roster';
import type { IncidentCase } from './caseRecord';
import { caseCard, formatTime } from './caseCards';
import { chairTitle, type Route } from './routing';
import { StorageUnavailableError } from '../storage/errors';

/**
 * Runs one send at most once (an outbox task's `run.step`): its result is kept, and a retry
 * returns it instead of sending again. The default just sends, for alerts and reminders.
 */
export type Once = <T>(name: string, work: () => Promise<T>) => Promise<T>;
const always: Once = (_name, work) => work();

export interface Delivery {
  posts: PostedMessage[];
  /** Who or where it reached, in words for the reporter. */
  reached: string[];
  /** People Teams could not reach: the reporter is told to tell them directly. */
  missed: string[];
  /** Roster ids of the people among `missed`, so their phone numbers can be given. */
  missedIds?: string[];
}

/** A send that has not answered by then is counted as not reached, so one stuck chat cannot hold up a report. */
const SEND_TIMEOUT_MS = 15_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Sends 1:1 to roster people, all at once: a refused, failing or stuck chat is a miss for that
 * person only. Teams only knows people who have used Lantern or are in a team with it.
 */
export async function toPeople(services: Services, ids: string[], roster: Roster, message: Outbound, once: Once = always, stepPrefix = 'to'): Promise<Delivery> {
  const people = [...new Set(ids)].map((id) => roster.person(id)).filter((p) => !!p);
  const results = await Promise.all(
    people.map((person) =>
      once(`${stepPrefix}:${person!.id}`, () =>
        withTimeout(services.messenger.toPerson({ aadObjectId: person!.aadObjectId, email: person!.email }, message), SEND_TIMEOUT_MS).catch((err) => {
          // Inside a resumable send, storage failing is not "could not reach": the retry sends it.
          if (once !== always && err instanceof StorageUnavailableError) throw err;
          services.log(`incidents: sending to ${person!.id} failed: ${(err as Error).message}`);
          return undefined;
        }),
      ),
    ),
  );
  const out: Delivery = { posts: [], reached: [], missed: [] };
  people.forEach((person, i) => {
    const posted = results[i];
    if (posted) {
      out.posts.push(posted);
      out.reached.push(person!.name);
    } else {
      out.missed.push(person!.name);
      out.missedIds = [...(out.missedIds ?? []), person!.id];
      services.log(`incidents: could not reach ${person!.id} in Teams`);
    }
  });
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
  return { posts: [...a.posts, ...b.posts], reached: [...a.reached, ...b.reached], missed: [...a.missed, ...b.missed], missedIds: [...(a.missedIds ?? []), ...(b.missedIds ?? [])] };
}

/** "Name (phone)" for each person, so a reporter who must ring someone has the number to hand. */
export function ringList(ids: string[], roster: Roster): string[] {
  return [...new Set(ids)].map((id) => roster.person(id)).filter((p) => !!p).map((p) => (p!.phone ? `${p!.name} (${p!.phone})` : `${p!.name} (no number on record: try the school office)`));
}

/**
 * Posts the case card where the route says: the registered channel when there is one, else 1:1 to
 * the owners. Routes to the Head, the Chair or the data-protection lead without a `dpo` channel
 * are always 1:1, never a shared channel. A deputy covering for an away DSL is also told 1:1, so
 * the case does not sit in a channel nobody is watching for them.
 */
export async function deliverCase(services: Services, c: IncidentCase, route: Route, roster: Roster, once: Once = always): Promise<Delivery> {
  const card = { card: caseCard(c, roster), text: whyItCame(c, route, roster) };
  let result: Delivery = { posts: [], reached: [], missed: [] };
  if (route.channel) {
    const channel = route.channel;
    result = await once('channel', async () => {
      const dest = await services.destinations.get(channel.kind, channel.kind === 'dsl' ? channel.section : undefined);
      return dest ? toChannel(services, dest, card) : result;
    });
  }
  if (!result.posts.length) result = merge(result, await toPeople(services, route.owners, roster, card, once, 'owner'));
  else if (route.coveringFor) {
    const away = roster.person(route.coveringFor)?.name ?? 'the DSL';
    result = merge(result, await toPeople(services, route.owners, roster, { text: `You are covering for ${away}, who is away: case ${c.ref} is new in ${result.reached[0]} and needs claiming.`, card: card.card }, once, 'owner'));
  }
  if (route.alsoTell.length) result = merge(result, await toPeople(services, route.alsoTell, roster, card, once, 'also'));
  return result;
}

/** For people-only routes, why the case came to this person and what the law then asks of them. */
function whyItCame(c: IncidentCase, route: Route, roster: Roster): string | undefined {
  if (route.kind === 'chair') return `Case ${c.ref} comes to you as ${chairTitle(c)} because it concerns the Head${c.chairRole ? ` of ${roster.schoolName}` : ''}, who cannot see it. An allegation about the Head must reach the LADO within one working day; Lantern will remind you.`;
  if (route.kind === 'head') return `Case ${c.ref} comes to you as the Head because it concerns a member of staff. If it is an allegation that a member of staff has harmed or may pose a risk to a child, the LADO must be told within one working day.`;
  return undefined;
}

export interface UrgentDelivery extends Delivery {
  /** Nobody in the section's team could be reached, so the alert went to the Head and the other sections. */
  widened: boolean;
  /** Whom to ring now, with numbers, when nobody at all received it. */
  ring: string[];
}

/**
 * The 999 alert, sent the moment the reporter says a child is in danger: to the section's DSL
 * channel if registered and 1:1 to its DSL and deputies who are not away; every DSL and deputy
 * when the section is not known yet. Every send is tried (one slow or refused chat does not stop
 * the rest); when none lands it widens to the Head, the other sections' teams and channels and,
 * in a trust, the trust's safeguarding lead.
 */
export async function urgentAlert(services: Services, section: string | undefined, reporter: { id?: string; name: string; email?: string }, alertRef: string, roster: Roster): Promise<UrgentDelivery> {
  const when = services.now().toISOString();
  // A way to reach the reporter at once: a Teams deep link to a chat with them. Only their name and
  // address: the alert says nothing of the child, so it is safe in a channel.
  const chatUrl = reporter.email ? `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(reporter.email)}` : '';
  const card = { card: renderCard('incident-alert', { alertRef, section: section ?? 'Not known yet', reporter: reporter.name, time: formatTime(when, roster), chatUrl, chatTitle: `Chat with ${reporter.name}` }) };
  const all = roster.sections().map((s) => s.name);
  const sections = section ? [section] : all;
  // A DSL raising the alert is not sent it: reaching only them would count as reached and stop it widening.
  const team = (names: string[]) => {
    const people = names.flatMap((name) => roster.dslAndDeputies(name)).filter((p) => p.id !== reporter.id);
    const present = people.filter((p) => !roster.isAway(p.id));
    return (present.length ? present : people).map((p) => p.id);
  };
  const ring = async (names: string[], people: string[]): Promise<Delivery> => {
    const sends = [
      ...(await Promise.all(names.map((name) => services.destinations.get('dsl', name)))).filter((d) => !!d).map((d) => toChannel(services, d!, card)),
      toPeople(services, people, roster, card),
    ];
    return (await Promise.all(sends)).reduce(merge, { posts: [], reached: [], missed: [] });
  };
  const first = team(sections);
  let result = await ring(sections, first);
  if (result.reached.length) return { ...result, widened: false, ring: [] };
  const others = all.filter((name) => !sections.includes(name));
  // In a trust the trust's safeguarding lead is in the wider ring too: the last person above the school.
  const wider = [...ids(roster.holder('head')), ...team(others), ...ids(roster.trustHolder('safeguardingLead'))].filter((id) => !first.includes(id) && id !== reporter.id);
  result = merge(result, await ring(others, wider));
  return { ...result, widened: true, ring: result.reached.length ? [] : ringList([...first, ...wider], roster) };
}

function ids(person: { id: string } | undefined): string[] {
  return person ? [person.id] : [];
}
