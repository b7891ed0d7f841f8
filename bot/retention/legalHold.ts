import type { Services } from '../chat/capability';
import type { Roster } from '../config/roster';
import type { IncidentCase, PersonRef } from '../incidents/caseRecord';
import { parseRef, type CaseStore } from '../incidents/caseStore';
import { canHandle, chairRoleOf } from '../incidents/routing';
import { ConflictError } from '../storage/errors';

export const HOLD_REASON_MAX = 500;

export type HoldChange = 'place' | 'lift';

/** What a hold request came to; only 'done' changed anything. */
export type HoldOutcome =
  | { kind: 'done'; case: IncidentCase }
  /** Unknown, or not a case this person handles: one answer for both (references are sequential). */
  | { kind: 'refused'; ref: string }
  | { kind: 'not-allowed'; ref: string }
  | { kind: 'invalid'; message: string; case?: IncidentCase }
  | { kind: 'unchanged'; message: string; case: IncidentCase }
  | { kind: 'conflict'; case: IncidentCase };

/**
 * Whether anything may delete this case. Every path that deletes a case (the sweep today; any
 * export-and-delete later) asks this of a fresh read and deletes with that read's ETag.
 */
export function mayDelete(c: IncidentCase): boolean {
  return !c.legalHold;
}

/**
 * Who may place or lift a hold: a DSL or the Head, on a case they handle; for a case routed to
 * the Chair of Governors (one about the Head) the Chair, since nobody else may see it.
 */
export function mayHold(c: IncidentCase, personId: string | undefined, roster: Roster): boolean {
  if (!personId || !canHandle(c, personId, roster)) return false;
  if (c.route === 'chair') return roster.has(personId, chairRoleOf(c));
  return roster.has(personId, 'dsl', 'head', 'trust-safeguarding-lead');
}

/**
 * Places or lifts a legal hold. The case is read again here, the person checked against the
 * roster and the case's state, and the change written with the ETag read: a sweep deleting the
 * case at the same moment deletes with its own ETag, so exactly one of the two happens.
 */
export async function changeHold(services: Services, cases: CaseStore, roster: Roster, actor: PersonRef & { personId?: string }, refRaw: unknown, reasonRaw: unknown, change: HoldChange): Promise<HoldOutcome> {
  const ref = parseRef(refRaw);
  if (!ref) return { kind: 'invalid', message: 'That is not a case reference. Type it as it is on the case card, e.g. **hold INC-2026-0001 reason**.' };
  const stored = await cases.get(ref);
  if (!stored || !canHandle(stored.value, actor.personId, roster)) {
    await services.audit.append({ actor: { id: actor.id, name: actor.name }, action: 'incident.access-refused', entityType: stored ? 'incident' : 'incident-refusal', entityId: ref, reason: `legal hold ${change}: ${stored ? 'not a handler of this case' : 'no such case'}` });
    return { kind: 'refused', ref };
  }
  const c = stored.value;
  if (!mayHold(c, actor.personId, roster)) {
    await services.audit.append({ actor: { id: actor.id, name: actor.name }, action: 'case.legal-hold-refused', entityType: 'incident', entityId: ref, reason: `legal hold ${change}: only a DSL or the Head` });
    return { kind: 'not-allowed', ref };
  }
  const reason = typeof reasonRaw === 'string' ? reasonRaw.trim() : '';
  if (!reason) return { kind: 'invalid', case: c, message: change === 'place' ? 'Say why the case is being held (for example the claim or inquiry it is kept for).' : 'Say why the hold is being lifted.' };
  if (reason.length > HOLD_REASON_MAX) return { kind: 'invalid', case: c, message: `The reason is ${reason.length} characters; the limit is ${HOLD_REASON_MAX}.` };
  if (change === 'place' && c.legalHold) return { kind: 'unchanged', case: c, message: `Case ${ref} is already under legal hold (placed by ${c.legalHold.by.name}). Nothing was changed.` };
  if (change === 'lift' && !c.legalHold) return { kind: 'unchanged', case: c, message: `Case ${ref} is not under legal hold. Nothing was changed.` };
  const by = { id: actor.id, name: actor.name };
  const { legalHold: _lifted, ...unheld } = c;
  const next: IncidentCase = change === 'place' ? { ...c, legalHold: { reason, by, at: services.now().toISOString() } } : unheld;
  try {
    await cases.replace(next, stored.etag);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    return { kind: 'conflict', case: (await cases.get(ref))?.value ?? c };
  }
  await services.audit.append({
    actor: by,
    action: change === 'place' ? 'case.legal-hold-placed' : 'case.legal-hold-lifted',
    entityType: 'incident',
    entityId: ref,
    reason,
    changes: { 'legal hold': change === 'place' ? { from: 'none', to: 'held' } : { from: 'held', to: 'none' } },
  });
  return { kind: 'done', case: next };
}
