import type { Services } from '../chat/capability';
import type { Turn } from '../chat/turn';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { Roster } from '../config/roster';
import { adviceFor, categoryById, type Subject } from './categories';
import type { IncidentCase } from './caseRecord';
import type { CaseStore } from './caseStore';
import { deliverCase } from './delivery';
import { ownerOf } from './reportFlow';
import { resolveSection, type ReportValues } from './reportForm';
import { needsSection, routeFor } from './routing';
import type { IncidentSettings } from './settings';
import { acknowledgeBy, addWorkingDays, URGENCY_LABELS, urgencyOf } from './triage';

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
    const route = routeFor(category, subject, needsSection(category, subject) ? section : undefined, roster);
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
        pupilName: subject === 'pupil' ? v.pupilName : undefined,
        pupilYear: subject === 'pupil' ? v.pupilYear : undefined,
        staffName: subject === 'staff' ? v.staffName : undefined,
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
      detail: { route: route.kind, owners: route.owners },
    });
    await services.scheduler.schedule(ESCALATE_JOB, acknowledgeBy(now, urgency, settings), { ref }, escalationJobId(ref));
    if (route.kind === 'head') await services.scheduler.schedule(LADO_JOB, addWorkingDays(now, settings.ladoReminderWorkingDays), { ref }, ladoJobId(ref));

    const reached = delivery.reached.length ? delivery.reached.join(', ') : 'No one through Teams yet';
    const missed = delivery.missed.length ? `Lantern could not reach ${delivery.missed.join(', ')} in Teams: tell them in person or by phone now.` : '';
    return renderCard('incident-receipt', {
      ref,
      categoryLabel: category.label,
      urgencyLabel: URGENCY_LABELS[urgency],
      reached,
      missed,
      policeReferral: category.illegal,
      advice: adviceFor(category),
    });
  };
}
