import type { AlternateDecider } from './permissionDecider';
import type { CallKind, CallRule } from './callSettings';
import type { StaffRef } from '../tutoring/tutorLog';

export type CallState = 'awaiting-permission' | 'planned' | 'declined' | 'held';

/** A pupil as Lantern keeps them: a name and a year group, nothing more. */
export interface PupilRef {
  name: string;
  year: string;
}

export interface CallRecord {
  id: string;
  kind: CallKind;
  purpose: string;
  purposeLabel: string;
  pupil: PupilRef;
  section: string;
  department?: string;
  date: string;
  time: string;
  reason?: string;
  pastoral: boolean;
  requirements: string[];
  teacher: StaffRef;
  state: CallState;
  createdAt: string;
  permission?: {
    role: NonNullable<CallRule['permission']>;
    /** Decides instead of the role's holder, who planned the call (see permissionDecider.ts); 'none': no one else can. */
    alternate?: AlternateDecider | 'none';
    decision?: 'approved' | 'declined';
    decidedBy?: StaffRef;
    decidedAt?: string;
    comment?: string;
  };
  /** When the teacher was reminded to log this pastoral call: the reminder goes once. */
  logReminderAt?: string;
  held?: { date: string; time: string; recordedAt: string };
}

export interface SecureNote {
  callId: string;
  author: StaffRef;
  text: string;
  writtenAt: string;
}

/** "Jamie Smith" → "J.S.": what cards outside the teacher's own chat show. */
export function initials(name: string): string {
  return name
    .split(/[\s-]+/)
    .filter(Boolean)
    .map((w) => `${w[0].toUpperCase()}.`)
    .join('');
}

/** The permission decision: only from awaiting-permission, and only once. */
export function decide(record: CallRecord, decision: 'approved' | 'declined', by: StaffRef, at: Date, comment?: string): CallRecord | undefined {
  if (record.state !== 'awaiting-permission' || !record.permission) return undefined;
  return {
    ...record,
    state: decision === 'approved' ? 'planned' : 'declined',
    permission: { ...record.permission, decision, decidedBy: by, decidedAt: at.toISOString(), comment: comment || undefined },
  };
}

export const CALL_STATE_NAMES: Record<CallState, string> = {
  'awaiting-permission': 'waiting for permission',
  planned: 'planned',
  declined: 'permission declined',
  held: 'held and recorded',
};
