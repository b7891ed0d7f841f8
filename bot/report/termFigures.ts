import { roundCoverage, type RoundCoverage } from '../acknowledgements/roundRecords';
import { CATEGORIES } from '../incidents/categories';
import { AGENCIES } from '../incidents/caseStatus';
import type { IncidentCase } from '../incidents/caseRecord';
import type { Urgency } from '../incidents/settings';
import type { FilterRequest } from '../filtering/filterRequest';
import { isSchoolDay, type SchoolCalendar } from '../calendar/workingDays';
import { addDays, localParts, weekStart, type Weekday } from '../calendar/schoolTime';
import { buildWeekGrid } from '../tutoring/weekGrid';
import type { ReportRecords } from './reportRecords';
import { dateInRange, instantInRange, type ReportRange } from './reportRange';
import { exact, exactBreakdown, guarded, guardedBreakdown, type Breakdown, type ShownCount } from './smallCounts';

const URGENCIES: Urgency[] = ['P0', 'P1', 'P2', 'P3'];
const MINUTE = 60_000;

/** What the figures are measured against: the school's own targets and calendar. */
export interface ReportRules {
  calendar: SchoolCalendar;
  acknowledgeWithinMinutes: Record<Urgency, number>;
  /** How often the filter should be checked: one check due per this many days of the range. */
  filterCheckEveryDays: number;
  /** Absent when tutor logs are not set up. */
  tutoring?: { groups: string[]; sessionDays: Weekday[] };
  /** When the report is made: cases still unacknowledged are judged against it. */
  now: Date;
}

export interface UrgencyTarget {
  urgency: Urgency;
  targetMinutes: number;
  cases: ShownCount;
  /** Percent acknowledged within target; undefined when the cases are too few to show one. */
  withinTargetPercent?: number;
}

export interface IncidentFigures {
  /** False when there were 1-4 incidents: then nothing is broken down, so no pupil can be picked out. */
  brokenDown: boolean;
  total: ShownCount;
  byCategory: Breakdown;
  bySection: Breakdown;
  byUrgency: Breakdown;
  open: number;
  closed: number;
  escalatedCases: number;
  escalationSteps: number;
  acknowledgement: {
    withinTarget: number;
    missed: number;
    /** Not acknowledged yet, and still inside its target. */
    notYetDue: number;
    /** Of those acknowledged or overdue. */
    withinTargetPercent?: number;
    medianMinutes?: number;
    byUrgency: UrgencyTarget[];
  };
  referrals: Breakdown;
}

export interface FilterFigures {
  requests: number;
  byKind: Breakdown;
  declined: number;
  inForce: number;
  inProgress: number;
  ended: number;
  reviewsOverdue: number;
  neverAllowAttempts: number;
  checksDone: number;
  checksDue: number;
  checksWithGaps: number;
}

export interface TutorFigures {
  setUp: boolean;
  expected: number;
  logged: number;
  missing: number;
  percent?: number;
}

export interface CallFigures {
  planned: number;
  needingPermission: number;
  approved: number;
  declined: number;
  awaiting: number;
  held: number;
}

export interface RoundFigures extends RoundCoverage {
  title: string;
  number: number;
  due: string;
}

export interface AcknowledgementFigures {
  /** Rounds open at any time in the range, oldest first; empty when none was. */
  rounds: RoundFigures[];
  /** The rounds added up: a person counts once for each round that asked them. */
  total: RoundCoverage;
  /** The school date the figures stand at: the range's last day, or today while it runs. */
  asOf: string;
}

export interface TermFigures {
  range: ReportRange;
  generatedAt: string;
  incidents: IncidentFigures;
  filtering: FilterFigures;
  tutorLogs: TutorFigures;
  calls: CallFigures;
  acknowledgements: AcknowledgementFigures;
}

function median(values: number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const percent = (part: number, whole: number) => (whole ? Math.round((100 * part) / whole) : undefined);

/** Minutes from report to acknowledgement; undefined while nobody has acknowledged it. */
function minutesToAcknowledge(c: IncidentCase): number | undefined {
  if (!c.acknowledgedAt) return undefined;
  return Math.max(0, Math.round((Date.parse(c.acknowledgedAt) - Date.parse(c.reportedAt)) / MINUTE));
}

export function incidentFigures(all: IncidentCase[], range: ReportRange, rules: ReportRules): IncidentFigures {
  const tz = rules.calendar.timeZone;
  const cases = all.filter((c) => instantInRange(c.reportedAt, range, tz));
  const count = (pred: (c: IncidentCase) => boolean) => cases.filter(pred).length;

  const byCategory = guardedBreakdown(CATEGORIES.map((cat) => ({ key: cat.id, label: cat.label, value: count((c) => c.category === cat.id) })));
  const sectionNames = [...new Set(cases.map((c) => c.section ?? ''))].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
  const bySection = guardedBreakdown(sectionNames.map((s) => ({ key: s || 'none', label: s || 'No section (staff, data or whole-school)', value: count((c) => (c.section ?? '') === s) })));
  const byUrgency = guardedBreakdown(URGENCIES.map((u) => ({ key: u, label: u, value: count((c) => c.urgency === u) })));

  let withinTarget = 0;
  let missed = 0;
  let notYetDue = 0;
  const minutes: number[] = [];
  const byUrgencyTargets: UrgencyTarget[] = URGENCIES.map((urgency) => {
    const target = rules.acknowledgeWithinMinutes[urgency];
    let within = 0;
    let judged = 0;
    for (const c of cases.filter((x) => x.urgency === urgency)) {
      const taken = minutesToAcknowledge(c);
      if (taken !== undefined) {
        minutes.push(taken);
        judged += 1;
        if (taken <= target) within += 1;
      } else if (rules.now.getTime() - Date.parse(c.reportedAt) > target * MINUTE) judged += 1;
      else notYetDue += 1;
    }
    withinTarget += within;
    missed += judged - within;
    // The same shown count as the urgency breakdown (with its secondary hiding); a share of a hidden count would give it away.
    const shown = byUrgency.rows.find((r) => r.key === urgency)?.count ?? exact(0);
    return { urgency, targetMinutes: target, cases: shown, withinTargetPercent: shown.suppressed ? undefined : percent(within, judged) };
  });

  const referralCounts = AGENCIES.map((a) => ({ key: a.id, label: a.label, value: cases.reduce((sum, c) => sum + c.referrals.filter((r) => r.agency === a.id).length, 0) }));
  const total = guarded(cases.length);
  return {
    brokenDown: !total.suppressed,
    total,
    byCategory,
    bySection,
    byUrgency,
    open: count((c) => c.status !== 'closed'),
    closed: count((c) => c.status === 'closed'),
    escalatedCases: count((c) => c.escalationLevel > 0),
    escalationSteps: cases.reduce((sum, c) => sum + c.escalationLevel, 0),
    acknowledgement: { withinTarget, missed, notYetDue, withinTargetPercent: percent(withinTarget, withinTarget + missed), medianMinutes: median(minutes), byUrgency: byUrgencyTargets },
    referrals: guardedBreakdown(referralCounts, true),
  };
}

const KINDS = [
  { key: 'temporary-unblock', label: 'Temporary unblock' },
  { key: 'permanent-unblock', label: 'Permanent unblock' },
  { key: 'temporary-block', label: 'Temporary block' },
  { key: 'permanent-block', label: 'Permanent block' },
] as const;

/** A change in force whose review (or, for a temporary one, its end) passed with no outcome recorded. */
function reviewOverdue(r: FilterRequest, asOf: string): boolean {
  if (r.status !== 'in-force') return false;
  const due = [r.reviewDate, r.details.duration === 'temporary' ? r.details.endDate : undefined].filter((d): d is string => !!d);
  return due.some((d) => d < asOf);
}

export function filterFigures(records: ReportRecords, range: ReportRange, rules: ReportRules): FilterFigures {
  const tz = rules.calendar.timeZone;
  const requests = records.filterRequests.filter((r) => instantInRange(r.requestedAt, range, tz));
  const today = localParts(rules.now, tz).date;
  const asOf = range.to < today ? addDays(range.to, 1) : today;
  const checks = records.filterChecks.filter((c) => dateInRange(c.date, range));
  const days = Math.round((Date.parse(`${range.to}T12:00:00Z`) - Date.parse(`${range.from}T12:00:00Z`)) / (24 * 60 * MINUTE)) + 1;
  const count = (pred: (r: FilterRequest) => boolean) => requests.filter(pred).length;
  return {
    requests: requests.length,
    byKind: exactBreakdown(KINDS.map((k) => ({ key: k.key, label: k.label, value: count((r) => `${r.details.duration}-${r.details.change}` === k.key) }))),
    declined: count((r) => r.status === 'declined'),
    inForce: count((r) => r.status === 'in-force'),
    inProgress: count((r) => r.status === 'in-progress'),
    ended: count((r) => r.status === 'ended'),
    // Every change still in force counts, whenever it was asked for: an old one left unreviewed is the point.
    reviewsOverdue: records.filterRequests.filter((r) => reviewOverdue(r, asOf)).length,
    neverAllowAttempts: records.neverAllowAttempts.filter((a) => instantInRange(a.at, range, tz)).length,
    checksDone: checks.length,
    checksDue: Math.max(1, Math.floor(days / rules.filterCheckEveryDays)),
    checksWithGaps: checks.filter((c) => c.result !== 'passed').length,
  };
}

/** Session days up to today (or the range's end) with no log for the group, from the same grid the weekly record uses. */
export function tutorFigures(records: ReportRecords, range: ReportRange, rules: ReportRules): TutorFigures {
  if (!rules.tutoring) return { setUp: false, expected: 0, logged: 0, missing: 0 };
  const today = localParts(rules.now, rules.calendar.timeZone).date;
  const until = range.to < today ? range.to : today;
  const groups = rules.tutoring.groups.map((name) => ({ name, tutor: '', section: '' }));
  let expected = 0;
  let missing = 0;
  for (let week = weekStart(range.from); week <= until; week = addDays(week, 7)) {
    const logs = records.tutorLogs.filter((l) => l.week === week);
    const grid = buildWeekGrid(week, groups, rules.tutoring.sessionDays, logs, until, () => '', (date) => isSchoolDay(date, rules.calendar));
    for (const row of grid.rows) {
      for (const cell of row.cells) {
        if (!dateInRange(cell.date, { from: range.from, to: until }) || cell.status === 'not-yet') continue;
        expected += 1;
        if (cell.status === 'missing') missing += 1;
      }
    }
  }
  return { setUp: true, expected, logged: expected - missing, missing, percent: percent(expected - missing, expected) };
}

export function callFigures(records: ReportRecords, range: ReportRange, rules: ReportRules): CallFigures {
  const calls = records.calls.filter((c) => instantInRange(c.createdAt, range, rules.calendar.timeZone));
  const withPermission = calls.filter((c) => c.permission);
  return {
    planned: calls.length,
    needingPermission: withPermission.length,
    approved: withPermission.filter((c) => c.permission!.decision === 'approved').length,
    declined: withPermission.filter((c) => c.permission!.decision === 'declined').length,
    awaiting: withPermission.filter((c) => !c.permission!.decision).length,
    held: calls.filter((c) => c.state === 'held').length,
  };
}

/** Policy acknowledgement rounds open at any time in the range, and where each stood at its end. */
export function acknowledgementFigures(records: ReportRecords, range: ReportRange, rules: ReportRules): AcknowledgementFigures {
  const tz = rules.calendar.timeZone;
  const day = (iso: string) => localParts(new Date(iso), tz).date;
  const today = localParts(rules.now, tz).date;
  const asOf = range.to < today ? range.to : today;
  const open = records.acknowledgementRounds
    .filter((r) => day(r.openedAt) <= range.to && (!r.closedAt || day(r.closedAt) >= range.from))
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.id.localeCompare(b.id));
  const rounds = open.map((r) => ({ title: r.title, number: r.number, due: r.due, ...roundCoverage(r, asOf, day) }));
  const sum = (k: 'required' | 'onTime' | 'late' | 'outstanding' | 'notReached') => rounds.reduce((n, r) => n + r[k], 0);
  const required = sum('required');
  return {
    rounds,
    total: { required, onTime: sum('onTime'), late: sum('late'), outstanding: sum('outstanding'), notReached: sum('notReached'), percent: percent(sum('onTime') + sum('late'), required) },
    asOf,
  };
}

/** The termly report's figures for `range`: counts only, from the records' structured fields. */
export function termFigures(records: ReportRecords, range: ReportRange, rules: ReportRules): TermFigures {
  return {
    range,
    generatedAt: rules.now.toISOString(),
    incidents: incidentFigures(records.cases, range, rules),
    filtering: filterFigures(records, range, rules),
    tutorLogs: tutorFigures(records, range, rules),
    calls: callFigures(records, range, rules),
    acknowledgements: acknowledgementFigures(records, range, rules),
  };
}

/** Incidents by category in each earlier term and this one, for the chart across terms. */
export function categoriesAcrossTerms(records: ReportRecords, ranges: ReportRange[], rules: ReportRules): Array<{ label: string; byCategory: Breakdown; brokenDown: boolean }> {
  return ranges.map((range) => {
    const f = incidentFigures(records.cases, range, rules);
    return { label: range.label, byCategory: f.byCategory, brokenDown: f.brokenDown };
  });
}


