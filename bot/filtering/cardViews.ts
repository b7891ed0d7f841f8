import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { ukDate, ukDateOf, ukDateTime } from '../calendar/ukFormat';
import { STEPS } from './chain';
import { isItStep } from './recipients';
import { clip, changeText, durationText, scopeText, STATUS_TEXT } from './describe';
import { CHECK_LIMITS, CHECK_RESULTS, RESULT_TEXT, type CheckErrors, type CheckValues } from './filterCheck';
import { CHANNEL_REASON_LENGTH, MAX_DECLINE_REASON, MAX_DETAIL, MAX_REASON, type FilterRequest, type RequestDetails } from './filterRequest';
import { FORM_FIELDS, sectionChoice, typedTarget, yearChoice, type FormErrors, type FormValues } from './requestForm';
import type { Roster } from '../config/roster';
import type { FilteringSettings, StepId } from './settings';
import { own } from '../core/ownLookup';

const allErrors = <K extends string>(fields: readonly K[], errors: Partial<Record<K, string>>) => Object.fromEntries(fields.map((f) => [f, own<string>(errors, f) ?? ''])) as Record<K, string>;

/**
 * One box takes a website or a category (the server tells them apart), sections are offered in
 * the audience list rather than typed, and what only sometimes applies (naming a year or group,
 * a needed-by date, the category list) is folded away unless it applies, holds text or an error.
 */
export function formCard(values: FormValues, errors: FormErrors, settings: FilteringSettings, roster: Roster, notice = ''): AdaptiveCard {
  const shown = { ...values, target: typedTarget(values) };
  // An older card's "section" or "year" with a typed name shows as the matching choice in the list.
  const section = values.audience === 'section' ? roster.section(values.audienceDetail) : undefined;
  const years = roster.sections().flatMap((s) => s.years);
  const plainYear = (y: string) => y.trim().toLowerCase().replace(/^year\s*/, '');
  const year = values.audience === 'year' ? years.find((y) => plainYear(y) === plainYear(values.audienceDetail)) : undefined;
  if (section) shown.audience = sectionChoice(section.name);
  if (year) shown.audience = yearChoice(year);
  const listed = !!section || !!year;
  return renderCard('filter-form', {
    values: shown,
    errors: allErrors(FORM_FIELDS, errors),
    groups: [...roster.sections().map((s) => ({ title: `Pupils in ${s.name}`, value: sectionChoice(s.name) })), ...years.map((y) => ({ title: `Pupils in ${y}`, value: yearChoice(y) }))],
    // With no year groups in the roster, a year is typed like a group.
    typedYear: years.length === 0,
    categoryList: settings.categories.join(', '),
    maxReason: MAX_REASON,
    maxDetail: MAX_DETAIL,
    notice,
    openCategories: !!errors.target && !!shown.target.trim() && !shown.target.includes('.'),
    openDetail: ['year', 'group'].includes(shown.audience) || (!!values.audienceDetail && !listed) || !!errors.audienceDetail,
    openDate: !!values.neededBy || !!errors.neededBy,
    // A permanent change has no end date: folded once the form comes back saying permanent.
    openEnd: values.duration !== 'permanent' || !!values.endDate || !!errors.endDate,
  });
}

function detailFacts(details: RequestDetails) {
  return [
    { title: details.targetKind === 'category' ? 'Category' : 'Website', value: details.target },
    { title: 'Change', value: changeText(details) },
    { title: 'For', value: scopeText(details) },
    { title: 'How long', value: durationText(details) },
    { title: 'Needed by', value: ukDate(details.neededBy) },
  ];
}

/** What the requester checks before sending, and what they keep once it is sent. */
export function summaryCard(details: RequestDetails, state: { sentAs?: string; notice?: string; status?: string }): AdaptiveCard {
  return renderCard('filter-summary', {
    heading: state.sentAs ? `Request ${state.sentAs} sent` : 'Check your filter change request',
    notice: state.notice ?? '',
    status: state.status ?? '',
    facts: detailFacts(details),
    reason: details.reason,
    footer: state.sentAs
      ? 'The DSL sanctions it first, then IT authorises and makes the change. I will tell you at each step.'
      : 'Nothing has been sent yet. The DSL will see this request, then IT.',
    canSend: !state.sentAs,
  });
}

export function statusLine(request: FilterRequest): { status: string; statusColour: string } {
  if (request.status === 'in-progress' && request.step) return { status: STEPS[request.step].waiting, statusColour: 'Accent' };
  if (request.status === 'declined') {
    const d = request.history.find((h) => h.outcome === 'declined');
    return { status: `Declined by ${d?.by.name ?? 'someone'}`, statusColour: 'Attention' };
  }
  if (request.status === 'in-force') return { status: `Done: in force, review by ${ukDate(request.reviewDate ?? '')}`, statusColour: 'Good' };
  return { status: STATUS_TEXT[request.status], statusColour: 'Default' };
}

/** "Sun 22 Nov 2026, 09:10" in the school's time zone (the one UK style, bot/calendar/ukFormat). */
export function localTime(iso: string, timeZone: string): string {
  return ukDateTime(iso, timeZone);
}

export function historyLines(request: FilterRequest, timeZone: string): string[] {
  const lines = request.history.map((h) => {
    const what = h.outcome === 'declined' ? `Declined (${STEPS[h.step].button.toLowerCase()})` : STEPS[h.step].done;
    const extra = [h.filterReference ? `filter ref ${h.filterReference}` : '', h.reason ? `"${clip(h.reason, 120)}"` : ''].filter(Boolean).join(', ');
    return `${localTime(h.at, timeZone)} · ${what} by ${h.by.name}${extra ? ` · ${extra}` : ''}`;
  });
  for (const r of request.reviews) lines.push(`${localTime(r.at, timeZone)} · ${r.kind === 'expiry' ? 'End date reached' : 'Reviewed'}: ${r.outcome} by ${r.by.name}${r.note ? ` · "${clip(r.note, 120)}"` : ''}`);
  return lines;
}

export interface StepCardOptions {
  /** The step this card is for; it has buttons only while the request waits on it. */
  step: StepId;
  /** The school's, for the times in the history. */
  timeZone: string;
  notice?: string;
  errors?: { filterReference?: string; comment?: string };
  values?: { filterReference?: string; comment?: string };
}

/** The approval card for one step, as the DSL or IT see it (in a channel or 1:1). */
export function stepCard(request: FilterRequest, options: StepCardOptions): AdaptiveCard {
  const actionable = request.status === 'in-progress' && request.step === options.step;
  return renderCard('filter-step', {
    reference: request.reference,
    ...statusLine(request),
    notice: options.notice ?? '',
    facts: [...detailFacts(request.details), { title: 'Requested by', value: `${request.requestedBy.name}, ${ukDateOf(request.requestedAt, options.timeZone)}` }, ...(request.filterReference ? [{ title: 'Filter reference', value: request.filterReference }] : [])],
    // IT cards may sit in a channel: only a glimpse of the reason there. The DSL's 1:1 card has it all.
    reason: isItStep(options.step) ? clip(request.details.reason, CHANNEL_REASON_LENGTH) : request.details.reason,
    history: historyLines(request, options.timeZone),
    actionable,
    step: options.step,
    approveTitle: STEPS[options.step].button,
    needsFilterReference: options.step === 'make',
    maxComment: MAX_DECLINE_REASON,
    values: { filterReference: options.values?.filterReference ?? '', comment: options.values?.comment ?? '' },
    errors: { filterReference: options.errors?.filterReference ?? '', comment: options.errors?.comment ?? '' },
  });
}

export function reviewCard(request: FilterRequest, settings: FilteringSettings, options: { notice?: string; note?: string; error?: string } = {}): AdaptiveCard {
  const kind = request.reminder?.kind ?? request.reviews.at(-1)?.kind ?? 'review';
  const open = request.status === 'in-force' && !!request.reminder;
  const last = request.reviews.at(-1);
  const status = open
    ? kind === 'expiry'
      ? `This temporary change ended on ${ukDate(request.details.endDate ?? '')}: revert it in the filter`
      : `Review due ${ukDate(request.reviewDate ?? '')}: keep or revert this change`
    : last
      ? `${last.outcome === 'kept' ? `Kept by ${last.by.name}, next review ${ukDate(request.reviewDate ?? '')}` : `Reverted by ${last.by.name}`}`
      : STATUS_TEXT[request.status];
  return renderCard('filter-review', {
    heading: `${kind === 'expiry' ? 'Temporary filter change ended' : 'Filter change review'}: ${request.reference}`,
    status,
    statusColour: open ? 'Warning' : 'Good',
    notice: options.notice ?? '',
    facts: [...detailFacts(request.details), { title: 'Filter reference', value: request.filterReference ?? '' }],
    actionable: open,
    canKeep: kind === 'review',
    reference: request.reference,
    reviewAfterDays: settings.reviewAfterDays,
    maxNote: MAX_DECLINE_REASON,
    values: { note: options.note ?? '' },
    errors: { note: options.error ?? '' },
  });
}

export function logCard(requests: FilterRequest[], shown: number, timeZone: string, heading = ''): AdaptiveCard {
  const rows = requests.slice(0, shown).map((r) => ({
    reference: r.reference,
    target: `${r.details.change === 'unblock' ? 'Unblock' : 'Block'} ${r.details.target}`,
    line: [ukDateOf(r.requestedAt, timeZone), statusLine(r).status, scopeText(r.details), r.filterReference ? `filter ref ${r.filterReference}` : ''].filter(Boolean).join(' · '),
  }));
  const summary = heading + (requests.length > shown ? `The ${shown} most recent of ${requests.length} requests. Export for the full log.` : `${requests.length} request${requests.length === 1 ? '' : 's'}, newest first.`);
  return renderCard('filter-log', { rows, summary });
}

export function checkCard(values: CheckValues, errors: CheckErrors, notice = ''): AdaptiveCard {
  return renderCard('filter-check', {
    values,
    errors: allErrors(['date', 'tested', 'devices', 'userGroups', 'result', 'followUp'] as const, errors),
    results: CHECK_RESULTS.map((r) => ({ title: RESULT_TEXT[r], value: r })),
    limits: CHECK_LIMITS,
    notice,
  });
}

/** What travels with the attached CSV files: the reader sees what they hold before opening them. */
export function exportCard(intro: string, files: Array<{ name: string; summary: string }>): AdaptiveCard {
  return renderCard('filter-export', { intro, files });
}
