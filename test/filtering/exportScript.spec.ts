import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { exportFilterLog } from '../../bot/filtering/exportFilterLog';
import { CheckStore } from '../../bot/filtering/filterCheck';
import { CHECK_COLUMNS, LOG_COLUMNS } from '../../bot/filtering/filterLogCsv';
import type { FilterRequest } from '../../bot/filtering/filterRequest';
import { RequestStore } from '../../bot/filtering/requestStore';
import { AuditLog } from '../../bot/storage/auditLog';
import { endpointFromConnectionString, TableProvisioner } from '../../bot/storage/tableService';
import { sharedAzurite, uniquePrefix } from '../support/sharedAzurite';
import { parseCsv } from './parseCsv';

const request: FilterRequest = {
  reference: 'FLT-2026-0042',
  details: { targetKind: 'website', target: 'archive.example.org/sources', change: 'unblock', audience: 'section', audienceDetail: 'Senior', duration: 'permanent', reason: 'A-level history: primary sources, "letters" and diaries', neededBy: '2026-11-25' },
  requestedBy: { id: 'cshaw', name: 'Chris Shaw' },
  requestedAt: '2026-11-20T09:00:00.000Z',
  status: 'in-force',
  chain: ['sanction', 'authorise', 'make', 'confirm'],
  history: [
    { step: 'sanction', outcome: 'done', by: { id: 'lmorris', name: 'Laura Morris' }, at: '2026-11-20T10:00:00.000Z' },
    { step: 'authorise', outcome: 'done', by: { id: 'mcole', name: 'Mark Cole' }, at: '2026-11-21T08:00:00.000Z' },
    { step: 'make', outcome: 'done', by: { id: 'jboateng', name: 'James Boateng' }, at: '2026-11-21T09:00:00.000Z', filterReference: 'RULE-77' },
    { step: 'confirm', outcome: 'done', by: { id: 'efisher', name: 'Emma Fisher' }, at: '2026-11-22T09:00:00.000Z' },
  ],
  filterReference: 'RULE-77',
  reviewDate: '2026-12-22',
  reviews: [],
};

describe('npm run export:filter-log (bot/filtering/exportFilterLog.ts)', () => {
  let env: Record<string, string>;
  let tables: TableProvisioner;
  before(async () => {
    const azurite = await sharedAzurite();
    const prefix = uniquePrefix();
    env = { TABLES_CONNECTION_STRING: azurite.connectionString, TABLES_PREFIX: prefix };
    tables = new TableProvisioner(endpointFromConnectionString(azurite.connectionString, 'test', prefix));
    await new RequestStore(tables).create(request);
    await new CheckStore(tables).add({ date: '2026-11-21', by: { id: 'swu', name: 'Sarah Wu' }, tested: 'Gambling and VPN searches', devices: 'Library PCs', userGroups: 'Year 10', result: 'passed', followUp: '', recordedAt: '2026-11-21T12:00:00.000Z' }, new Date('2026-11-21T12:00:00Z'));
  });

  it('writes the change log and the checks as two CSV files with the required columns, and audits the export', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'filter-export-'));
    const result = await exportFilterLog(path.join(dir, 'log.csv'), env);
    assert.equal(result.checks, path.join(dir, 'log-checks.csv'));
    const log = parseCsv((await readFile(result.log, 'utf8')).replace(/^\uFEFF/, ''));
    assert.deepEqual(log[0], [...LOG_COLUMNS]);
    assert.deepEqual(log[1], [
      'archive.example.org/sources',
      '2026-11-20',
      'Chris Shaw: A-level history: primary sources, "letters" and diaries',
      'Mark Cole (Sat 21 Nov 2026)',
      'James Boateng (Sat 21 Nov 2026)',
      'Emma Fisher (Sun 22 Nov 2026)',
      '2026-12-22',
      'In force',
      'Pupils in Senior; permanent',
      'RULE-77',
      'FLT-2026-0042',
      'Unblock website',
      'Laura Morris (Fri 20 Nov 2026)',
    ]);
    const checks = parseCsv((await readFile(result.checks, 'utf8')).replace(/^\uFEFF/, ''));
    assert.deepEqual(checks, [[...CHECK_COLUMNS], ['2026-11-21', 'Sarah Wu', 'Gambling and VPN searches', 'Library PCs', 'Year 10', 'Passed: blocked as expected', '']]);
    const audit = await new AuditLog(tables).history('filter-log', 'all');
    assert.equal(audit.at(-1)?.action, 'filter.exported');
  });

  it('runs from the command line with --out', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'filter-export-cli-'));
    const out = path.join(dir, 'governors.csv');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../bot/filtering/exportFilterLog.ts'), '--out', out], { env: { ...process.env, ...env } });
    assert.match(stdout, /Wrote 1 filter changes to .*governors\.csv and 1 filter checks to .*governors-checks\.csv/);
    assert.match(await readFile(out, 'utf8'), /FLT-2026-0042/);
  });
});
