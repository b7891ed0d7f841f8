import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CaseStore } from '../../bot/incidents/caseStore';
import { projectPath } from '../../bot/projectRoot';
import { AuditLog } from '../../bot/storage/auditLog';
import { TableProvisioner, type TableEndpoint } from '../../bot/storage/tableService';
import { FILE_EXPIRY_JOB } from '../../bot/teams/fileOffers';
import { migrateIntoSchool, SCHOOL_TABLES, TRUST_JOB_KINDS } from '../../bot/trust/migrateSchool';
import { TRUST_WIDE_TABLES } from '../../bot/trust/trustWideTables';
import { fileReport, know, PUPIL_DETAILS } from '../incidents/reportSteps';
import { hollinsTrustFile, singleSchoolStore } from './oldLayoutStore';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';

/** Every table a DocumentTable in bot/ names, read from the source. */
function tablesInSource(): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (file.endsWith('.ts')) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/new DocumentTable(?:<[^>]*>)?\([\w.]+, '(\w+)'\)/g)) names.add(m[1]);
        for (const m of text.matchAll(/const TABLE = '(\w+)'/g)) names.add(m[1]);
        for (const m of text.matchAll(/tableName = '(\w+)'/g)) names.add(m[1]);
      }
    }
  };
  walk(projectPath('bot'));
  return [...names].sort();
}

async function keys(endpoint: TableEndpoint, table: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of endpoint.client(table).listEntities()) out.push(`${e.partitionKey}/${e.rowKey}`);
  return out.sort();
}

describe('moving a single school into a trust (npm run trust:migrate, Azurite)', function () {
  this.timeout(180_000);
  let trust: Harness | undefined;
  let old: Awaited<ReturnType<typeof singleSchoolStore>> | undefined;
  after(async () => {
    await trust?.stop();
    await old?.close();
  });

  it('knows every table: each is moved with the school or is trust-wide', () => {
    assert.deepEqual(tablesInSource(), [...SCHOOL_TABLES, ...TRUST_WIDE_TABLES.filter((t) => t !== 'schoolchoice')].sort());
    assert.ok(TRUST_JOB_KINDS.has(FILE_EXPIRY_JOB));
  });

  it("moves a store written by today's code: a dry run first, then every row once, resumable, audited; the school then serves its old records from the trust", async () => {
    // A school running as today, on a school file: a case reported, a channel registered.
    old = await singleSchoolStore();
    const { env, endpoint, ref } = old;
    const before = await keys(endpoint, 'incidents');
    assert.ok(before.includes(`case/${ref}`));

    const dry = await migrateIntoSchool(endpoint, 'hollins', { dryRun: true });
    const found = Object.fromEntries(dry.filter((r) => r.found).map((r) => [r.table, r.found]));
    assert.ok(found.incidents >= 1 && found.audit >= 1 && found.config === 1 && found.destinations === 1, JSON.stringify(found));
    assert.deepEqual(await keys(endpoint, 'incidents'), before, 'a dry run writes nothing');

    // An earlier run that died after copying one row, before deleting the old one.
    const client = endpoint.client('incidents');
    const first = await client.getEntity('case', ref);
    const { etag: _e, timestamp: _t, ...row } = first as Record<string, unknown>;
    await client.createEntity({ ...row, partitionKey: `s.hollins|case`, rowKey: ref });

    const done = await migrateIntoSchool(endpoint, 'hollins', { audit: new AuditLog(new TableProvisioner(endpoint).forSchool('hollins', TRUST_WIDE_TABLES)) });
    const incidents = done.find((r) => r.table === 'incidents')!;
    assert.equal(incidents.resumed, 1);
    assert.equal(incidents.moved + incidents.resumed, found.incidents);
    assert.ok((await keys(endpoint, 'incidents')).every((k) => k.startsWith('s.hollins|')), 'nothing is left unpartitioned');
    const again = await migrateIntoSchool(endpoint, 'hollins');
    assert.equal(again.reduce((n, r) => n + r.found, 0), 0, 'a second run finds nothing to move');

    // The same tables as a trust of the school (from its own file) and another school.
    const file = await hollinsTrustFile();
    trust = await startHarness({ env: { SCHOOL_CONFIG: file, TABLES_PREFIX: env.TABLES_PREFIX, TABLES_CONNECTION_STRING: env.TABLES_CONNECTION_STRING } });
    const [hollins, other] = trust.lantern.schools;
    assert.equal((await new CaseStore(hollins.services.tables, 'INC').get(ref))?.value.ref, ref, 'the case is where the school now reads');
    assert.equal(await new CaseStore(other.services.tables, 'BRK').get(ref), undefined);
    assert.equal((await hollins.destinations.get('dsl', 'Senior'))?.label !== undefined, true, 'the registered channel moved with the school');
    assert.deepEqual((await hollins.services.audit.history('school', 'hollins')).map((e) => e.action), ['trust.school-migrated']);
    const migrated = (await keys(endpoint, 'audit')).filter((k) => k.startsWith('s.hollins|'));
    assert.ok(migrated.length >= found.audit + 1, 'the old audit trail moved, and the move itself is audited');

    // A new report in the trust follows the school's numbering on from its old cases.
    await know(trust, people.seniorDsl);
    const next = await fileReport(trust, people.teacher, { category: 'cyberbullying', subject: 'pupil', section: 'Senior', details: PUPIL_DETAILS });
    assert.notEqual(next.ref, ref);
    // The DSL channel registered before the move still receives the school's cases.
    assert.match(next.receipt, /^Delivered to .*Senior DSL/m);
  });
});
