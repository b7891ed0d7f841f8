import {
  archivedCalls,
  archivedCaseHistories,
  archivedCases,
  archivedFilterChecks,
  archivedFilterRequests,
  archivedTutorLogs,
} from '../retention/reportArchive';
import type { TableProvisioner } from '../storage/tableService';
import { acknowledgedFromHistory } from './loadReportRecords';
import type { RecordSource } from './reportRecords';

/**
 * The retention sweep's content-free copies of deleted records as a report source, so a term
 * whose records have been swept still shows its counts. Never-allow attempts live in the audit
 * log only; once audit lines expire the attempts are counted no more.
 */
export function archivedRecords(tables: TableProvisioner): RecordSource {
  return {
    name: 'retention archive',
    async load() {
      const histories = await archivedCaseHistories(tables);
      return {
        cases: (await archivedCases(tables)).map((c) => acknowledgedFromHistory(c, histories.get(c.ref) ?? [])),
        filterRequests: await archivedFilterRequests(tables),
        filterChecks: await archivedFilterChecks(tables),
        tutorLogs: await archivedTutorLogs(tables),
        calls: await archivedCalls(tables),
      };
    },
  };
}
