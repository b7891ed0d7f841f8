import { ConfigError } from '../config/configErrors';
import { AuditLog } from '../storage/auditLog';
import { statusOf } from '../storage/errors';
import type { TableEndpoint, TableProvisioner } from '../storage/tableService';
import { MigrationLease } from './migrationLease';
import { migrateIntoSchool, UNPARTITIONED } from './migrateSchool';
import type { TrustConfig } from './trustConfig';
import { TRUST_WIDE_TABLES } from './trustWideTables';

export const MIGRATE_SETTING = 'LANTERN_MIGRATE_SCHOOL';

/**
 * Whether a single school's Lantern left rows here in the layout before trusts. Such a Lantern
 * always stored its configuration, and the move takes that row last, so one query for one key is
 * enough, and it stays true until a move that was interrupted has been finished.
 */
export async function hasOldLayout(endpoint: TableEndpoint): Promise<boolean> {
  try {
    for await (const page of endpoint.client('config').listEntities({ queryOptions: { filter: UNPARTITIONED, select: ['PartitionKey'] } }).byPage({ maxPageSize: 1 })) {
      if (page.length) return true;
    }
    return false;
  } catch (err) {
    if (statusOf(err) === 404) return false; // a new store: no config table yet
    throw err;
  }
}

export interface StartupMigrationOptions {
  now: () => Date;
  log: (message: string) => void;
  /** How long the lease lasts unrenewed: an instance killed mid-move holds up others this long at most. */
  leaseMs?: number;
  /** How often a waiting instance looks again. */
  pollMs?: number;
}

/**
 * Before a trust serves any turn: moves the rows a single school's Lantern wrote into the school
 * that owns them (the trust's only school, or LANTERN_MIGRATE_SCHOOL). One instance moves them
 * under a lease; any other starting meanwhile waits until the move is done, since serving from a
 * half-moved store would answer "no such case" for a case that exists. A school file never moves.
 */
export async function migrateAtStartup(endpoint: TableEndpoint, tables: TableProvisioner, trust: TrustConfig | undefined, named: string | undefined, options: StartupMigrationOptions): Promise<void> {
  const { log } = options;
  if (!trust?.partitioned) {
    if (named) throw new ConfigError('environment', [`${MIGRATE_SETTING}: "${named}" names a school of a trust file, but SCHOOL_CONFIG is a school file, whose rows keep their keys: remove the setting`]);
    return;
  }
  const ids = trust.schools.map((s) => s.id);
  if (named && !ids.includes(named)) throw new ConfigError('environment', [`${MIGRATE_SETTING}: "${named}" is not a school of the trust file: one of ${ids.join(', ')}`]);
  if (!(await hasOldLayout(endpoint))) {
    if (named) log(`start-up: ${MIGRATE_SETTING}=${named}: no rows are left from before the trust; the setting can be removed`);
    return;
  }
  const school = named ?? (ids.length === 1 ? ids[0] : undefined);
  if (!school) {
    throw new ConfigError('environment', [
      `${MIGRATE_SETTING}: required: this store holds a single school's rows from before the trust (they name no school), and the trust file lists ${ids.length} schools (${ids.join(', ')}). ` +
        `Set it to the id that school has in the trust file, and Lantern moves its rows into that school at start-up. Nothing was moved`,
    ]);
  }
  const leaseMs = options.leaseMs ?? 60_000;
  const lease = new MigrationLease(tables, options.now, leaseMs);
  let waiting = false;
  for (;;) {
    const got = await lease.take();
    if (got.taken) break;
    if (!waiting) log(`start-up: another instance (${got.who}) is moving ${school}'s rows into the trust's layout; waiting for it to finish before serving`);
    waiting = true;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
    if (!(await hasOldLayout(endpoint))) return void log(`start-up: the other instance has moved ${school}'s rows; serving`);
  }
  const releaseFailed = (err: Error) => log(`start-up: could not release the migration lease (it lapses by itself in ${leaseMs / 1000} s): ${err.message}`);
  await lease.holdWhile(async () => {
    // Another instance may have finished between the check and the lease.
    if (!(await hasOldLayout(endpoint))) return void (waiting && log(`start-up: the other instance has moved ${school}'s rows; serving`));
    const why = named ? `${MIGRATE_SETTING}=${school}` : `${school} is the trust's only school`;
    log(`start-up: this store holds rows a single school's Lantern wrote before the trust; moving them into ${school}'s partitions (${why}) before serving any turn`);
    const started = Date.now();
    const results = await migrateIntoSchool(endpoint, school, { audit: new AuditLog(tables.forSchool(school, TRUST_WIDE_TABLES), options.now), log: (m) => log(`start-up: ${school}: ${m}`) });
    const moved = results.reduce((n, r) => n + r.moved + r.resumed, 0);
    const resumed = results.reduce((n, r) => n + r.resumed, 0);
    const tablesMoved = results.filter((r) => r.found).length;
    log(
      `start-up: moved ${moved} rows of ${tablesMoved} tables into ${school}'s partitions in ${((Date.now() - started) / 1000).toFixed(1)} s` +
        `${resumed ? ` (finishing an interrupted move: ${resumed} had been copied already)` : ''}; recorded in ${school}'s audit log as trust.school-migrated; serving`,
    );
  }, releaseFailed);
}
