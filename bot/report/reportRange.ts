import type { Term } from '../calendar/workingDays';
import { isIsoDate, localParts } from '../calendar/schoolTime';

/** The dates a report covers, both inclusive, in the school's own calendar. */
export interface ReportRange {
  from: string;
  to: string;
  /** "Autumn term 2026", or "2026-09-01 to 2026-10-23" for a typed range. */
  label: string;
}

export interface NamedTerm extends Term {
  name: string;
  /** "autumn-2026": what `report term autumn 2026` matches. */
  key: string;
}

// English schools' three terms, named by the month they start in: no configuration needed.
function season(start: string): 'Autumn' | 'Spring' | 'Summer' {
  const month = Number(start.slice(5, 7));
  if (month >= 8) return 'Autumn';
  return month <= 3 ? 'Spring' : 'Summer';
}

/** The configured terms, oldest first, each named "Autumn term 2026" (a second one in a season gets a number). */
export function namedTerms(terms: readonly Term[] | undefined): NamedTerm[] {
  const sorted = [...(terms ?? [])].sort((a, b) => a.start.localeCompare(b.start));
  const used = new Map<string, number>();
  return sorted.map((t) => {
    const base = `${season(t.start)} term ${t.start.slice(0, 4)}`;
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    const name = n === 1 ? base : `${base} (${n})`;
    return { ...t, name, key: name.toLowerCase().replace(/ term /, ' ').replace(/[^a-z0-9]+/g, '-').replace(/-$/, '') };
  });
}

export function termRange(term: NamedTerm): ReportRange {
  return { from: term.start, to: term.end, label: term.name };
}

/** The term holding `today`, else the last one that has ended (the report people mean between terms). */
export function currentOrLastTerm(terms: readonly NamedTerm[], today: string): NamedTerm | undefined {
  return terms.find((t) => t.start <= today && today <= t.end) ?? [...terms].reverse().find((t) => t.end < today);
}

/** Up to `count` terms before `range`, oldest first: the comparison the governors' chart shows. */
export function termsBefore(terms: readonly NamedTerm[], range: ReportRange, count: number): NamedTerm[] {
  return terms.filter((t) => t.end < range.from).slice(-count);
}

export type RangeChoice = { ok: true; range: ReportRange } | { ok: false; message: string };

const BY_DATES = '**report term 2026-09-01 2026-12-16**';
const NO_TERMS = `No term dates are set in the school configuration (school.termDates), so give the dates: ${BY_DATES}.`;

/** A term's name as it is typed after `report term` ("Autumn term 2026" → "autumn 2026"). */
const typedName = (t: NamedTerm) => t.name.replace(/ term /, ' ').toLowerCase();

/** What to type instead: only forms that work for this school's terms on this day. */
function usage(terms: readonly NamedTerm[], today: string): string {
  if (!terms.length) return NO_TERMS;
  const current = currentOrLastTerm(terms, today);
  const named = `**report term ${typedName(current ?? terms[0])}** for a named term`;
  return current ? `Type **report term** for this term, ${named}, or ${BY_DATES} for dates.` : `Type ${named}, or ${BY_DATES} for dates.`;
}

/** What `report term …` asked for: nothing (this term), a term's name, or two dates. */
export function chooseRange(args: string, terms: readonly NamedTerm[], today: string): RangeChoice {
  const text = args.trim().toLowerCase();
  if (!text) {
    if (!terms.length) return { ok: false, message: NO_TERMS };
    const term = currentOrLastTerm(terms, today);
    if (!term) return { ok: false, message: `No term has started yet (the first is ${terms[0].name}, from ${terms[0].start}). ${usage(terms, today)}` };
    return { ok: true, range: termRange(term) };
  }
  const dates = /^(\S+)\s+(?:to\s+)?(\S+)$/.exec(text);
  if (dates && /\d{4}-/.test(dates[1])) {
    const [, from, to] = dates;
    if (!isIsoDate(from) || !isIsoDate(to)) return { ok: false, message: `Give both dates as YYYY-MM-DD, for example **report term 2026-09-01 2026-12-16**.` };
    if (from > to) return { ok: false, message: `The first date (${from}) is after the second (${to}).` };
    // Dates that are exactly a configured term are that term, by name.
    const same = terms.find((t) => t.start === from && t.end === to);
    return { ok: true, range: same ? termRange(same) : { from, to, label: `${from} to ${to}` } };
  }
  const key = text.replace(/\bterm\b/g, ' ').replace(/[^a-z0-9()]+/g, '-').replace(/[()]/g, '').replace(/^-|-$/g, '');
  const term = terms.find((t) => t.key === key);
  if (term) return { ok: true, range: termRange(term) };
  const names = terms.map(typedName);
  return { ok: false, message: `"${args.trim()}" is not a term I know. ${names.length ? `The configured terms are: ${names.join(', ')}. ` : ''}${usage(terms, today)}` };
}

/** Whether an instant falls on one of the range's days, as the school's clock reads it. */
export function instantInRange(at: string | undefined, range: Pick<ReportRange, 'from' | 'to'>, timeZone: string): boolean {
  if (!at) return false;
  const date = localParts(new Date(at), timeZone).date;
  return range.from <= date && date <= range.to;
}

export function dateInRange(date: string | undefined, range: Pick<ReportRange, 'from' | 'to'>): boolean {
  return !!date && range.from <= date && date <= range.to;
}
