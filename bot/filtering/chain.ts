import type { Roster } from '../config/roster';
import type { FilterRequest, PersonRef, StepRecord } from './filterRequest';
import type { FilteringSettings, StepId } from './settings';
import { actsAsAlternate } from './holders';

export interface StepText {
  /** Shown on the card while the step waits. */
  waiting: string;
  button: string;
  /** Past tense, for history lines and the requester's notice. */
  done: string;
  who: string;
  audit: string;
}

export const STEPS: Record<StepId, StepText> = {
  sanction: { waiting: 'Waiting for the DSL to sanction', button: 'Sanction', done: 'Sanctioned', who: 'the DSL', audit: 'filter.sanctioned' },
  authorise: { waiting: 'Waiting for the IT manager to authorise', button: 'Authorise', done: 'Authorised', who: 'the IT manager', audit: 'filter.authorised' },
  make: { waiting: 'Waiting for IT to make the change in the filter', button: 'Change made', done: 'Change made', who: 'an IT technician', audit: 'filter.changed' },
  confirm: { waiting: 'Waiting for the DSL or deputy head to confirm it works', button: 'Confirm it works', done: 'Confirmed', who: 'the DSL or deputy head', audit: 'filter.confirmed' },
};

/** Whether this person's role lets them act on a step at all (before looking at the request). */
export function holdsStepRole(step: StepId, personId: string | undefined, roster: Roster, settings: FilteringSettings): boolean {
  if (!personId) return false;
  const section = roster.section(settings.dslSection);
  const safeguards = !!section && (section.dsl === personId || section.deputies.includes(personId));
  switch (step) {
    case 'sanction':
      return safeguards;
    // The trust's IT manager holds the IT manager's steps in every school of the trust.
    case 'authorise':
      return roster.has(personId, 'it-manager', 'trust-it-manager');
    case 'make':
      return roster.has(personId, 'it-technician', 'it-manager', 'trust-it-manager');
    case 'confirm':
      return settings.confirmBy.some((c) => (c === 'dsl' ? safeguards : roster.has(personId, c)));
  }
}

export type ActCheck = { ok: true } | { ok: false; kind: 'finished' | 'role' | 'self' | 'separation'; message: string };

/** Decides on the server whether `actor` may act on `step` of the request as it is now stored. */
export function checkActor(request: FilterRequest, step: StepId, actor: PersonRef, roster: Roster, settings: FilteringSettings): ActCheck {
  if (request.status !== 'in-progress' || request.step !== step) {
    const record = [...request.history].reverse().find((h) => h.step === step);
    const message = record ? `This step was already ${record.outcome === 'declined' ? 'declined' : 'done'} by ${record.by.name}. Nothing was changed.` : `${request.reference} is not waiting for this step. Nothing was changed.`;
    return { ok: false, kind: 'finished', message };
  }
  if (!holdsStepRole(step, actor.id, roster, settings) && !actsAsAlternate(step, actor.id, request, roster, settings)) {
    return { ok: false, kind: 'role', message: `Only ${STEPS[step].who} can do this step. Nothing was changed.` };
  }
  if (actor.id === request.requestedBy.id) {
    return { ok: false, kind: 'self', message: `You made request ${request.reference}, so someone else must act on it. Nothing was changed.` };
  }
  if (step === 'confirm' && request.history.some((h) => h.step === 'make' && h.by.id === actor.id)) {
    return { ok: false, kind: 'separation', message: 'You made this change in the filter, so someone else must confirm it works. Nothing was changed.' };
  }
  return { ok: true };
}

export interface StepInput {
  outcome: 'done' | 'declined';
  reason?: string;
  filterReference?: string;
}

/** The request after one step: the next step, in force, or declined. */
export function applyStep(request: FilterRequest, step: StepId, by: PersonRef, at: Date, input: StepInput): FilterRequest {
  const record: StepRecord = { step, outcome: input.outcome, by, at: at.toISOString(), reason: input.reason, filterReference: input.filterReference };
  const history = [...request.history, record];
  if (input.outcome === 'declined') return { ...request, history, status: 'declined', step: undefined };
  const next = request.chain[request.chain.indexOf(step) + 1];
  return {
    ...request,
    history,
    filterReference: input.filterReference ?? request.filterReference,
    status: next ? 'in-progress' : 'in-force',
    step: next,
  };
}

/** Who did a step, for the log's columns. */
export function doneBy(request: FilterRequest, step: StepId): StepRecord | undefined {
  return request.history.find((h) => h.step === step && h.outcome === 'done');
}
