import assert from 'node:assert/strict';
import type { TableClient } from '@azure/data-tables';
import { startLantern } from '../../bot/lantern';
import { readSettings } from '../../bot/settings';
import { AuditLog } from '../../bot/storage/auditLog';
import { TableProvisioner, type TableEndpoint } from '../../bot/storage/tableService';
import { MigrationLease } from '../../bot/trust/migrationLease';
import { migrateIntoSchool } from '../../bot/trust/migrateSchool';
import { hasOldLayout } from '../../bot/trust/startupMigration';
import { TRUST_WIDE_TABLES } from '../../bot/trust/trustWideTables';
import { visibleText } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { hollinsTrustFile, oldRows, schoolRows, singleSchoolStore, type OldStore } from './oldLayoutStore';

/** Starts the real bot on the store as a trust of Hollins Park and Brookfield, keeping what it logged. */
async function startTrust(store: OldStore, file: string, logs: string[], env: Record<string, string> = { LANTERN_MIGRATE_SCHOOL: 'hollins' }): Promise<Harness> {
  return startHarness({ env: { SCHOOL_CONFIG: file, ...store.env, ...env }, log: (m) => logs.push(m), migrationLeaseMs: 3000, migrationPollMs: 100 });
}

/** What the school's DSL is shown for the old case and in `cases`: the record is served from the trust. */
async function dslSees(h: Harness, ref: string): Promise<{ open: string; cases: string }> {
  const open = (await h.say(people.seniorDsl, `case ${ref}`)).map(visibleText).join('\n');
  const cases = (await h.say(people.seniorDsl, 'cases')).map(visibleText).join('\n');
  return { open, cases };
}

/** Every old row is now in the school's partitions, once, and none is left behind. */
async function assertMovedOnce(store: OldStore, before: string[]): Promise<void> {
  assert.deepEqual(await oldRows(store.endpoint), [], 'nothing is left in the old layout');
  const now = new Set(await schoolRows(store.endpoint));
  const missing = before.filter((k) => !now.has(k.replace(/^(\w+)\//, '$1/s.hollins|')));
  assert.deepEqual(missing, [], 'every old row is in the school now');
}

async function migratedEvents(store: OldStore) {
  return (await new AuditLog(new TableProvisioner(store.endpoint).forSchool('hollins', TRUST_WIDE_TABLES)).history('school', 'hollins')).filter((e) => e.action === 'trust.school-migrated');
}

/** The endpoint as seen by an instance that is killed after `deletes` rows have been moved. */
function dyingAfter(endpoint: TableEndpoint, deletes: number): TableEndpoint {
  let left = deletes;
  return {
    ...endpoint,
    description: endpoint.description,
    ping: () => endpoint.ping(),
    client(table: string): TableClient {
      const client = endpoint.client(table);
      return new Proxy(client, {
        get(target, prop, receiver) {
          if (prop === 'deleteEntity') {
            return async (...args: Parameters<TableClient['deleteEntity']>) => {
              if (left-- <= 0) throw Object.assign(new Error('killed'), { statusCode: 400 });
              return target.deleteEntity(...args);
            };
          }
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}

describe('start-up moves a single school\'s rows into the trust (the real bot, Azurite)', function () {
  this.timeout(240_000);
  const running: Array<{ stop(): Promise<void> }> = [];
  let file: string;
  before(async () => {
    file = await hollinsTrustFile();
  });
  afterEach(async () => {
    for (const h of running.splice(0)) await h.stop();
  });
  const oldStore = async (): Promise<OldStore> => {
    const store = await singleSchoolStore();
    running.push({ stop: () => store.close() });
    return store;
  };
  after(async () => {
    for (const h of running.splice(0)) await h.stop();
  });

  it('refuses to start a trust of several schools until LANTERN_MIGRATE_SCHOOL names the owner, and moves nothing', async () => {
    const store = await oldStore();
    const before = await oldRows(store.endpoint);
    const start = (extra: Record<string, string>) => startLantern(readSettings({ PORT: '0', SCHOOL_CONFIG: file, ...store.env, ...extra }), { log: () => undefined, startScheduler: false });
    await assert.rejects(start({}), /LANTERN_MIGRATE_SCHOOL: required: this store holds a single school's rows from before the trust[^]*\(hollins, brookfield\)[^]*Nothing was moved/);
    await assert.rejects(start({ LANTERN_MIGRATE_SCHOOL: 'hollinspark' }), /LANTERN_MIGRATE_SCHOOL: "hollinspark" is not a school of the trust file: one of hollins, brookfield/);
    assert.deepEqual(await oldRows(store.endpoint), before);
  });

  it('moves them before serving, says so in plain words, audits it once, and serves the old case; a restart finds nothing to do', async () => {
    const store = await oldStore();
    const before = await oldRows(store.endpoint);
    const logs: string[] = [];
    const h = await startTrust(store, file, logs);
    running.push(h);
    await assertMovedOnce(store, before);
    assert.ok(logs.some((l) => /^start-up: this store holds rows a single school's Lantern wrote before the trust; moving them into hollins's partitions \(LANTERN_MIGRATE_SCHOOL=hollins\) before serving any turn$/.test(l)), logs.join('\n'));
    assert.ok(logs.some((l) => new RegExp(`^start-up: moved ${before.length} rows of \\d+ tables into hollins's partitions in [\\d.]+ s; recorded in hollins's audit log as trust.school-migrated; serving$`).test(l)), logs.join('\n'));
    const seen = await dslSees(h, store.ref);
    assert.match(seen.open, new RegExp(store.ref));
    assert.doesNotMatch(seen.open, /isn't|not found|no case/i);
    assert.equal(seen.cases.split(store.ref).length - 1, 1, `the case is listed once: ${seen.cases}`);
    assert.equal((await migratedEvents(store)).length, 1);

    logs.length = 0;
    await h.restart();
    assert.ok(!logs.some((l) => /moving them|^start-up: moved/.test(l)), logs.join('\n'));
    assert.ok(logs.includes('start-up: LANTERN_MIGRATE_SCHOOL=hollins: no rows are left from before the trust; the setting can be removed'), logs.join('\n'));
    assert.equal((await migratedEvents(store)).length, 1);
  });

  it('finishes a move an instance was killed in the middle of: its lease lapses, nothing is duplicated, the case is served', async () => {
    const store = await oldStore();
    const before = await oldRows(store.endpoint);
    // The killed instance took the lease (lapsed a minute ago), moved a few rows and copied one more before it died.
    const dead = new MigrationLease(new TableProvisioner(store.endpoint), () => new Date(Date.now() - 120_000));
    assert.ok((await dead.take()).taken);
    await assert.rejects(migrateIntoSchool(dyingAfter(store.endpoint, 5), 'hollins'), /killed/);
    const left = await oldRows(store.endpoint);
    assert.ok(left.length > 0 && left.length < before.length, `${left.length} of ${before.length} left`);
    assert.ok(await hasOldLayout(store.endpoint), 'the configuration row moves last, so start-up still sees the move is owed');

    const logs: string[] = [];
    const h = await startTrust(store, file, logs);
    running.push(h);
    await assertMovedOnce(store, before);
    assert.ok(logs.some((l) => /finishing an interrupted move: 1 had been copied already/.test(l)), logs.join('\n'));
    const seen = await dslSees(h, store.ref);
    assert.match(seen.open, new RegExp(store.ref));
    assert.equal(seen.cases.split(store.ref).length - 1, 1);
    assert.equal((await migratedEvents(store)).length, 1);
  });

  it('two instances starting at once: one moves the rows, the other serves only after it has finished', async () => {
    const store = await oldStore();
    const before = await oldRows(store.endpoint);
    const logs: string[][] = [[], []];
    const started = await Promise.all(logs.map((l) => startTrust(store, file, l).then(async (h) => ({ h, oldWhenServing: await hasOldLayout(store.endpoint) }))));
    running.push(...started.map((s) => s.h));
    assert.deepEqual(started.map((s) => s.oldWhenServing), [false, false], 'neither serves while rows are still in the old layout');
    const moved = logs.map((l) => l.filter((m) => /^start-up: moved \d+ rows/.test(m)).length);
    assert.deepEqual(moved.sort(), [0, 1], `exactly one instance moved them: ${JSON.stringify(logs)}`);
    await assertMovedOnce(store, before);
    assert.equal((await migratedEvents(store)).length, 1, 'one move, audited once');
    for (const { h } of started) {
      const seen = await dslSees(h, store.ref);
      assert.match(seen.open, new RegExp(store.ref));
      assert.equal(seen.cases.split(store.ref).length - 1, 1);
    }
  });
});
