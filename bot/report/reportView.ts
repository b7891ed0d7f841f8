import { ukDate } from '../calendar/ukFormat';
import { localParts } from '../calendar/schoolTime';
import { CATEGORIES } from '../incidents/categories';
import { FEWER_THAN, type Breakdown } from './smallCounts';
import type { TermFigures } from './termFigures';

/** One table of a report section: a heading row and rows of text, exactly as people read them. */
export interface ViewTable {
  title: string;
  header: string[];
  rows: string[][];
  /** The card shows at most this many rows (Teams' card size limit); the PDF and the workbook show all. */
  cardRows?: number;
}

/** A section of the report: one card section, one PDF heading, one workbook sheet. */
export interface ViewSection {
  id: 'incidents' | 'response' | 'referrals' | 'filtering' | 'checks' | 'tutor-logs' | 'calls' | 'acknowledgements';
  title: string;
  tables: ViewTable[];
  notes: string[];
}

export interface BarPoint {
  x: string;
  y: number;
}

/** What the charts draw. A count shown as "fewer than 5" (or hidden beside one) is never drawn. */
export interface ViewCharts {
  /** Incidents by category, one series per term (earlier terms first). */
  categories?: { title: string; series: Array<{ legend: string; values: BarPoint[] }>; table: ViewTable };
  /** Acknowledged within target against missed. */
  targets?: { title: string; slices: Array<{ legend: string; value: number; color: 'good' | 'attention' | 'neutral' }>; table: ViewTable };
  /** Filter changes by kind. */
  filterChanges: { title: string; bars: BarPoint[]; table: ViewTable };
}

export interface ReportView {
  school: string;
  title: string;
  period: string;
  generated: string;
  sections: ViewSection[];
  charts: ViewCharts;
  /** How small counts are treated, said once on every copy. */
  suppressionNote: string;
}

export const SUPPRESSION_NOTE =
  `Counts only: no names or pupil details. Where a count could point to a pupil (incidents by category, section and urgency; referrals by agency), a count of 1 to 4 is shown as "${FEWER_THAN}", ` +
  'and when only one count in a list is that small, the next smallest is shown as "5 or more" so it cannot be worked out from the total. Hidden counts are not drawn in the charts.';

const breakdownRows = (b: Breakdown) => [...b.rows.map((r) => [r.label, r.count.shown]), ['Total', b.total.shown]];
const pct = (p: number | undefined) => (p === undefined ? 'not enough cases' : `${p}%`);

function duration(minutes: number | undefined): string {
  if (minutes === undefined) return 'none acknowledged';
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

const NOT_BROKEN_DOWN = `${FEWER_THAN} in all`;
const TERM_HISTORY = 'Incidents by category, this term and the terms before';

export interface TermHistory {
  label: string;
  byCategory: Breakdown;
  /** False for a term with 1-4 incidents: its column says so and nothing of it is drawn. */
  brokenDown: boolean;
}

/**
 * The report as people read it, shared by the card, the PDF and the workbook so the three always
 * say the same. Figures arrive already guarded (smallCounts.ts); this only words them.
 */
export function reportView(figures: TermFigures, history: TermHistory[], school: string, timeZone: string): ReportView {
  const inc = figures.incidents;
  const f = figures.filtering;
  const t = figures.tutorLogs;
  const c = figures.calls;
  const generatedAt = localParts(new Date(figures.generatedAt), timeZone);
  const ack = inc.acknowledgement;

  const incidents: ViewSection = inc.brokenDown
    ? {
        id: 'incidents',
        title: 'Incidents',
        tables: [
          { title: 'Summary', header: ['Figure', 'Count'], rows: [['Incidents reported', inc.total.shown], ['Open', String(inc.open)], ['Closed', String(inc.closed)], ['Cases escalated (not acknowledged in time)', String(inc.escalatedCases)], ['Escalation steps taken', String(inc.escalationSteps)]] },
          { title: 'By category', header: ['Category', 'Count'], rows: breakdownRows(inc.byCategory) },
          { title: 'By section', header: ['Section', 'Count'], rows: breakdownRows(inc.bySection) },
          { title: 'By urgency', header: ['Urgency', 'Count'], rows: breakdownRows(inc.byUrgency) },
        ],
        notes: [],
      }
    : {
        id: 'incidents',
        title: 'Incidents',
        tables: [{ title: 'Summary', header: ['Figure', 'Count'], rows: [['Incidents reported', inc.total.shown]] }],
        notes: inc.total.value ? [`With ${FEWER_THAN} incidents this period nothing is broken down, so that no pupil can be identified.`] : ['No incidents were reported in this period.'],
      };

  const response: ViewSection = {
    id: 'response',
    title: 'Acknowledgement within target',
    tables: inc.brokenDown
      ? [
          {
            title: 'All urgencies',
            header: ['Figure', 'Value'],
            rows: [['Acknowledged within target', String(ack.withinTarget)], ['Missed the target', String(ack.missed)], ['Not acknowledged yet, still within target', String(ack.notYetDue)], ['Share within target', pct(ack.withinTargetPercent)], ['Median time to acknowledge', duration(ack.medianMinutes)]],
          },
          { title: 'By urgency', header: ['Urgency', 'Target', 'Cases', 'Within target'], rows: ack.byUrgency.map((u) => [u.urgency, duration(u.targetMinutes), u.cases.shown, !u.cases.value ? '-' : u.cases.suppressed ? 'not shown (few cases)' : pct(u.withinTargetPercent)]) },
        ]
      : [],
    notes: inc.brokenDown ? [] : ['Not shown: too few incidents this period.'],
  };

  const referrals: ViewSection = {
    id: 'referrals',
    title: 'Referrals',
    tables: inc.brokenDown ? [{ title: 'By agency', header: ['Agency', 'Referrals'], rows: breakdownRows(inc.referrals) }] : [],
    notes: inc.brokenDown ? [] : ['Not shown: too few incidents this period.'],
  };

  const filtering: ViewSection = {
    id: 'filtering',
    title: 'Filter changes',
    tables: [
      { title: 'Requests by kind', header: ['Kind', 'Requests'], rows: breakdownRows(f.byKind) },
      {
        title: 'Outcomes',
        header: ['Figure', 'Count'],
        rows: [['In force', String(f.inForce)], ['Ended', String(f.ended)], ['Declined', String(f.declined)], ['Still being approved', String(f.inProgress)], ['Reviews overdue (any change in force)', String(f.reviewsOverdue)], ['Attempts to unblock a never-allow category', String(f.neverAllowAttempts)]],
      },
    ],
    notes: [],
  };

  const checks: ViewSection = {
    id: 'checks',
    title: 'Filter checks',
    tables: [{ title: 'Checks', header: ['Figure', 'Count'], rows: [['Checks done', String(f.checksDone)], ['Checks due', String(f.checksDue)], ['Checks that found gaps', String(f.checksWithGaps)]] }],
    notes: f.checksDone < f.checksDue ? [`${f.checksDue - f.checksDone} fewer check${f.checksDue - f.checksDone === 1 ? '' : 's'} than due.`] : [],
  };

  const tutor: ViewSection = {
    id: 'tutor-logs',
    title: 'Tutor-log completeness',
    tables: t.setUp ? [{ title: 'Sessions', header: ['Figure', 'Value'], rows: [['Sessions expected', String(t.expected)], ['Logged', String(t.logged)], ['Missing', String(t.missing)], ['Complete', t.percent === undefined ? 'no sessions due' : `${t.percent}%`]] }] : [],
    notes: t.setUp ? [] : ['Tutor logs are not set up for this school.'],
  };

  const calls: ViewSection = {
    id: 'calls',
    title: '1-1 call permissions',
    tables: [{ title: 'Calls', header: ['Figure', 'Count'], rows: [['1-1 calls planned', String(c.planned)], ['Needing advance permission', String(c.needingPermission)], ['Approved', String(c.approved)], ['Declined', String(c.declined)], ['Waiting for a decision', String(c.awaiting)], ['Held and recorded', String(c.held)]] }],
    notes: [],
  };

  return {
    school,
    title: 'Termly safeguarding and online-safety report',
    period: `${figures.range.label} (${figures.range.from} to ${figures.range.to})`,
    generated: `${generatedAt.date} ${generatedAt.time}`,
    sections: [incidents, response, referrals, filtering, checks, tutor, calls, acknowledgementSection(figures)],
    charts: charts(figures, history),
    suppressionNote: SUPPRESSION_NOTE,
  };
}

/** About 600 bytes a row on the card: a school with many rounds in a term would pass Teams' 28 KB. */
const CARD_ROUNDS = 10;
export const NO_ROUNDS = 'No acknowledgement rounds in this period.';

/** Staff figures, so exact counts: a total for governors and one row per round open in the period. */
function acknowledgementSection(figures: TermFigures): ViewSection {
  const a = figures.acknowledgements;
  const share = (p: number | undefined) => (p === undefined ? '-' : `${p}%`);
  const base = { id: 'acknowledgements' as const, title: 'Policy acknowledgements' };
  if (!a.rounds.length) return { ...base, tables: [], notes: [NO_ROUNDS] };
  const t = a.total;
  return {
    ...base,
    tables: [
      {
        title: 'All rounds',
        header: ['Figure', 'Count'],
        rows: [['Rounds open in the period', String(a.rounds.length)], ['People required', String(t.required)], ['Acknowledged by the due date', String(t.onTime)], ['Acknowledged late', String(t.late)], ['Outstanding', String(t.outstanding)], ['Not reached in Teams', String(t.notReached)], ['Share acknowledged', share(t.percent)]],
      },
      {
        title: 'By document',
        header: ['Document', 'Required', 'By due date', 'Late', 'Outstanding', 'Not reached', 'Share'],
        cardRows: CARD_ROUNDS,
        rows: a.rounds.map((r) => [`${r.title} (round ${r.number}, due ${ukDate(r.due)})`, String(r.required), String(r.onTime), String(r.late), String(r.outstanding), String(r.notReached), share(r.percent)]),
      },
    ],
    notes: [`As at ${ukDate(a.asOf)}. A person counts once for each round that asked them; "not reached" means the card could not be delivered in Teams.`],
  };
}

function charts(figures: TermFigures, history: TermHistory[]): ViewCharts {
  const f = figures.filtering;
  const filterChanges = {
    title: 'Filter changes by kind',
    bars: f.byKind.rows.map((r) => ({ x: r.label, y: r.count.value })),
    table: { title: 'Filter changes by kind', header: ['Kind', 'Requests'], rows: breakdownRows(f.byKind) },
  };
  const inc = figures.incidents;
  if (!inc.brokenDown) return { filterChanges };
  const terms: TermHistory[] = [...history, { label: figures.range.label, byCategory: inc.byCategory, brokenDown: true }];
  // Categories seen in any of the terms, in the form's order.
  const order = CATEGORIES.map((c) => c.id);
  const keys = [...new Set(terms.flatMap((term) => term.byCategory.rows.map((r) => r.key)))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const labelOf = (key: string) => terms.flatMap((term) => term.byCategory.rows).find((r) => r.key === key)!.label;
  const series = terms.map((term) => ({
    legend: term.label,
    values: keys.flatMap((key) => {
      const row = term.byCategory.rows.find((r) => r.key === key);
      if (!term.brokenDown || row?.count.suppressed) return [];
      return [{ x: labelOf(key), y: row?.count.value ?? 0 }];
    }),
  }));
  const categories = {
    title: TERM_HISTORY,
    series,
    table: { title: TERM_HISTORY, header: ['Category', ...terms.map((term) => term.label)], rows: keys.map((key) => [labelOf(key), ...terms.map((term) => (term.brokenDown ? term.byCategory.rows.find((r) => r.key === key)?.count.shown ?? '0' : NOT_BROKEN_DOWN))]) },
  };
  const ack = inc.acknowledgement;
  const targets = {
    title: 'Acknowledged within target',
    slices: [
      { legend: 'Within target', value: ack.withinTarget, color: 'good' as const },
      { legend: 'Missed the target', value: ack.missed, color: 'attention' as const },
      { legend: 'Not yet due', value: ack.notYetDue, color: 'neutral' as const },
    ].filter((s) => s.value > 0),
    table: { title: 'Acknowledged within target', header: ['Cases', 'Count'], rows: [['Within target', String(ack.withinTarget)], ['Missed the target', String(ack.missed)], ['Not yet due', String(ack.notYetDue)]] },
  };
  return { categories, targets: targets.slices.length ? targets : undefined, filterChanges };
}
