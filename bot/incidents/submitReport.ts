import type { Services } from '../chat/capability';
import type { Turn } from '../chat/turn';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { Roster } from '../config/roster';
import { adviceFor, categoryById, type Subject } from './categories';
import type { IncidentCase } from './caseRecord';
import type { CaseStore } from './caseStore';
import { addWorkingDays, schoolCalendar } from '../calendar';
import { deliverCase, ringList, type Delivery } from './delivery';
import { ownerOf } from './reportFlow';
import { asksPupil, asksStaff, concernedPerson, resolveSection, type ReportValues } from './reportForm';
import { needsSection, routeFor, type Route } from './routing';
import type { IncidentSettings } from './settings';
import { acknowledgeBy, URGENCY_LABELS, urgencyOf } from './triage';

export type SubmitReport = (turn: Turn, values: ReportValues, roster: Roster) => Promise<AdaptiveCard>;

export const ESCALATE_JOB = 'incident.escalate';
export const LADO_JOB = 'incident.lado-reminder';
export const escalationJobId = (ref: string) => `incident-escalate-${ref}`;
export const ladoJobId = (ref: string) => `incident-lado-${ref}`;

/**
 * Turns a completed, validated report into a case: issues the reference, routes it by the
 * school's rules, starts the acknowledgement clock (and the LADO clock for staff), and returns
 * the reporter's receipt.
 */
export function createSubmitReport(services: Services, settings: IncidentSettings, cases: CaseStore): SubmitReport {
  return async (turn, v, roster) => {
    const category = categoryById(v.category)!;
    const subject = v.subject as Subject;
    const now = services.now();
    const section = resolveSection(v, roster);
    const concerned = concernedPerson(v, roster);
    const route = routeFor(category, subject, needsSection(category, subject) ? section : undefined, roster, concerned?.id);
    const urgency = urgencyOf(category, subject, !!v.immediateDanger);
    const ref = await cases.nextRef(now);
    const reporter = { id: ownerOf(turn), name: turn.actor.name, aadObjectId: turn.actor.aadObjectId };
    const record: IncidentCase = {
      ref,
      category: category.id,
      subject,
      section,
      urgency,
      policeReferral: category.illegal,
      immediateDanger: !!v.immediateDanger,
      reportedAt: now.toISOString(),
      reporter,
      source: v.source,
      context: v.context,
      facts: {
        occurredOn: v.occurredOn!,
        occurredAt: v.occurredAt,
        place: v.place!,
        device: v.device,
        url: v.url,
        pupilName: asksPupil(v) ? v.pupilName : undefined,
        pupilYear: asksPupil(v) ? v.pupilYear : undefined,
        staffName: subject === 'head' ? concerned?.name : asksStaff(v) ? concerned?.name ?? v.staffName : undefined,
        staffId: concerned?.id,
        description: v.description!,
        childsWords: v.childsWords,
        actionTaken: v.actionTaken,
        preserved: category.illegal ? v.preserved ?? {} : undefined,
      },
      route: route.kind,
      owners: route.owners,
      status: 'new',
      referrals: [],
      escalationLevel: 0,
      posts: [],
      urgentAlertAt: v.urgentAlertAt,
      concerned: route.concerned,
    };
    let stored = await cases.create(record);
    const actor = { id: reporter.id, name: reporter.name };
    if (v.urgentAlertAt) {
      await services.audit.append({ actor, action: 'case.urgent-alert', entityType: 'incident', entityId: ref, at: new Date(v.urgentAlertAt), reason: `sent to ${v.urgentAlerted?.join(', ') || 'no one reachable'}` });
    }
    await services.audit.append({
      actor,
      action: 'case.reported',
      entityType: 'incident',
      entityId: ref,
      reason: `${category.label}, ${URGENCY_LABELS[urgency]}${category.illegal ? ', flagged for police referral' : ''}`,
      changes: { status: { to: 'New' } },
    });

    const delivery = await deliverCase(services, record, route, roster);
    stored = await cases.replace({ ...stored.value, posts: delivery.posts }, stored.etag);
    await services.audit.append({
      actor: { id: 'lantern', name: 'Lantern' },
      action: 'case.routed',
      entityType: 'incident',
      entityId: ref,
      reason: [delivery.reached.join(', '), delivery.missed.length ? `could not reach ${delivery.missed.join(', ')}` : ''].filter(Boolean).join('; ') || 'no one reachable',
      detail: { route: route.kind, owners: route.owners, ...(route.concerned ? { leftOut: route.concerned } : {}) },
    });
    await services.scheduler.schedule(ESCALATE_JOB, acknowledgeBy(now, urgency, settings), { ref }, escalationJobId(ref));
    if (route.kind === 'head' || route.kind === 'chair') {
      await services.scheduler.schedule(LADO_JOB, addWorkingDays(now, settings.ladoReminderWorkingDays, schoolCalendar(roster.config)), { ref }, ladoJobId(ref));
    }
    return receiptCard(record, route, delivery, roster);
  };
}

/**
 * The reporter's receipt. Its headline says what actually happened: delivered to named people or
 * a named channel, or not delivered with whom to phone. It also says why a case went where it
 * did when that is not the obvious place, and who is covering for an away DSL.
 */
function receiptCard(c: IncidentCase, route: Route, delivery: Delivery, roster: Roster): AdaptiveCard {
  const category = categoryById(c.category)!;
  const delivered = delivery.reached.length > 0;
  const ring = ringList(route.owners.length ? route.owners : [roster.holder('head')?.id ?? ''], roster);
  const headline = delivered ? `Delivered to ${delivery.reached.join(', ')}: ${c.ref}` : `Not delivered: phone ${ring.join(' or ') || 'the school office'} now. Reference ${c.ref}`;
  const channels = delivery.missed.filter((m) => / channel$/.test(m));
  const missedPeople = [...channels, ...ringList(delivery.missedIds ?? [], roster)];
  const missed = missedPeople.length ? `Lantern could not reach ${missedPeople.join(', ')} in Teams: tell them in person or by phone now.` : '';
  const notes: string[] = [];
  if (route.coveringFor) notes.push(`${roster.person(route.coveringFor)?.name ?? 'The DSL'} is away: ${names(route.owners, roster)} ${route.owners.length > 1 ? 'are' : 'is'} covering.`);
  const chair = roster.holder('chairOfGovernors')?.name ?? 'the Chair of Governors';
  if (route.kind === 'chair') notes.push(`This went to ${chair}, Chair of Governors, because it concerns the Head; the Head will not see it. An allegation about the Head must reach the LADO (local authority designated officer) within one working day.`);
  else if (route.kind === 'head') notes.push(`This went to ${names(route.owners, roster) || 'the Head'}, the Head, who manages concerns about staff. An allegation against a member of staff must reach the LADO within one working day.`);
  if (route.concerned && route.kind !== 'chair') notes.push(`${roster.person(route.concerned)?.name ?? 'The person it is about'} is not told and cannot open it, because the report is about them.`);
  return renderCard('incident-receipt', {
    ref: c.ref,
    headline,
    delivered,
    categoryLabel: category.label,
    urgencyLabel: URGENCY_LABELS[c.urgency],
    reached: delivered ? delivery.reached.join(', ') : 'No one',
    missed,
    notes,
    policeReferral: category.illegal,
    advice: adviceFor(category),
  });
}

function names(ids: string[], roster: Roster): string {
  return ids.map((id) => roster.person(id)?.name ?? id).join(', ');
}
