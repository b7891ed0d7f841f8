import type { Roster } from '../config/roster';
import { countOf, ukDate } from '../calendar/ukFormat';
import { addDays, daysBetween, isCalendarDate } from './dates';
import { MAX_DETAIL, MAX_REASON, type AudienceKind, type ChangeKind, type Duration, type RequestDetails, type TargetKind } from './filterRequest';
import type { FilteringSettings } from './settings';
import { normaliseWebsite } from './website';

/** The form's fields exactly as typed, kept so a re-shown form loses nothing. */
export interface FormValues {
  targetKind: string;
  url: string;
  category: string;
  change: string;
  audience: string;
  audienceDetail: string;
  duration: string;
  endDate: string;
  reason: string;
  neededBy: string;
}

export type FormErrors = Partial<Record<keyof FormValues, string>>;

export const FORM_FIELDS: Array<keyof FormValues> = ['targetKind', 'url', 'category', 'change', 'audience', 'audienceDetail', 'duration', 'endDate', 'reason', 'neededBy'];

const TARGET_KINDS: TargetKind[] = ['website', 'category'];
const CHANGES: ChangeKind[] = ['unblock', 'block'];
const AUDIENCES: AudienceKind[] = ['staff', 'all-pupils', 'section', 'year', 'group'];
const DURATIONS: Duration[] = ['temporary', 'permanent'];
const MIN_REASON = 10;

/** Reads the form's inputs from untrusted card data: anything not a string becomes empty. */
export function readFormValues(data: Record<string, unknown>, defaults: Partial<FormValues> = {}): FormValues {
  const out = {} as FormValues;
  for (const field of FORM_FIELDS) {
    const raw = data[field];
    out[field] = typeof raw === 'string' ? raw.slice(0, 4000) : (defaults[field] ?? '');
  }
  return out;
}

export function emptyForm(): FormValues {
  return readFormValues({}, { targetKind: 'website', change: 'unblock', audience: 'all-pupils', duration: 'temporary' });
}

/** All categories a requester may pick: never-allowed ones are listed so the refusal can explain itself. */
export function categoryChoices(settings: FilteringSettings): string[] {
  return [...new Set([...settings.categories, ...settings.neverAllowCategories])];
}

export type FormResult = { ok: true; details: RequestDetails } | { ok: false; errors: FormErrors };

/** Checks every field at once, so the form comes back with all its problems marked. */
export function validateForm(values: FormValues, settings: FilteringSettings, roster: Roster, today: string): FormResult {
  const errors: FormErrors = {};
  const pick = <T extends string>(field: keyof FormValues, allowed: T[], message: string): T | undefined => {
    if ((allowed as string[]).includes(values[field])) return values[field] as T;
    errors[field] = message;
    return undefined;
  };
  const targetKind = pick('targetKind', TARGET_KINDS, 'Choose a website or a category.');
  let target = '';
  if (targetKind === 'website') {
    const site = normaliseWebsite(values.url);
    if (site.ok) target = site.value;
    else errors.url = site.error;
  } else if (targetKind === 'category') {
    const match = categoryChoices(settings).find((c) => c.toLowerCase() === values.category.trim().toLowerCase());
    if (match) target = match;
    else errors.category = 'Choose one of the filter categories.';
  }
  const change = pick('change', CHANGES, 'Choose block or unblock.');
  const audience = pick('audience', AUDIENCES, 'Choose who the change is for.');
  let audienceDetail: string | undefined;
  const detail = values.audienceDetail.trim();
  if (audience === 'section') {
    const section = roster.section(detail);
    if (section) audienceDetail = section.name;
    else errors.audienceDetail = `Name the section: one of ${roster.sections().map((s) => s.name).join(', ')}.`;
  } else if (audience === 'year') {
    const section = detail ? roster.sectionForYear(detail) : undefined;
    const year = detail.replace(/^year\s*/i, '');
    if (section) audienceDetail = /^\d+$/.test(year) ? `Year ${year}` : year[0].toUpperCase() + year.slice(1).toLowerCase();
    else errors.audienceDetail = 'Name a year group the school has, for example Year 9.';
  } else if (audience === 'group') {
    if (!detail) errors.audienceDetail = 'Name the group, for example 12A Psychology.';
    else if (detail.length > MAX_DETAIL) errors.audienceDetail = `The group name is ${detail.length} characters; the limit is ${MAX_DETAIL}.`;
    else audienceDetail = detail;
  }
  const duration = pick('duration', DURATIONS, 'Choose temporary or permanent.');
  const neededBy = values.neededBy.trim();
  if (!neededBy) errors.neededBy = 'Enter the date you need the change by.';
  else if (!isCalendarDate(neededBy)) errors.neededBy = 'Enter a date as YYYY-MM-DD.';
  else if (neededBy < today) errors.neededBy = 'This date has passed: choose today or a later date.';
  let endDate: string | undefined;
  if (duration === 'temporary') {
    endDate = values.endDate.trim();
    const start = neededBy && isCalendarDate(neededBy) && neededBy > today ? neededBy : today;
    if (!endDate) errors.endDate = 'A temporary change needs an end date.';
    else if (!isCalendarDate(endDate)) errors.endDate = 'Enter a date as YYYY-MM-DD.';
    else if (endDate <= start) errors.endDate = 'The end date must be after the date the change is needed by.';
    else if (daysBetween(today, endDate) > settings.maxTemporaryDays) errors.endDate = `A temporary change can last up to ${countOf(settings.maxTemporaryDays, 'day')} (until ${ukDate(addDays(today, settings.maxTemporaryDays))}); ask for a permanent change instead.`;
  }
  const reason = values.reason.trim();
  if (reason.length < MIN_REASON) errors.reason = 'Give the educational reason: what the class will use it for.';
  else if (reason.length > MAX_REASON) errors.reason = `The reason is ${reason.length} characters; the limit is ${MAX_REASON}.`;

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    details: { targetKind: targetKind!, target, change: change!, audience: audience!, audienceDetail, duration: duration!, endDate, reason, neededBy },
  };
}
