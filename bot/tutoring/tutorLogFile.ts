import type { ConfigStore } from '../config/configStore';
import type { AuditLog } from '../storage/auditLog';
import type { TableProvisioner } from '../storage/tableService';
import { localParts, weekStart } from '../calendar/schoolTime';
import type { TutoringSettings } from './tutoringSettings';
import { tutorLogCsv, tutorLogWorkbook } from './tutorLogExport';
import { TutorLogStore } from './tutorLogStore';
import { timezoneOf, weekGridFor } from './weekRecord';

export interface TutorLogFileRequest {
  /** Any date in the week; this week when absent. */
  week?: string;
  format: 'xlsx' | 'csv';
  now: Date;
  by: { id: string; name: string };
}

/** The weekly record as file bytes: what `export:tutor-log` writes, audited like the chat export. */
export async function tutorLogFile(tables: TableProvisioner, config: ConfigStore, audit: AuditLog, req: TutorLogFileRequest): Promise<{ week: string; data: Buffer }> {
  const roster = await config.current();
  const week = weekStart(req.week ?? localParts(req.now, timezoneOf(roster)).date);
  const grid = await weekGridFor(new TutorLogStore(tables), config.settings<TutoringSettings>('tutoring'), roster, week, req.now);
  const data = req.format === 'xlsx' ? await tutorLogWorkbook(grid, roster.schoolName) : Buffer.from(tutorLogCsv(grid), 'utf8');
  await audit.append({ actor: req.by, action: 'tutor-log.exported', entityType: 'tutor-week', entityId: week, detail: { formats: [req.format], via: 'export script' } });
  return { week, data };
}
