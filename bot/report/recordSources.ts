import type { ConfigStore } from '../config/configStore';
import type { FilteringSettings } from '../filtering/settings';
import type { AuditLog } from '../storage/auditLog';
import type { TableProvisioner } from '../storage/tableService';
import { archivedRecords } from './archivedRecords';
import { liveRecords } from './loadReportRecords';
import type { RecordSource } from './reportRecords';

/**
 * Where the termly report's records come from, in order: the live tables first. The retention
 * sweep's archive of swept records (content-free copies, bot/retention/reportArchive.ts) comes
 * after them, so a term whose records were swept still shows its counts.
 */
export function recordSources(tables: TableProvisioner, audit: AuditLog, config: ConfigStore): RecordSource[] {
  const filtering = config.settings<FilteringSettings | undefined>('filtering');
  return [liveRecords(tables, audit, { neverAllowCategories: filtering?.neverAllowCategories ?? [] }), archivedRecords(tables)];
}
