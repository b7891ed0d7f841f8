import { own } from '../core/ownLookup';
import type { CaseStatus } from './caseRecord';

export const STATUS_LABELS: Record<CaseStatus, string> = {
  new: 'New',
  acknowledged: 'Acknowledged',
  'in-progress': 'In progress',
  referred: 'Referred',
  closed: 'Closed',
};

export const AGENCIES = [
  { id: 'police', label: 'Police' },
  { id: 'csc', label: "Children's social care" },
  { id: 'lado', label: 'LADO' },
  { id: 'ceop', label: 'CEOP' },
  { id: 'iwf', label: 'IWF' },
] as const;

export function agencyLabel(id: string): string | undefined {
  return AGENCIES.find((a) => a.id === id)?.label;
}

/** Moves a handler may make from each status; a closed case only reopens (to In progress). */
const NEXT: Record<CaseStatus, CaseStatus[]> = {
  new: ['acknowledged', 'in-progress', 'referred', 'closed'],
  acknowledged: ['in-progress', 'referred', 'closed'],
  'in-progress': ['referred', 'closed'],
  referred: ['in-progress', 'referred', 'closed'],
  closed: ['in-progress'],
};

export function allowedNext(from: CaseStatus): CaseStatus[] {
  return NEXT[from];
}

export interface StatusChange {
  to: CaseStatus;
  agency?: string;
  reference?: string;
  reason?: string;
}

export const REFERENCE_MAX = 50;
export const REASON_MAX = 500;

/** Checks a requested change against the current status; returns field errors, empty when fine. */
export function checkStatusChange(from: CaseStatus, change: StatusChange): Record<string, string> {
  const errors: Record<string, string> = {};
  // `to` comes from the card: an own-key lookup, so "constructor" names no status (and no function).
  if (!allowedNext(from).includes(change.to)) {
    errors.status = `A case that is ${STATUS_LABELS[from]} cannot be moved to ${own(STATUS_LABELS, change.to) ?? 'that status'}.`;
    return errors;
  }
  if (change.to === 'referred') {
    if (!change.agency || !agencyLabel(change.agency)) errors.agency = 'Choose who it was referred to.';
    if (!change.reference) errors.reference = "Enter the agency's reference.";
    else if (change.reference.length > REFERENCE_MAX) errors.reference = `Keep the reference to ${REFERENCE_MAX} characters.`;
  }
  const needsReason = change.to === 'closed' || from === 'closed';
  if (needsReason && !change.reason) errors.reason = from === 'closed' ? 'Say why the case is being reopened.' : 'Say why the case is being closed.';
  if (change.reason && change.reason.length > REASON_MAX) errors.reason = `Keep the reason to ${REASON_MAX} characters.`;
  return errors;
}

/** The case after a change, stamped with when it was first acknowledged (it leaves New once). */
export function stampAcknowledged<C extends { status: CaseStatus; acknowledgedAt?: string }>(before: C, after: C, at: Date): C {
  return before.status === 'new' && after.status !== 'new' && !after.acknowledgedAt ? { ...after, acknowledgedAt: at.toISOString() } : after;
}
