import { addDays } from '../calendar/schoolTime';
import type { Roster } from '../config/roster';
import type { IncidentCase } from '../incidents/caseRecord';
import { canHandle } from '../incidents/routing';
import { longDate, schoolDate } from './periods';
import type { Candidate, RecordKind } from './recordKinds';

export const FORECAST_DAYS = 30;

export interface KindForecast {
  label: string;
  count: number;
  first?: string;
  last?: string;
}

export interface Forecast {
  until: string;
  kinds: KindForecast[];
  /** Held cases this person handles (they may see the reference). */
  held: IncidentCase[];
  /** Held cases, counting those they do not handle (never one about them). */
  heldCount: number;
  /** Due in the window but kept because they are held. */
  keptByHold: number;
}

/**
 * What the sweep will delete in the next 30 days, by kind, with counts and dates only. A case
 * about the person asking is left out of every figure, so the report cannot tell the Head that a
 * case about them exists.
 */
export async function forecast(kinds: RecordKind[], heldCases: IncidentCase[], today: string, viewer: string | undefined, roster: Roster): Promise<Forecast> {
  const until = addDays(today, FORECAST_DAYS);
  const out: KindForecast[] = [];
  let keptByHold = 0;
  for (const kind of kinds) {
    const visible = (c: Candidate) => !viewer || c.about !== viewer;
    const inWindow = (await kind.scan()).filter((c) => c.expires <= until && visible(c));
    keptByHold += inWindow.filter((c) => c.held).length;
    const going = inWindow.filter((c) => !c.held).map((c) => (c.expires < today ? today : c.expires)).sort();
    out.push({ label: kind.label, count: going.length, first: going[0], last: going.at(-1) });
  }
  const shown = heldCases.filter((c) => c.concerned !== viewer);
  return { until, kinds: out, held: shown.filter((c) => canHandle(c, viewer, roster)), heldCount: shown.length, keptByHold };
}

export function forecastText(f: Forecast, timeZone: string): string {
  const lines = [`**Retention: what will be deleted by ${longDate(f.until)}** (next ${FORECAST_DAYS} days; counts and dates only)`, ''];
  for (const k of f.kinds) {
    const when = !k.count ? '' : k.first === k.last ? ` (on ${longDate(k.first!)})` : ` (from ${longDate(k.first!)} to ${longDate(k.last!)})`;
    lines.push(`- ${k.label}: ${k.count ? `${k.count}${when}` : 'none'}`);
  }
  lines.push('', `**Under legal hold** (never deleted while held): ${f.heldCount ? `${f.heldCount} case${f.heldCount === 1 ? '' : 's'}` : 'none'}`);
  for (const c of f.held) lines.push(`- ${c.ref}: held since ${longDate(schoolDate(c.legalHold!.at, timeZone))} by ${c.legalHold!.by.name}`);
  if (f.heldCount > f.held.length) lines.push(`- ${f.heldCount - f.held.length} more that only their handlers can see`);
  if (f.keptByHold) lines.push('', `${f.keptByHold} of the held cases would otherwise be deleted in this period.`);
  return lines.join('\n');
}
