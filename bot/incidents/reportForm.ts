import type { Roster } from '../config/roster';
import type { Person } from '../config/schoolConfigSchema';
import { categoryById, PLACES, PRESERVE_STEPS, SUBJECTS, type PreserveStep, type Subject } from './categories';
import { needsSection } from './routing';
import { own } from '../core/ownLookup';

export type Step = 'safety' | 'danger' | 'category' | 'illegal' | 'details';

/** Everything the reporter has entered so far; kept in the draft between steps. */
export interface ReportValues {
  source?: string;
  context?: string;
  section?: string;
  immediateDanger?: boolean;
  urgentAlertAt?: string;
  /** The alert's own reference: it goes out before the case exists, and the case carries it after. */
  urgentAlertRef?: string;
  /** When a press began sending the alert: another press meanwhile sends none (see reportFlow). */
  urgentAlertSending?: string;
  urgentAlerted?: string[];
  urgentMissed?: string[];
  /** The alert reached no one in the section's team, so it went wider (Head, other sections). */
  urgentWidened?: boolean;
  /** Whom to phone, with numbers where the configuration has them, when the alert reached no one. */
  urgentRing?: string[];
  category?: string;
  subject?: Subject;
  preserved?: Partial<Record<PreserveStep, boolean>>;
  occurredOn?: string;
  occurredAt?: string;
  place?: string;
  device?: string;
  url?: string;
  pupilName?: string;
  pupilYear?: string;
  staffName?: string;
  /** A roster id from the staff list, or NOT_LISTED; checked against the roster, never trusted. */
  staffId?: string;
  description?: string;
  childsWords?: string;
  actionTaken?: string;
  /** Given when Send is first pressed: the one send of this report is keyed by it. */
  draftId?: string;
  /** The case reference, once the send has finished. */
  ref?: string;
}

export type FieldErrors = Record<string, string>;

/** Stated on the cards and enforced here. */
export const LIMITS = {
  description: 2000,
  childsWords: 1000,
  actionTaken: 1000,
  device: 100,
  url: 500,
  pupilName: 100,
  pupilYear: 20,
  staffName: 100,
  context: 200,
} as const;

const DETAIL_TEXT = ['occurredOn', 'occurredAt', 'place', 'device', 'url', 'pupilName', 'pupilYear', 'staffName', 'staffId', 'description', 'childsWords', 'actionTaken', 'section'] as const;

/** The staff list's "not listed" choice: the name is then typed as free text. */
export const NOT_LISTED = 'not-listed';

/** Contact from outside school aimed at a child: the pupil affected must still be named. */
const CHILD_CONTACT = ['grooming', 'obscene-to-child'];

/** Whether the details step asks which pupil is affected. */
export function asksPupil(v: ReportValues): boolean {
  return v.subject === 'pupil' || v.subject === 'outside';
}

function needsPupil(v: ReportValues): boolean {
  return v.subject === 'pupil' || (v.subject === 'outside' && CHILD_CONTACT.includes(v.category ?? ''));
}

/** Whether the details step asks which member of staff: always for staff, and for staff misuse unless it is the Head. */
export function asksStaff(v: ReportValues): boolean {
  return v.subject === 'staff' || (categoryById(v.category)?.route === 'staff' && v.subject !== 'head');
}

const normName = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * The roster person the report is about, worked out on the server: the Head when "The Head" was
 * chosen, else the person picked from the staff list, else a typed name that matches someone in
 * the roster (so typing the Head's name under "not listed" still keeps it from the Head).
 */
export function concernedPerson(v: ReportValues, roster: Roster): Person | undefined {
  if (v.subject === 'head') return roster.holder('head');
  if (!asksStaff(v)) return undefined;
  if (v.staffId && v.staffId !== NOT_LISTED) {
    const picked = roster.person(v.staffId);
    if (picked) return picked;
  }
  return v.staffName ? roster.everyone().find((p) => normName(p.name) === normName(v.staffName!)) : undefined;
}

function text(data: Record<string, unknown>, key: string): string | undefined {
  const v = own(data, key);
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v).replace(/\r\n/g, '\n').trim();
  return s || undefined;
}

/** Copies this step's inputs from untrusted card data into the values, as typed (checked later). */
export function readStepInput(step: Step, data: Record<string, unknown>, values: ReportValues): ReportValues {
  const next: ReportValues = { ...values };
  if (step === 'safety') next.section = text(data, 'section');
  if (step === 'category') {
    next.category = text(data, 'category');
    next.subject = text(data, 'subject') as Subject | undefined;
  }
  if (step === 'illegal') {
    next.preserved = Object.fromEntries(PRESERVE_STEPS.map((p) => [p.id, data[p.id] === true || data[p.id] === 'true']));
  }
  if (step === 'details') {
    for (const key of DETAIL_TEXT) {
      // The details card asks the section only when the first card left it open: its absence keeps that answer.
      if (key === 'section' && own(data, 'section') === undefined) continue;
      (next as Record<string, unknown>)[key] = text(data, key);
    }
  }
  return next;
}

/** Field errors for one step, worded for the person filling it in. */
export function validateStep(step: Step, v: ReportValues, roster: Roster, now: Date): FieldErrors {
  const errors: FieldErrors = {};
  const tooLong = (key: keyof typeof LIMITS, label: string) => {
    const value = v[key as keyof ReportValues];
    if (typeof value === 'string' && value.length > LIMITS[key]) errors[key] = `${label} is ${value.length} characters; the limit is ${LIMITS[key]}.`;
  };
  if (step === 'safety' && v.section && v.section !== 'unsure' && !roster.section(v.section)) errors.section = 'Choose one of the listed sections, or "Not sure".';
  if (step === 'category') {
    if (!categoryById(v.category)) errors.category = 'Choose what happened.';
    if (!SUBJECTS.some((s) => s.id === v.subject)) errors.subject = 'Choose who is involved.';
  }
  if (step === 'details') {
    const category = categoryById(v.category);
    if (!v.description) errors.description = 'Describe what happened.';
    tooLong('description', 'The description');
    tooLong('childsWords', "The child's words");
    tooLong('actionTaken', 'Action taken');
    tooLong('device', 'The device');
    tooLong('pupilName', 'The name');
    tooLong('pupilYear', 'The year');
    tooLong('staffName', 'The name');
    if (!v.occurredOn || !/^\d{4}-\d{2}-\d{2}$/.test(v.occurredOn) || Number.isNaN(Date.parse(v.occurredOn))) errors.occurredOn = 'Give the date it happened.';
    else if (v.occurredOn > now.toISOString().slice(0, 10)) errors.occurredOn = 'The date cannot be in the future.';
    if (v.occurredAt && !/^([01]\d|2[0-3]):[0-5]\d(:\d\d)?$/.test(v.occurredAt)) errors.occurredAt = 'Give the time as HH:MM, or leave it empty.';
    if (!PLACES.some((p) => p.id === v.place)) errors.place = 'Choose where it happened.';
    if (v.url) {
      const problem = urlProblem(v.url);
      if (problem) errors.url = problem;
    }
    if (needsPupil(v)) {
      if (!v.pupilName) errors.pupilName = v.subject === 'outside' ? "Give the name of the pupil (or pupils) contacted." : "Give the pupil's name (or names).";
      if (v.subject === 'pupil' && !v.pupilYear) errors.pupilYear = "Give the pupil's year group.";
    }
    if (asksStaff(v)) {
      const listed = !!v.staffId && v.staffId !== NOT_LISTED;
      if (listed && !roster.person(v.staffId!)) errors.staffId = 'Choose someone from the list, or "Not listed" and type the name.';
      else if (!listed && v.subject === 'staff' && !v.staffName) errors.staffId = 'Choose the member of staff, or "Not listed" and type their name below.';
    }
    if (category && v.subject && needsSection(category, v.subject) && !resolveSection(v, roster)) {
      errors.section = v.pupilYear && !roster.sectionForYear(v.pupilYear) && (!v.section || v.section === 'unsure')
        ? `I can't tell the section from "${v.pupilYear}". Which section does this concern?`
        : 'Which section does this concern?';
    }
  }
  return errors;
}

/** The section chosen on the card, else the one the pupil's year belongs to. */
export function resolveSection(v: ReportValues, roster: Roster): string | undefined {
  const chosen = v.section && v.section !== 'unsure' ? roster.section(v.section)?.name : undefined;
  return chosen ?? (v.pupilYear ? roster.sectionForYear(v.pupilYear)?.name : undefined);
}

export function urlProblem(raw: string): string | undefined {
  if (raw.length > LIMITS.url) return `The web address is ${raw.length} characters; the limit is ${LIMITS.url}.`;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Give a web address starting with http:// or https://.';
    if (!url.hostname.includes('.')) return 'That web address has no proper site name.';
    return undefined;
  } catch {
    return 'That is not a web address. Copy it from the address bar, e.g. https://example.com/page.';
  }
}

export function isIllegal(v: ReportValues): boolean {
  return categoryById(v.category)?.illegal ?? false;
}

export function nextStep(step: Step, v: ReportValues): Step | 'submit' {
  switch (step) {
    case 'safety':
      return v.immediateDanger ? 'danger' : 'category';
    case 'danger':
      return 'category';
    case 'category':
      return isIllegal(v) ? 'illegal' : 'details';
    case 'illegal':
      return 'details';
    case 'details':
      return 'submit';
  }
}

export function previousStep(step: Step, v: ReportValues): Step {
  switch (step) {
    case 'safety':
    case 'danger':
    case 'category':
      return 'safety';
    case 'illegal':
      return 'category';
    case 'details':
      return isIllegal(v) ? 'illegal' : 'category';
  }
}

export const STEP_NAMES: Record<Step, string> = {
  safety: 'safety check',
  danger: 'immediate danger',
  category: 'what happened',
  illegal: 'preserving evidence',
  details: 'details',
};
