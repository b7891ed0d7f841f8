import type { StepId } from './settings';

export type TargetKind = 'website' | 'category';
export type ChangeKind = 'unblock' | 'block';
export type AudienceKind = 'staff' | 'all-pupils' | 'section' | 'year' | 'group';
export type Duration = 'temporary' | 'permanent';

/** What the requester asked for, after validation. */
export interface RequestDetails {
  targetKind: TargetKind;
  /** Normalised website ("bbc.co.uk/bitesize") or the category's name. */
  target: string;
  change: ChangeKind;
  audience: AudienceKind;
  /** Section name, year or group name when the audience needs one. */
  audienceDetail?: string;
  duration: Duration;
  /** YYYY-MM-DD, temporary changes only. */
  endDate?: string;
  reason: string;
  /** YYYY-MM-DD */
  neededBy: string;
}

export interface PersonRef {
  /** Roster id, or the Entra object id for staff not in the roster. */
  id: string;
  name: string;
  aadObjectId?: string;
}

export interface StepRecord {
  step: StepId;
  outcome: 'done' | 'declined';
  by: PersonRef;
  at: string;
  reason?: string;
  /** The filter's own change reference (make step). */
  filterReference?: string;
}

export interface ReviewRecord {
  kind: 'review' | 'expiry';
  outcome: 'kept' | 'reverted';
  by: PersonRef;
  at: string;
  note?: string;
}

/** A nudge sent because nobody acted on a step: round 1 to whoever it waits for, round 2 escalated. */
export interface StepReminder {
  step: StepId;
  round: 1 | 2;
  at: string;
}

export type RequestStatus = 'in-progress' | 'declined' | 'in-force' | 'ended';

export interface FilterRequest {
  reference: string;
  details: RequestDetails;
  requestedBy: PersonRef;
  requestedAt: string;
  status: RequestStatus;
  /** The step waiting to be done, while in progress. */
  step?: StepId;
  chain: StepId[];
  history: StepRecord[];
  filterReference?: string;
  /** YYYY-MM-DD, set when the change is in force. */
  reviewDate?: string;
  /** An open review or expiry reminder, until its outcome is recorded. */
  reminder?: { kind: 'review' | 'expiry'; sentAt: string; escalatedAt?: string };
  reviews: ReviewRecord[];
  /** Kept so a retried reminder job never sends the same nudge twice; absent until the first. */
  stepReminders?: StepReminder[];
}

export const MAX_REASON = 1000;
export const MAX_DETAIL = 60;
export const MAX_DECLINE_REASON = 500;
export const MAX_FILTER_REFERENCE = 100;
export const CHANNEL_REASON_LENGTH = 200;
