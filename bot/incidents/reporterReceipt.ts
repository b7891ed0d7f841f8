import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { Roster } from '../config/roster';
import { adviceFor, categoryById, PLACES } from './categories';
import type { IncidentCase } from './caseRecord';
import { formatTime } from './caseCards';
import { ringList, type Delivery } from './delivery';
import { chairTitle, type Route } from './routing';
import { URGENCY_LABELS } from './triage';
import { ukDateAndTime } from '../calendar/ukFormat';

const DESCRIPTION_SHOWN = 300;

/** What the reporter was told at sending, kept on the case so their receipt can be redrawn with it. */
export interface ReceiptTold {
  reached: string[];
  missed: string[];
  missedIds?: string[];
  coveringFor?: string;
}

/** Whether the reporter's receipt and messages may follow the case: never when the report is about the reporter. */
export function reporterFollows(c: Pick<IncidentCase, 'concerned' | 'reporter'>): boolean {
  return !c.concerned || c.concerned !== c.reporter.id;
}

/**
 * Whom a reporter must phone when their case reached no one in Teams: whoever the route gave it
 * to (the section's DSL, the Head, the Chair or the data-protection lead), with their numbers; the
 * Head when it had no one, except for a case about the Head.
 */
export function whomToPhone(owners: string[], route: IncidentCase['route'], roster: Roster): string {
  const fallback = route === 'chair' ? [] : [roster.holder('head')?.id ?? ''];
  return ringList(owners.length ? owners : fallback, roster).join(' or ') || 'the school office';
}

/**
 * Where the case stands, in words a reporter may see. Deliberately coarse: acknowledged,
 * in progress and referred all read "being handled", so no decision of the DSL (a referral, to
 * whom) shows; escalation says only that more senior staff have it, not who.
 */
export function receiptStatus(c: Pick<IncidentCase, 'status' | 'owners' | 'escalatedTo' | 'acknowledgedAt'>, roster: Roster): string {
  if (c.status === 'closed') return 'Closed. Thank you for reporting it.';
  if (c.status !== 'new') return `Acknowledged${c.acknowledgedAt ? ` ${formatTime(c.acknowledgedAt, roster)}` : ''}: the safeguarding team is handling it.`;
  // Only when someone beyond the owners was reached: a step Teams could not deliver, or a reminder to the owner, passed it to no one.
  if ((c.escalatedTo ?? []).some((id) => !c.owners.includes(id))) return 'Not picked up within its target time, so Lantern has passed it to more senior staff as well. Waiting for one of them to pick it up.';
  return 'Received: waiting for the safeguarding lead to pick it up.';
}

/**
 * The reporter's 1:1 receipt, drawn from the stored case and what they were told when it went.
 * It shows only their own report (category, when, where, their description), its reference, the
 * delivery they were told of, and a status line: never the case's handling (notes, decisions,
 * referrals, close reasons, who was escalated to).
 */
export function reporterReceipt(c: IncidentCase, told: ReceiptTold | undefined, roster: Roster): AdaptiveCard {
  const category = categoryById(c.category);
  const open = c.status !== 'closed';
  // "Not delivered, phone now" is true only until someone has picked the case up.
  const undelivered = !!told && told.reached.length === 0 && c.status === 'new';
  const own = ownCase(c, told, roster);
  const headline = undelivered
    ? `Not delivered: phone ${whomToPhone(c.owners, c.route, roster)} now. Reference ${c.ref}`
    : own
      ? `${own}: ${c.ref} is in your cases (type cases to see them)`
      : told?.reached.length
      ? `Delivered to ${told.reached.join(', ')}: ${c.ref}`
      : `Your report ${c.ref}`;
  const channels = (told?.missed ?? []).filter((m) => / channel$/.test(m));
  const missedPeople = c.status === 'new' ? [...channels, ...ringList(told?.missedIds ?? [], roster)] : [];
  const when = ukDateAndTime(c.facts.occurredOn, c.facts.occurredAt?.slice(0, 5) ?? '');
  const place = PLACES.find((p) => p.id === c.facts.place)?.label ?? c.facts.place;
  return renderCard('incident-receipt', {
    ref: c.ref,
    headline,
    delivered: !undelivered,
    // Stored but reaching nobody is not "received": the headline says whom to phone.
    status: undelivered ? 'Saved in Lantern, but it has reached no one yet.' : receiptStatus(c, roster),
    facts: [
      { title: 'Category', value: category?.label ?? c.category },
      { title: 'Urgency', value: URGENCY_LABELS[c.urgency] },
      { title: 'When', value: when },
      { title: 'Where', value: place },
      ...(told ? [{ title: 'Sent to', value: own ? 'Only you: no one else was sent it' : told.reached.join(', ') || 'No one' }] : []),
    ],
    // Their own words, shortened on the card so it reads in one screen; the case keeps them whole.
    description: c.facts.description.length > DESCRIPTION_SHOWN ? `${c.facts.description.slice(0, DESCRIPTION_SHOWN - 1).trimEnd()}…` : c.facts.description,
    missed: missedPeople.length ? `Lantern could not reach ${missedPeople.join(', ')} in Teams: tell them in person or by phone now.` : '',
    notes: c.status === 'new' ? routeNotes(c, told, roster) : [],
    policeReferral: open && c.policeReferral,
    advice: open && category ? adviceFor(category) : [],
    // The reference is in the headline: the footer only says what will change.
    footer: open ? 'This card changes as the case moves on; I will message you when it is acknowledged and when it is closed.' : `Keep the reference ${c.ref} if you need to ask about it.`,
  });
}

/**
 * When the only one the case reached is the reporter, because the route made them its owner (a
 * DSL reporting for their own section, with no DSL channel registered): "Delivered to <yourself>"
 * reads as if someone else had it. Says in what capacity it is theirs instead; undefined otherwise.
 */
function ownCase(c: IncidentCase, told: ReceiptTold | undefined, roster: Roster): string | undefined {
  const me = roster.person(c.reporter.id);
  if (!me || !told?.reached.length || !c.owners.includes(me.id) || told.reached.some((r) => r !== me.name)) return undefined;
  const section = c.section ? roster.section(c.section) : undefined;
  if (section && (c.route === 'dsl' || c.route === 'dsl-and-it')) {
    return section.dsl === me.id ? `You are the ${section.name} section's DSL` : `You are covering the ${section.name} section as its deputy DSL`;
  }
  return 'This case is yours to handle';
}

/** Why it went where it did, as the reporter was told when it went: routing only, nothing of its handling. */
function routeNotes(c: IncidentCase, told: ReceiptTold | undefined, roster: Roster): string[] {
  const names = (ids: string[]) => ids.map((id) => roster.person(id)?.name ?? id).join(', ');
  const notes: string[] = [];
  if (told?.coveringFor) notes.push(`${roster.person(told.coveringFor)?.name ?? 'The DSL'} is away: ${names(c.owners)} ${c.owners.length > 1 ? 'are' : 'is'} covering.`);
  const chair = names(c.owners) || roster.holder('chairOfGovernors')?.name || 'the Chair of Governors';
  // Said as it happened: a case Teams could not deliver is "for" them, not "went to" them.
  const went = told && !told.reached.length ? 'This is for' : 'This went to';
  if (c.route === 'chair') notes.push(`${went} ${chair}, ${chairTitle(c)}, because it concerns the Head; the Head will not see it. An allegation about the Head must reach the LADO (local authority designated officer) within one working day.`);
  else if (c.route === 'head') notes.push(`${went} ${names(c.owners) || 'the Head'}, the Head, who manages concerns about staff. An allegation against a member of staff must reach the LADO within one working day.`);
  if (c.concerned && c.route !== 'chair') notes.push(`${roster.person(c.concerned)?.name ?? 'The person it is about'} is not told and cannot open it, because the report is about them.`);
  return notes;
}

/** What the reporter is told at sending, from the route and the delivery, for the case record. */
export function toldAtSending(route: Route, delivery: Delivery): ReceiptTold {
  return { reached: delivery.reached, missed: delivery.missed, missedIds: delivery.missedIds, coveringFor: route.coveringFor };
}
