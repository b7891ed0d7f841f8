import assert from 'node:assert/strict';
import { settingsBlocks } from '../../bot/capabilities';
import { ConfigStore } from '../../bot/config/configStore';
import { AuditLog } from '../../bot/storage/auditLog';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { HandClock } from '../support/fakeDate';
import { exampleText, writeSchoolFile } from '../support/schoolFiles';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';

describe('school configuration cache (two instances on one table service)', () => {
  const clock = new HandClock();
  afterEach(() => clock.restore());

  it('keeps the roster for 30 s, then sees a configuration another instance stored', async () => {
    const tables = new TableProvisioner(endpointFromConnectionString((await sharedAzurite()).connectionString, 'test', uniquePrefix()));
    const store = () => new ConfigStore(tables, new AuditLog(tables), settingsBlocks());
    const t0 = Date.parse('2026-11-20T09:00:00Z');
    clock.at(t0);
    const a = store();
    await a.load(await writeSchoolFile(exampleText()));
    assert.equal((await a.current()).schoolName, 'Hollins Park School');

    const renamed = exampleText().replace(/Hollins Park School/g, 'Hollins Park Academy');
    assert.notEqual(renamed, exampleText());
    await store().load(await writeSchoolFile(renamed));
    clock.at(t0 + 29_000);
    assert.equal((await a.current()).schoolName, 'Hollins Park School', 'cached: no read within 30 s');
    clock.at(t0 + 31_000);
    assert.equal((await a.current()).schoolName, 'Hollins Park Academy');
  });
});
