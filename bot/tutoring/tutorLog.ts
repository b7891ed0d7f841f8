export const SESSION_MODES = { 'in-person': 'In person', video: 'Video on Teams', audio: 'Audio' } as const;
export type SessionMode = keyof typeof SESSION_MODES;

/** Who did something, as stored: enough to recognise them again and to show a name. */
export interface StaffRef {
  /** Roster id, else email, else Entra object id. */
  key: string;
  name: string;
  aadObjectId?: string;
  email?: string;
}

export interface TutorSession {
  group: string;
  /** School-local date and time of the session. */
  date: string;
  time: string;
  mode: SessionMode;
  attended?: number;
  absentees?: string;
  topic: string;
  concern: boolean;
}

export interface TutorLog extends TutorSession {
  id: string;
  /** Monday of the session's week: the partition the weekly record reads. */
  week: string;
  loggedBy: StaffRef;
  loggedAt: string;
  /** School-local date it was logged: corrections are allowed on that day only. */
  loggedOn: string;
  correctedAt?: string;
}

export const LIMITS = { topic: 300, absentees: 300, attended: 60 } as const;

export function sameStaff(a: StaffRef, b: StaffRef): boolean {
  if (a.key === b.key) return true;
  if (a.aadObjectId && a.aadObjectId === b.aadObjectId) return true;
  return !!a.email && a.email.toLowerCase() === b.email?.toLowerCase();
}

/** Field-by-field changes for the audit trail. */
export function sessionChanges(before: TutorSession, after: TutorSession): Record<string, { from?: unknown; to?: unknown }> {
  const out: Record<string, { from?: unknown; to?: unknown }> = {};
  for (const field of ['group', 'date', 'time', 'mode', 'attended', 'absentees', 'topic', 'concern'] as const) {
    if (before[field] !== after[field]) out[field] = { from: before[field], to: after[field] };
  }
  return out;
}
