import type { TableClient, TableEntity } from '@azure/data-tables';
import type { AuditLog } from '../storage/auditLog';
import { statusOf } from '../storage/errors';
import { withRetry } from '../storage/retry';
import { schoolPartitionPrefix, type TableEndpoint } from '../storage/tableService';
import { TRUST_WIDE_TABLES } from './trustWideTables';

/**
 * The tables a school's rows live in (every DocumentTable of bot/ that is not trust-wide; a test
 * checks the list against the source). A single school's rows move from these into its partitions.
 */
export const SCHOOL_TABLES = [
  'acks', 'audit', 'broadcast', 'callnotes', 'calls', 'config', 'destinations', 'drafts', 'filterchecks', 'filterrequests', 'incidentrefs',
  'incidents', 'jobs', 'outbox', 'policyanswers', 'policyquestions', 'policyvectors', 'postedcards', 'presence', 'retentionarchive', 'retentioncounts', 'tutorlogs',
] as const;

/** File offers expire through the trust's own scheduler, which keeps reading the unpartitioned jobs (FILE_EXPIRY_JOB). */
export const TRUST_JOB_KINDS: ReadonlySet<string> = new Set(['teams.file-expiry']);

export interface TableMigration {
  table: string;
  /** Unpartitioned rows found (what a dry run would move). */
  found: number;
  moved: number;
  /** Rows an interrupted run had copied already: only the old copy was removed now. */
  resumed: number;
}

/** Keys written by a single school's Lantern never start `s.`; a school's partitions always do. */
export const UNPARTITIONED = "PartitionKey lt 's.' or PartitionKey ge 's/'";

/**
 * The configuration row moves last: while it is still in the old layout, start-up knows a move is
 * owed (or was interrupted) with one cheap query (bot/trust/startupMigration.ts).
 */
const LAST = 'config';

/**
 * Moves a single school's existing rows into `school`'s partitions, table by table. Each row is
 * copied under its new key first and the old one deleted after, so a run that dies part-way is
 * finished by running again (a copy already there is not an error), and a finished run finds
 * nothing left to move. `dryRun` counts and writes nothing. The move is audited before the
 * configuration row goes, so a run killed in between is audited again when finished, never not at all.
 */
export async function migrateIntoSchool(endpoint: TableEndpoint, school: string, options: { dryRun?: boolean; audit?: AuditLog; log?: (m: string) => void } = {}): Promise<TableMigration[]> {
  const prefix = schoolPartitionPrefix(school);
  const results: TableMigration[] = [];
  const order = [...SCHOOL_TABLES.filter((t) => t !== LAST), LAST].filter((t) => !(TRUST_WIDE_TABLES as readonly string[]).includes(t));
  for (const table of order) {
    const client = endpoint.client(table);
    // File-offer jobs stay: the trust's own scheduler keeps reading them unpartitioned.
    const rows = (await unpartitioned(client)).filter((row) => table !== 'jobs' || !TRUST_JOB_KINDS.has(String(row.x_kind)));
    const result: TableMigration = { table, found: rows.length, moved: 0, resumed: 0 };
    const anything = result.found > 0 || results.some((r) => r.found > 0);
    if (table === LAST && anything && !options.dryRun && options.audit) await audited(options.audit, school, [...results, result]);
    if (!options.dryRun) {
      for (const row of rows) {
        const copy: TableEntity = { ...stripMetadata(row), partitionKey: prefix + row.partitionKey, rowKey: String(row.rowKey) };
        let existed = false;
        await withRetry(async () => {
          try {
            await client.createEntity(copy);
          } catch (err) {
            if (statusOf(err) !== 409) throw err;
            existed = true;
          }
        }, `copy into ${table}`);
        await withRetry(async () => {
          try {
            await client.deleteEntity(String(row.partitionKey), String(row.rowKey));
          } catch (err) {
            if (statusOf(err) !== 404) throw err;
          }
        }, `remove from ${table}`);
        if (existed) result.resumed += 1;
        else result.moved += 1;
      }
    }
    if (result.found) options.log?.(`${table}: ${result.found} rows${options.dryRun ? ' would move' : ` moved (${result.resumed} finished from an earlier run)`}`);
    results.push(result);
  }
  return results;
}

/** Rows per table, as found (a resumed run counts what it found left to move). */
async function audited(audit: AuditLog, school: string, results: TableMigration[]): Promise<void> {
  await audit.append({
    actor: { id: 'lantern', name: 'Lantern' },
    action: 'trust.school-migrated',
    entityType: 'school',
    entityId: school,
    reason: 'a single school joined the trust: its rows moved into its own partitions',
    detail: { tables: Object.fromEntries(results.filter((r) => r.found).map((r) => [r.table, r.found])) },
  });
}

async function unpartitioned(client: TableClient): Promise<Array<Record<string, unknown>>> {
  return withRetry(async () => {
    const out: Array<Record<string, unknown>> = [];
    try {
      for await (const page of client.listEntities<Record<string, unknown>>({ queryOptions: { filter: UNPARTITIONED } }).byPage({ maxPageSize: 1000 })) out.push(...page);
    } catch (err) {
      if (statusOf(err) === 404) return out; // the school never used this table
      throw err;
    }
    return out;
  }, `read ${client.tableName}`);
}

function stripMetadata(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([key]) => key !== 'etag' && key !== 'timestamp' && !key.startsWith('odata.')));
}
