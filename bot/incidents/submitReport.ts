import type { Services } from '../chat/capability';
import { createOrAdopt, type TaskBody } from '../scheduler/outbox';
import { ConflictError } from '../storage/errors';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { Roster } from '../config/roster';
import { categoryById, type Subject } from './categories';
import type { IncidentCase } from './caseRecord';
import type { CaseStore } from './caseStore';
import { addWorkingDays, schoolCalendar } from '../calendar';
import { deliverCase, type Delivery } from './delivery';
import type { RecordCards } from '../cards/recordCards';
import { placedCaseCards, RECEIPT_VIEW, reporterPlace } from './casePlaces';
import { reporterFollows, reporterReceipt, toldAtSending } from './reporterReceipt';
import { REPORT_FORM, SENT_STEP } from './reportDraft';
import { asksPupil, asksStaff, concernedPerson, resolveSection, type ReportValues } from './reportForm';
import { needsSection, routeFor, type Route } from './routing';
import type { IncidentSettings } from './settings';
import { acknowledgeBy, URGENCY_LABELS, urgencyOf } from './triage';

export const REPORT_TASK = 'incident.report';
export const ESCALATE_JOB = 'incident.escalate';
export const LADO_JOB = 'incident.lado-reminder';
export const escalationJobId = (ref: string) => `incident-escalate-${ref}`;
export const ladoJobId = (ref: string) => `incident-lado-${ref}`;
export const reportTaskId = (draftId: string) => `incident-report-${draftId}`;

/** Everything a send needs to finish, saved before its first effect: the checked form as sent. */
export interface ReportPayload extends Record<string, unknown> {
  draftId: string;
  reporter: { id: string; name: string; aadObjectId?: string };
  values: ReportValues;
  submittedAt: string;
}

/** What the reporter is shown, however often they press Send and whoever finishes the send. */
export interface ReportReceipt {
  ref: string;
  category: string;
  urgency: IncidentCase['urgency'];
  route: Route;
  delivery: Delivery;
}

/**
 * Turns a completed, validated report into a case, as an outbox task: issues the reference once,
 * routes it by the school's rules, writes the case and its audit events once, delivers each card
 * once, starts the acknowledgement clock (and the LADO clock for staff), and returns the receipt.
 * A retry, a redelivered press or a tick after a restart resumes at the first step not done.
 */
export function reportTask(services: Services, settings: IncidentSettings, cases: CaseStore, cards: RecordCards): TaskBody<ReportPayload, ReportReceipt> {
  return async (p, run) => {
    const v = p.values;
    const category = categoryById(v.category)!;
    const subject = v.subject as Subject;
    const now = new Date(p.submittedAt);
    // Who is away decides the route: as stored now, whichever instance marked it.
    const roster = await services.config.currentWithAwayNow();
    const ref = await run.step('ref', () => cases.nextRef(now));
    // Routed once: a roster change between a cut and the retry must not send it somewhere new.
    const route = await run.step('route', async () => {
      const section = resolveSection(v, roster);
      const concerned = concernedPerson(v, roster);
      return routeFor(category, subject, needsSection(category, subject) ? section : undefined, roster, concerned?.id);
    });
    const record = await run.step('case', () => {
      const c = caseRecord(p, ref, route, roster);
      // The reference came from this task's own first step, so a case under it is ours.
      return createOrAdopt(async () => (await cases.create(c)).value, async () => (await cases.get(ref))!.value);
    });
    const actor = { id: p.reporter.id, name: p.reporter.name };
    if (v.urgentAlertAt) {
      await run.step('audit-alert', async () => {
        await services.audit.append({ actor, action: 'case.urgent-alert', entityType: 'incident', entityId: ref, at: new Date(v.urgentAlertAt!), reason: `${v.urgentAlertRef ? `alert ${v.urgentAlertRef} ` : ''}sent to ${v.urgentAlerted?.join(', ') || 'no one reachable'}` });
      });
    }
    await run.step('audit-reported', async () => {
      await services.audit.append({
        actor,
        action: 'case.reported',
        entityType: 'incident',
        entityId: ref,
        at: now,
        reason: `${category.label}, ${URGENCY_LABELS[record.urgency]}${category.illegal ? ', flagged for police referral' : ''}`,
        changes: { status: { to: 'New' } },
      });
    });

    const delivery = await deliverCase(services, record, route, roster, run.step);
    await run.step('posts', async () => {
      const stored = (await cases.get(ref))!;
      const known = new Set(stored.value.posts.map((post) => post.activityId));
      const fresh = delivery.posts.filter((post) => !known.has(post.activityId));
      // What the reporter is told now is kept with the case, so their receipt can be redrawn as it moves on.
      if (fresh.length || !stored.value.told) await cases.replace({ ...stored.value, posts: [...stored.value.posts, ...fresh], told: toldAtSending(route, delivery) }, stored.etag);
    });
    await run.step('cards', () => cards.remember(ref, placedCaseCards(delivery.posts)));
    await run.step('audit-routed', async () => {
      await services.audit.append({
        actor: { id: 'lantern', name: 'Lantern' },
        action: 'case.routed',
        entityType: 'incident',
        entityId: ref,
        reason: [delivery.reached.join(', '), delivery.missed.length ? `could not reach ${delivery.missed.join(', ')}` : ''].filter(Boolean).join('; ') || 'no one reachable',
        detail: { route: route.kind, owners: route.owners, ...(route.concerned ? { leftOut: route.concerned } : {}) },
      });
    });
    await run.step('escalate-job', () => services.scheduler.schedule(ESCALATE_JOB, acknowledgeBy(now, record.urgency, settings), { ref }, escalationJobId(ref)));
    if (route.kind === 'head' || route.kind === 'chair') {
      await run.step('lado-job', () => services.scheduler.schedule(LADO_JOB, addWorkingDays(now, settings.ladoReminderWorkingDays, schoolCalendar(roster.config)), { ref }, ladoJobId(ref)));
    }
    await run.step('draft', async () => {
      // Marks this draft sent, so a later press shows the receipt; a newer report is left alone.
      const draft = await services.drafts.get<ReportValues>(p.reporter.id, REPORT_FORM);
      if (draft?.value.values.draftId !== p.draftId || draft.value.step === SENT_STEP) return;
      await services.drafts.save(p.reporter.id, REPORT_FORM, SENT_STEP, { ...draft.value.values, ref }, draft.etag).catch((err) => {
        if (!(err instanceof ConflictError)) throw err;
      });
    });
    const receipt: ReportReceipt = { ref, category: record.category, urgency: record.urgency, route, delivery };
    if (!run.inline) {
      // Nobody is waiting on this turn any more: the receipt goes to the reporter's chat instead, as a card of the case kept current.
      const placed = await run.step('receipt', async () => {
        const c = (await cases.get(ref))!.value;
        return (await cards.deliver(ref, reporterPlace(c), RECEIPT_VIEW, { card: reporterReceipt(c, c.told, roster) })) ?? null;
      });
      if (placed && reporterFollows(record)) await run.step('receipt-card', () => cards.remember(ref, [placed]));
    }
    return receipt;
  };
}

function caseRecord(p: ReportPayload, ref: string, route: Route, roster: Roster): IncidentCase {
  const v = p.values;
  const category = categoryById(v.category)!;
  const subject = v.subject as Subject;
  const concerned = concernedPerson(v, roster);
  return {
    ref,
    category: category.id,
    subject,
    section: resolveSection(v, roster),
    urgency: urgencyOf(category, subject, !!v.immediateDanger),
    policeReferral: category.illegal,
    immediateDanger: !!v.immediateDanger,
    reportedAt: p.submittedAt,
    reporter: p.reporter,
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
    urgentAlertRef: v.urgentAlertRef,
    concerned: route.concerned,
    ...(route.chairRole ? { chairRole: route.chairRole } : {}),
  };
}

/** The reporter's receipt for a finished send, drawn from the case as it stands (see reporterReceipt). */
export async function receiptCard(receipt: ReportReceipt, cases: CaseStore, roster: Roster): Promise<AdaptiveCard> {
  const c = (await cases.get(receipt.ref))!.value;
  return reporterReceipt(c, c.told ?? toldAtSending(receipt.route, receipt.delivery), roster);
}
