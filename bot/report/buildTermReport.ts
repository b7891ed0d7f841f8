import type { ConfigStore } from '../config/configStore';
import { schoolCalendar } from '../calendar/schoolCalendar';
import type { IncidentSettings } from '../incidents/settings';
import type { TutoringSettings } from '../tutoring/tutoringSettings';
import { loadReportRecords } from './loadReportRecords';
import type { RecordSource } from './reportRecords';
import { namedTerms, termRange, termsBefore, type ReportRange } from './reportRange';
import { reportView, type ReportView } from './reportView';
import type { ReportSettings } from './settings';
import { categoriesAcrossTerms, termFigures, type ReportRules, type TermFigures } from './termFigures';

export interface TermReport {
  range: ReportRange;
  figures: TermFigures;
  view: ReportView;
}

/** The school's own measures for the figures, from its configuration as loaded now. */
export function reportRules(config: ConfigStore, settings: ReportSettings, now: Date, school: Parameters<typeof schoolCalendar>[0]): ReportRules {
  const incidents = config.settings<IncidentSettings>('incidents');
  const tutoring = config.settings<TutoringSettings | undefined>('tutoring');
  return {
    calendar: schoolCalendar(school),
    acknowledgeWithinMinutes: incidents.acknowledgeWithinMinutes,
    filterCheckEveryDays: settings.filterCheckEveryDays,
    tutoring: tutoring ? { groups: tutoring.tutorGroups.map((g) => g.name), sessionDays: tutoring.sessionDays } : undefined,
    now,
  };
}

/** Loads the records (this range and the terms compared with it) and works out the report. */
export async function buildTermReport(config: ConfigStore, settings: ReportSettings, sources: readonly RecordSource[], range: ReportRange, now: Date): Promise<TermReport> {
  const roster = await config.current();
  const rules = reportRules(config, settings, now, roster.config);
  const earlier = termsBefore(namedTerms(roster.config.school.termDates), range, settings.termsCompared).map(termRange);
  const span: ReportRange = { from: earlier[0]?.from ?? range.from, to: range.to, label: range.label };
  const records = await loadReportRecords(span, sources);
  const figures = termFigures(records, range, rules);
  const view = reportView(figures, categoriesAcrossTerms(records, earlier, rules), roster.schoolName, rules.calendar.timeZone);
  return { range, figures, view };
}
