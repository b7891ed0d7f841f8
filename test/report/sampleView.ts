import { categoriesAcrossTerms, termFigures, type ReportRules } from '../../bot/report/termFigures';
import { reportView, type ReportView } from '../../bot/report/reportView';
import type { ReportRecords } from '../../bot/report/reportRecords';
import type { ReportRange } from '../../bot/report/reportRange';

/** A report view from plain records, as buildTermReport makes one from the tables. */
export function viewOf(rec: ReportRecords, range: ReportRange, rules: ReportRules, earlier: ReportRange[] = []): ReportView {
  return reportView(termFigures(rec, range, rules), categoriesAcrossTerms(rec, earlier, rules), 'Hollins Park School', rules.calendar.timeZone);
}
