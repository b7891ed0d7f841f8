import type { Services } from '../chat/capability';
import { ConflictError } from '../storage/errors';
import { minutesText } from '../calendar/ukFormat';
import { caseCard } from './caseCards';
import type { CaseStore } from './caseStore';
import { toPeople } from './delivery';
import type { RecordCards } from '../cards/recordCards';
import type { IncidentCase } from './caseRecord';
import { placedCaseCards } from './casePlaces';
import { chairTitle, escalationTargets } from './routing';
import type { IncidentSettings } from './settings';
import { acknowledgeBy } from './triage';
import { escalationJobId } from './submitReport';

const LANTERN = { id: 'lantern', name: 'Lantern' };

/**
 * Durable timers for cases. Each run re-reads the case: a case acknowledged meanwhile is left
 * alone, so a late or repeated run does no harm.
 */
export function createCaseJobs(services: Services, settings: IncidentSettings, cases: CaseStore, cards: RecordCards) {
  async function escalate(job: { payload: Record<string, unknown> }): Promise<void> {
    const stored = await cases.get(String(job.payload.ref));
    if (!stored || stored.value.status !== 'new' || stored.value.assignee) return;
    const c = stored.value;
    const roster = await services.config.currentWithAwayNow();
    const level = c.escalationLevel + 1;
    const targets = escalationTargets(c, level, roster);
    if (!targets) return;
    const minutes = settings.acknowledgeWithinMinutes[c.urgency];
    // Every card names who holds the case now: those it was escalated to as well as its owners.
    const escalatedTo = (ids: string[]): IncidentCase => ({ ...c, escalationLevel: level, escalatedTo: [...new Set([...(c.escalatedTo ?? []), ...ids])] });
    const delivery = await toPeople(services, targets, roster, { text: `Case ${c.ref} (${c.urgency}) has not been acknowledged within ${minutesText(minutes)}. Please open it and claim it.`, card: caseCard(escalatedTo(targets), roster) });
    // Only those Teams reached hold it: the redrawn cards and the reporter's receipt must not say someone else has it.
    const next = escalatedTo(targets.filter((id) => !(delivery.missedIds ?? []).includes(id)));
    try {
      await cases.replace({ ...next, posts: [...c.posts, ...delivery.posts] }, stored.etag);
    } catch (err) {
      // Claimed while we were sending: the escalation is moot and the claim stands.
      if (err instanceof ConflictError) return;
      throw err;
    }
    // After the write a retry would escalate a level further, so a storage fault here is only logged.
    await cards.remember(c.ref, placedCaseCards(delivery.posts)).catch((err: Error) => services.log(`incidents: escalation cards of ${c.ref} not kept for updates: ${err.message}`));
    await cards.refreshSoon(c.ref);
    await services.audit.append({ actor: LANTERN, action: 'case.escalated', entityType: 'incident', entityId: c.ref, reason: `not acknowledged within ${minutesText(minutes)}; sent to ${[...delivery.reached, ...delivery.missed.map((m) => `${m} (not reachable)`)].join(', ') || 'no one'}`, detail: { level } });
    await services.scheduler.schedule('incident.escalate', acknowledgeBy(services.now(), c.urgency, settings), { ref: c.ref }, escalationJobId(c.ref));
  }

  async function ladoReminder(job: { payload: Record<string, unknown> }): Promise<void> {
    const stored = await cases.get(String(job.payload.ref));
    if (!stored) return;
    const c = stored.value;
    if (c.status === 'closed' || c.referrals.some((r) => r.agency === 'lado')) return;
    const roster = await services.config.current();
    const about = c.route === 'chair' ? `an allegation about the Head, which came to you as ${chairTitle(c)}` : 'an allegation about a member of staff';
    const holders = c.owners.filter((id) => id !== c.concerned);
    const delivery = await toPeople(services, holders, roster, {
      text: `Reminder: case ${c.ref} is ${about}. KCSIE Part 4 asks for it to reach the LADO within one working day. Record the referral on the case with the LADO's reference.`,
    });
    await services.audit.append({ actor: LANTERN, action: 'case.lado-reminder', entityType: 'incident', entityId: c.ref, reason: `sent to ${delivery.reached.join(', ') || 'no one reachable'}` });
    // The one-working-day clock is running: a reminder nobody received fails the job, so the scheduler tries it again (backing off).
    if (holders.length && !delivery.reached.length) throw new Error(`the LADO reminder of ${c.ref} reached no one`);
  }

  return { 'incident.escalate': escalate, 'incident.lado-reminder': ladoReminder };
}
