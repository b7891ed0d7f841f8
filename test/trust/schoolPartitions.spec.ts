import assert from 'node:assert/strict';
import type { TableClient } from '@azure/data-tables';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { CaseStore } from '../../bot/incidents/caseStore';
import { RetentionLedger } from '../../bot/retention/ledger';
import { recordKinds } from '../../bot/retention/recordKinds';
import { ReportArchive } from '../../bot/retention/reportArchive';
import { retentionSettingsSchema } from '../../bot/retention/settings';
import { sweep } from '../../bot/retention/sweep';
import { Scheduler } from '../../bot/scheduler/scheduler';
import { AuditLog } from '../../bot/storage/auditLog';
import { DocumentTable } from '../../bot/storage/documentTable';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { TableStateStorage } from '../../bot/storage/tableStateStorage';
import { TRUST_WIDE_TABLES } from '../../bot/trust/trustWideTables';
import { aCase } from '../report/seedRecords';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

const TODAY = '2040-01-10';

/** Rows the table service returned to queries, per table: what a scan read, whatever it kept. */
interface Reads {
  rows: Map<string, number>;
  filters: string[];
}

/** Real tables under a fresh prefix, every query's returned rows counted (the service's answer, not ours). */
async function countedTables(): Promise<{ tables: TableProvisioner; reads: Reads; raw: (name: string) => TableClient }> {
  const endpoint = endpointFromConnectionString((await sharedAzurite()).connectionString, 'test', uniquePrefix());
  const reads: Reads = { rows: new Map(), filters: [] };
  const count = (name: string, client: TableClient): TableClient =>
    new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'listEntities') return Reflect.get(target, prop, receiver);
        return (options?: Parameters<TableClient['listEntities']>[0]) => {
          reads.filters.push(options?.queryOptions?.filter ?? '(no filter)');
          const listing = target.listEntities(options);
          const byPage = listing.byPage.bind(listing);
          listing.byPage = ((settings?: Parameters<typeof byPage>[0]) => {
            const pages = byPage(settings);
            return (async function* () {
              for await (const page of pages) {
                reads.rows.set(name, (reads.rows.get(name) ?? 0) + page.length);
                yield page;
              }
            })();
          }) as typeof listing.byPage;
          return listing;
        };
      },
    });
  return { tables: new TableProvisioner({ ...endpoint, client: (name) => count(name, endpoint.client(name)) }), reads, raw: (name) => endpoint.client(name) };
}

function closedCase(ref: string, reportedAt = '2010-01-04T10:00:00.000Z'): IncidentCase {
  return aCase(ref, {
    reportedAt,
    reporter: { id: 'teacher', name: 'Olivia Teacher' },
    facts: { occurredOn: reportedAt.slice(0, 10), place: 'online', description: 'Unkind messages', pupilName: 'Jamie Example' },
    owners: ['dsl'],
    status: 'closed',
  });
}

async function keysIn(client: TableClient): Promise<string[]> {
  const keys: string[] = [];
  for await (const e of client.listEntities()) keys.push(`${e.partitionKey}/${e.rowKey}`);
  return keys.sort();
}

describe('data partitioned by school (Azurite)', () => {
  it("puts each school's id in its partition keys; every scan reads only that school's rows", async () => {
    const { tables, reads, raw } = await countedTables();
    const north = tables.forSchool('north', TRUST_WIDE_TABLES);
    const northEast = tables.forSchool('north-east', TRUST_WIDE_TABLES);
    const single = tables; // a school file's deployment: the keys it always wrote
    await new CaseStore(north, 'NTH').create(closedCase('NTH-2010-0001'));
    await new CaseStore(north, 'NTH').create(closedCase('NTH-2010-0002'));
    await new CaseStore(northEast, 'NES').create(closedCase('NES-2010-0001'));
    await new CaseStore(single, 'INC').create(closedCase('INC-2010-0001'));

    const stored = await keysIn(raw('incidents'));
    assert.deepEqual(stored, ['case/INC-2010-0001', 's.north-east|case/NES-2010-0001', 's.north|case/NTH-2010-0001', 's.north|case/NTH-2010-0002']);

    const scan = async (view: TableProvisioner, query: (t: DocumentTable<IncidentCase>) => Promise<unknown[]>) => {
      reads.rows.clear();
      const found = await query(new DocumentTable<IncidentCase>(view, 'incidents'));
      return { found: found.length, read: reads.rows.get('incidents') ?? 0 };
    };
    assert.deepEqual(await scan(north, (t) => t.all()), { found: 2, read: 2 });
    assert.deepEqual(await scan(northEast, (t) => t.all()), { found: 1, read: 1 });
    assert.deepEqual(await scan(north, (t) => t.list('case')), { found: 2, read: 2 });
    assert.deepEqual(await scan(northEast, (t) => t.where('status', 'closed')), { found: 1, read: 1 });
    // The keys read back as the store wrote them: the school is never part of what a caller sees.
    assert.deepEqual((await new DocumentTable<IncidentCase>(north, 'incidents').all()).map((r) => `${r.partitionKey}/${r.rowKey}`), ['case/NTH-2010-0001', 'case/NTH-2010-0002']);
    assert.equal((await new CaseStore(northEast, 'NES').get('NTH-2010-0001')), undefined, "a school cannot read another's case by its reference");
    assert.equal((await new CaseStore(single, 'INC').get('INC-2010-0001'))?.value.ref, 'INC-2010-0001', 'a single school reads the rows it always had');
  });

  it("a school's retention sweep reads and deletes only its own partitions", async () => {
    const { tables, reads, raw } = await countedTables();
    const north = tables.forSchool('north', TRUST_WIDE_TABLES);
    const south = tables.forSchool('south', TRUST_WIDE_TABLES);
    for (let i = 1; i <= 3; i++) await new CaseStore(north, 'NTH').create(closedCase(`NTH-2010-000${i}`));
    for (let i = 1; i <= 2; i++) await new CaseStore(south, 'STH').create(closedCase(`STH-2010-000${i}`));
    const settings = retentionSettingsSchema.parse({});
    const kinds = (view: TableProvisioner) => recordKinds({ tables: view, settings, timeZone: 'Europe/London', today: TODAY, archive: new ReportArchive(view), scheduler: new Scheduler(view, { intervalMs: 60_000 }) });

    reads.rows.clear();
    const [result] = await sweep(kinds(south).filter((k) => k.id === 'cases'), new RetentionLedger(south), new AuditLog(south), TODAY);
    assert.equal(result.deleted, 2);
    assert.equal(reads.rows.get('incidents'), 2, "the sweep read south's two cases and none of north's three");
    assert.deepEqual(await keysIn(raw('incidents')), ['s.north|case/NTH-2010-0001', 's.north|case/NTH-2010-0002', 's.north|case/NTH-2010-0003']);
    assert.deepEqual((await new ReportArchive(north).list('case')).length, 0, "north's archive is untouched");
    assert.equal((await new ReportArchive(south).list('case')).length, 2);
  });

  it('keeps trust-wide tables (the redelivery claims in turn state) shared by every school', async () => {
    const { tables, raw } = await countedTables();
    const north = tables.forSchool('north', TRUST_WIDE_TABLES);
    const south = tables.forSchool('south', TRUST_WIDE_TABLES);
    const user = 'msteams/28:bot/users/29:a';
    assert.equal((await new TableStateStorage(north).claim(user, 'a:conversation', 'activity-1')).claimed, true);
    assert.equal((await new TableStateStorage(south).claim(user, 'a:conversation', 'activity-1')).claimed, false, 'a redelivery is caught whichever school it is routed to');
    const keys = await keysIn(raw('turnstate'));
    assert.equal(keys.length, 1, 'one row for the person, whichever school claimed');
    assert.ok(!keys[0].startsWith('s.'), `turn state carries no school: ${keys[0]}`);
  });

  it('refuses a school id that could spill into another range', () => {
    assert.throws(() => new TableProvisioner(endpointFromConnectionString('UseDevelopmentStorage=true', 'test')).forSchool('North|x', []), /invalid school id/);
  });
});
