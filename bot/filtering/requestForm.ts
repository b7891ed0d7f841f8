import type { Roster } from '../config/roster';
import { countOf, ukDate } from '../calendar/ukFormat';
import { addDays, daysBetween, isCalendarDate } from './dates';
import { MAX_DETAIL, MAX_REASON, type AudienceKind, type ChangeKind, type Duration, type RequestDetails, type TargetKind } from './filterRequest';
import type { FilteringSettings } from './settings';
import { normaliseWebsite } from './website';

/** The form's fields exactly as typed, kept so a re-shown form loses nothing. */
export interface FormValues {
  /** What the card asks: a website address or a filter category, told apart on the server. */
  target: string;
  /** Older cards and drafts name the kind and use `url` or `category`; still read, never required. */
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

export const FORM_FIELDS: Array<keyof FormValues> = ['target', 'targetKind', 'url', 'category', 'change', 'audience', 'audienceDetail', 'duration', 'endDate', 'reason', 'neededBy'];

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
  return readFormValues({}, { change: 'unblock', audience: 'all-pupils', duration: 'temporary' });
}

/** What was typed for the website or category, whichever shape of card sent it. */
export function typedTarget(values: FormValues): string {
  if (values.target.trim()) return values.target;
  return values.targetKind === 'category' ? values.category : values.url;
}

/** The audience choices the card offers for one section or year ("section:Senior", "year:Year 9"), so neither is typed. */
export const sectionChoice = (name: string) => `section:${name}`;
export const yearChoice = (name: string) => `year:${name}`;

/** All categories a requester may pick: never-allowed ones are listed so the refusal can explain itself. */
export function categoryChoices(settings: FilteringSettings): string[] {
  return [...new Set([...settings.categories, ...settings.neverAllowCategories])];
}

/** Words only, no bracketed note: "drugs" finds "Drugs (education)", "video-streaming" finds "Video streaming". */
const looseName = (text: string) => text.toLowerCase().replace(/\([^)]*\)/g, ' ').replace(/[^a-z0-9]+/g, ' ').trim();

/** The category typed, by its exact name or loosely; undefined when it names none (it may be a website). */
export function matchCategory(typed: string, settings: FilteringSettings): string | undefined {
  const all = categoryChoices(settings);
  const exact = all.find((c) => c.toLowerCase() === typed.toLowerCase());
  if (exact || /[./]/.test(typed)) return exact;
  const loose = all.filter((c) => looseName(c) === looseName(typed));
  return loose.length === 1 ? loose[0] : undefined;
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
  // One box for both: a category name is a category, anything else must be a website address.
  let targetKind: TargetKind | undefined;
  let target = '';
  const typed = typedTarget(values).trim();
  const category = matchCategory(typed, settings);
  if (!typed) errors.target = 'Enter the website address, or the name of a filter category.';
  else if (category) {
    targetKind = 'category';
    target = category;
  } else if (values.targetKind === 'category' && !values.target.trim()) errors.target = 'Choose one of the filter categories.';
  else {
    const site = normaliseWebsite(typed);
    if (site.ok) {
      targetKind = 'website';
      target = site.value;
    } else errors.target = /\s/.test(typed) || !typed.includes('.') ? `${site.error} Or name one of the filter categories listed under the box.` : site.error;
  }
  const change = pick('change', CHANGES, 'Choose block or unblock.');
  // A section or year picked from the list arrives as "section:<name>" or "year:<name>"; older cards sent the kind and typed the name.
  const picked = /^(section|year):(.+)$/.exec(values.audience);
  const audience = picked ? (picked[1] as AudienceKind) : pick('audience', AUDIENCES, 'Choose who the change is for.');
  let audienceDetail: string | undefined;
  const detail = picked ? picked[2].trim() : values.audienceDetail.trim();
  if (audience === 'section') {
    const section = roster.section(detail);
    if (section) audienceDetail = section.name;
    else errors[picked ? 'audience' : 'audienceDetail'] = `Name the section: one of ${roster.sections().map((s) => s.name).join(', ')}.`;
  } else if (audience === 'year') {
    const section = detail ? roster.sectionForYear(detail) : undefined;
    const year = detail.replace(/^year\s*/i, '');
    if (section) audienceDetail = /^\d+$/.test(year) ? `Year ${year}` : year[0].toUpperCase() + year.slice(1).toLowerCase();
    else errors[picked ? 'audience' : 'audienceDetail'] = 'Name a year group the school has, for example Year 9.';
  } else if (audience === 'group') {
    if (!detail) errors.audienceDetail = 'Name the group, for example 12A Psychology.';
    else if (detail.length > MAX_DETAIL) errors.audienceDetail = `The group name is ${detail.length} characters; the limit is ${MAX_DETAIL}.`;
    else audienceDetail = detail;
  }
  const duration = pick('duration', DURATIONS, 'Choose temporary or permanent.');
  // Optional on the card (folded away): left empty, it is needed as soon as possible, i.e. today.
  const neededBy = values.neededBy.trim() || today;
  if (!isCalendarDate(neededBy)) errors.neededBy = 'Enter a date as YYYY-MM-DD.';
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
