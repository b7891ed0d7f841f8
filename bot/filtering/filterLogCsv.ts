import { toCsv } from '../core/spreadsheetCells';
import { ukDate, ukDateOf } from '../calendar/ukFormat';
import { doneBy } from './chain';
import { changeText, scopeText, STATUS_TEXT } from './describe';
import { RESULT_TEXT, type FilterCheck } from './filterCheck';
import type { FilterRequest, StepRecord } from './filterRequest';

/** The first seven are the reference policies' log columns, in their order; the rest help IT match the filter's own log. */
export const LOG_COLUMNS = [
  'Website / category',
  'Date',
  'Requested by / reason',
  'Authorised by',
  'Change made by',
  'Confirmed by',
  'Date for review',
  'Status',
  'Scope',
  'Filter reference',
  'Request reference',
  'Change',
  'Sanctioned by',
] as const;

export const CHECK_COLUMNS = ['Date', 'Checked by', 'What was tested', 'Devices', 'User groups', 'Result', 'Follow-up actions'] as const;

/**
 * A column holding only a date stays ISO (a machine column: Excel sorts and filters it); a date
 * inside words is written the UK way, as on the cards.
 */
function who(record: StepRecord | undefined): string {
  return record ? `${record.by.name} (${ukDateOf(record.at)})` : '';
}

function statusOf(request: FilterRequest): string {
  const declined = request.history.find((h) => h.outcome === 'declined');
  if (declined) return `Declined at ${declined.step}: ${declined.reason ?? ''}`;
  return STATUS_TEXT[request.status];
}

export function logRow(request: FilterRequest): string[] {
  const d = request.details;
  return [
    d.target,
    request.requestedAt.slice(0, 10),
    `${request.requestedBy.name}: ${d.reason}`,
    who(doneBy(request, 'authorise')),
    who(doneBy(request, 'make')),
    who(doneBy(request, 'confirm')),
    request.reviewDate ?? '',
    statusOf(request),
    `${scopeText(d)}; ${d.duration === 'temporary' ? `temporary until ${ukDate(d.endDate ?? '')}` : 'permanent'}`,
    request.filterReference ?? '',
    request.reference,
    changeText(d),
    who(doneBy(request, 'sanction')),
  ];
}

export function checkRow(check: FilterCheck): string[] {
  return [check.date, check.by.name, check.tested, check.devices, check.userGroups, RESULT_TEXT[check.result], check.followUp];
}


/** Put before a CSV file's text: without it Excel reads UTF-8 as ANSI and garbles accented names. */
export const UTF8_BOM = '\uFEFF';

export function filterLogCsv(requests: FilterRequest[]): string {
  return toCsv(LOG_COLUMNS, [...requests].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt)).map(logRow));
}

export function filterChecksCsv(checks: FilterCheck[]): string {
  return toCsv(CHECK_COLUMNS, checks.map(checkRow));
}
