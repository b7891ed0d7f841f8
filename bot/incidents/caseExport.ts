import type { AuditEvent } from '../storage/auditLog';
import type { IncidentCase } from './caseRecord';
import { describeEvent } from './caseCards';

/** Quotes a CSV cell; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula. */
function cell(value: unknown): string {
  let s = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** The chronology as CSV, one event per row, the columns CPOMS and MyConcern imports ask for. */
export function chronologyCsv(c: IncidentCase, history: AuditEvent[]): string {
  const rows = [['reference', 'date_time_utc', 'who', 'action', 'description', 'reason']];
  for (const e of history) rows.push([c.ref, e.at, e.actor.name, e.action, describeEvent(e), e.reason ?? '']);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The whole case and its chronology, for a system that takes structured data. */
export function caseJson(c: IncidentCase, history: AuditEvent[]): string {
  const { posts: _posts, ...record } = c;
  return JSON.stringify({ case: record, chronology: history }, null, 2);
}
