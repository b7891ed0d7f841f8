import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { tutoringModule } from '../../bot/tutoring';
import { parseExportArgs } from '../../bot/tutoring/exportTutorLog';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { sharedAzurite } from '../support/sharedAzurite';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');

describe('npm run export:tutor-log', () => {
  let h: Harness;
  const prefix = `tutorexport${Date.now().toString(36)}`;
  before(async () => {
    h = await startHarness({ modules: [tutoringModule], env: { TABLES_PREFIX: prefix } });
    await h.click(people.teacher, 'tutor.save', { id: '', group: '9B', date: '2026-11-18', time: '08:45', mode: 'audio', attended: 22, absentees: '', topic: 'Careers fair', concern: 'false' });
  });
  after(async () => h.stop());

  const script = async (...args: string[]) => {
    const azurite = await sharedAzurite();
    return run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'bot/tutoring/exportTutorLog.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, TABLES_CONNECTION_STRING: azurite.connectionString, TABLES_PREFIX: prefix, SCHOOL_CONFIG: '' },
    });
  };

  it('writes the week as .xlsx and as CSV from the bot\'s tables', async function () {
    this.timeout(60_000);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tutorlog-'));
    const xlsx = path.join(dir, 'week.xlsx');
    const { stdout } = await script('--week', '2026-11-20', '--out', xlsx);
    assert.match(stdout, /tutor record for the week of 2026-11-16 written to .*week\.xlsx/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(xlsx)) as any);
    const sheet = wb.getWorksheet('Week')!;
    assert.equal(sheet.getCell('A2').value, '9B');
    assert.equal(sheet.getCell('C2').value, 'MISSING');
    assert.equal(sheet.getCell('E2').value, '08:45 Olivia Teacher');

    const csvFile = path.join(dir, 'week.csv');
    await script('--week', '2026-11-16', '--out', csvFile);
    const lines = (await readFile(csvFile, 'utf8')).split('\r\n');
    assert.equal(lines[3], `2026-11-16,9B,o.teacher@hollinspark.example.org,Wednesday,2026-11-18,logged,08:45,Audio,22,,Careers fair,no,Olivia Teacher,${lines[3].split(',')[13]},`);
    const audit = await h.lantern.services.audit.history('tutor-week', '2026-11-16');
    assert.deepEqual(audit.map((e) => e.detail?.formats), [['xlsx'], ['csv']]);
  });

  it('refuses bad arguments with a plain message', () => {
    assert.throws(() => parseExportArgs(['--week', '16/11/2026']), /--week: "16\/11\/2026" is not a date/);
    assert.throws(() => parseExportArgs(['--out', 'week.pdf']), /must end in .xlsx or .csv/);
    assert.deepEqual(parseExportArgs(['--out', 'a.CSV']), { week: undefined, out: 'a.CSV', format: 'csv' });
  });
});
