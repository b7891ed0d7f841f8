import assert from 'node:assert/strict';
import type { TableClient } from '@azure/data-tables';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { CaseStore } from '../../bot/incidents/caseStore';
import { Scheduler } from '../../bot/scheduler/scheduler';
import { RetentionLedger } from '../../bot/retention/ledger';
import { recordKinds, type RecordKind } from '../../bot/retention/recordKinds';
import { ReportArchive } from '../../bot/retention/reportArchive';
import { retentionSettingsSchema } from '../../bot/retention/settings';
import { sweep } from '../../bot/retention/sweep';
import { AuditLog } from '../../bot/storage/auditLog';
import { DocumentTable } from '../../bot/storage/documentTable';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';
import { seedTutorLog } from './seedRecords';
import { aCase } from '../report/seedRecords';

const TODAY = '2040-01-10';

/** Real tables under a fresh prefix; `intercept` may wrap one table's client (a race at the storage seam). */
async function freshTables(intercept?: (name: string, client: TableClient) => TableClient): Promise<TableProvisioner> {
  const endpoint = endpointFromConnectionString((await sharedAzurite()).connectionString, 'test', uniquePrefix());
  return new TableProvisioner({ ...endpoint, client: (name) => (intercept ? intercept(name, endpoint.client(name)) : endpoint.client(name)) });
}

function kindsOn(tables: TableProvisioner): RecordKind[] {
  const settings = retentionSettingsSchema.parse({});
  return recordKinds({ tables, settings, timeZone: 'Europe/London', today: TODAY, archive: new ReportArchive(tables), scheduler: new Scheduler(tables, { intervalMs: 60_000 }) });
}

function closedCase(ref: string): IncidentCase {
  return aCase(ref, {
    reportedAt: '2010-01-04T10:00:00.000Z',
    reporter: { id: 'teacher', name: 'Olivia Teacher' },
    facts: { occurredOn: '2010-01-04', place: 'online', description: 'Unkind messages', pupilName: 'Jamie Example' },
    owners: ['dkhan'],
    status: 'closed',
  });
}

describe('the retention sweep under races and crashes (Azurite)', () => {
  it('keeps a case whose hold lands between the sweep reading it and deleting it', async () => {
    let holdJustBeforeDelete: (() => Promise<void>) | undefined;
    const tables = await freshTables((name, client) =>
      name.endsWith('incidents')
        ? new Proxy(client, {
            get(target, prop, receiver) {
              if (prop !== 'deleteEntity') return Reflect.get(target, prop, receiver);
              return async (...args: Parameters<TableClient['deleteEntity']>) => {
                await holdJustBeforeDelete?.();
                return target.deleteEntity(...args);
              };
            },
          })
        : client,
    );
    const cases = new CaseStore(tables, 'INC');
    await cases.create(closedCase('INC-2010-0001'));
    holdJustBeforeDelete = async () => {
      holdJustBeforeDelete = undefined;
      const fresh = (await cases.get('INC-2010-0001'))!;
      await cases.replace({ ...fresh.value, legalHold: { reason: 'claim', by: { id: 'dkhan', name: 'Daniel Khan' }, at: '2040-01-10T02:30:00.000Z' } }, fresh.etag);
    };
    const ledger = new RetentionLedger(tables);
    const [result] = await sweep(kindsOn(tables).filter((k) => k.id === 'cases'), ledger, new AuditLog(tables), TODAY);
    assert.equal(result.deleted, 0);
    assert.ok((await cases.get('INC-2010-0001'))?.value.legalHold, 'the held case is still there');
    assert.equal(await new ReportArchive(tables).get('case', 'INC-2010-0001'), undefined, 'and is not also in the archive');
    assert.equal(await ledger.total('cases'), 0);
    assert.equal(holdJustBeforeDelete, undefined, 'the hold did land mid-sweep');
  });

  it('finishes a batch a dead sweep left half-done: counts each record once, keeps one archive copy each', async () => {
    const tables = await freshTables();
    const logs = [await seedTutorLog(tables, '2030-01-07', 'a'), await seedTutorLog(tables, '2030-01-08', 'b'), await seedTutorLog(tables, '2030-01-09', 'c')];
    const kind = kindsOn(tables).find((k) => k.id === 'tutorLogs')!;
    const ledger = new RetentionLedger(tables);
    // The dead run had noted all three, removed the first (archived, deleted) and was interrupted on the second.
    const candidates = (await kind.scan()).sort((a, b) => a.basis.localeCompare(b.basis));
    await ledger.begin('tutorLogs', candidates.map(({ key, basis, detail }) => ({ key, basis, detail })));
    assert.equal(await kind.remove(candidates[0]), true);
    await new ReportArchive(tables).put('tutor-log', logs[1].id, { record: { ...logs[1], topic: '' } }, TODAY);

    const audit = new AuditLog(tables);
    const [first] = await sweep([kind], ledger, audit, TODAY);
    assert.equal(first.deleted, 3);
    assert.equal(await ledger.total('tutorLogs'), 3);
    assert.equal(await ledger.unfinished('tutorLogs'), undefined);
    assert.deepEqual((await new ReportArchive(tables).list('tutor-log')).map((r) => r.record.id).sort(), logs.map((l) => l.id).sort());
    assert.deepEqual(await new DocumentTable(tables, 'tutorlogs').all(), []);
    // A second run the same day finds nothing more and counts nothing again.
    const [again] = await sweep([kind], ledger, audit, TODAY);
    assert.equal(again.deleted, 0);
    assert.equal(await ledger.total('tutorLogs'), 3);
  });
});
