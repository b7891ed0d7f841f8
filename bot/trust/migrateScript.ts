/**
 * `npm run trust:migrate -- --school <id> [--dry-run]`: moves the rows a single school's Lantern
 * wrote into that school's partitions, so the school can join a trust file under that id. Same
 * environment as the bot (TABLES_*, SCHOOL_CONFIG); stop the bot first. Safe to run again. The
 * bot does the same at start-up (bot/trust/startupMigration.ts); this is for a dry run, or to move
 * the rows before switching SCHOOL_CONFIG to the trust file.
 */
import { settingsBlocks } from '../capabilities';
import { AuditLog } from '../storage/auditLog';
import { openStorage } from '../storage/openStorage';
import { SCHOOL_ID } from '../storage/tableService';
import { readSettings } from '../settings';
import { migrateIntoSchool } from './migrateSchool';
import { MigrationLease } from './migrationLease';
import { readTrustFile } from './readTrustFile';
import { TRUST_WIDE_TABLES } from './trustWideTables';

export function parseMigrateArgs(argv: string[]): { school: string; dryRun: boolean } {
  const at = argv.indexOf('--school');
  const school = at >= 0 ? argv[at + 1] : undefined;
  if (!school || !SCHOOL_ID.test(school)) throw new Error('usage: npm run trust:migrate -- --school <id as in the trust file> [--dry-run]');
  return { school, dryRun: argv.includes('--dry-run') };
}

async function main(): Promise<void> {
  const { school, dryRun } = parseMigrateArgs(process.argv.slice(2));
  const settings = readSettings();
  const trust = await readTrustFile(settings.schoolConfigFile, settingsBlocks());
  if (trust && !trust.schools.some((s) => s.id === school)) throw new Error(`"${school}" is not a school of ${settings.schoolConfigFile} (${trust.schools.map((s) => s.id).join(', ')})`);
  const storage = await openStorage(settings);
  // The same lease a starting bot takes (bot/trust/startupMigration.ts): never two moves at once.
  const lease = new MigrationLease(storage.tables);
  const move = async () => {
    const audit = new AuditLog(storage.tables.forSchool(school, TRUST_WIDE_TABLES));
    const results = await migrateIntoSchool(storage.endpoint, school, { dryRun, audit, log: (m) => console.log(`trust:migrate: ${m}`) });
    const total = results.reduce((n, r) => n + (dryRun ? r.found : r.moved + r.resumed), 0);
    console.log(`trust:migrate: ${dryRun ? `dry run: ${total} rows would move` : `${total} rows moved`} into ${school}'s partitions`);
  };
  try {
    if (dryRun) return await move();
    const got = await lease.take();
    if (!got.taken) throw new Error(`a starting Lantern (${got.who}) is moving rows into the trust's layout now; run this again when it has finished`);
    await lease.holdWhile(move);
  } finally {
    await storage.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`trust:migrate: ${(err as Error).message}`);
    process.exit(1);
  });
}
