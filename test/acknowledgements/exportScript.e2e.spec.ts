import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { acknowledgementsModule } from '../../bot/acknowledgements';
import { EXPORT_COLUMNS } from '../../bot/acknowledgements/exportFile';
import { parseExportArgs } from '../../bot/acknowledgements/exportAcknowledgements';
import { parseCsv } from '../filtering/parseCsv';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { addToStaffTeam } from '../reach/reachSteps';
import { acknowledge, drained, requestsTo, startCampaign } from './steps';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');

describe('npm run export:acknowledgements', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ modules: [acknowledgementsModule] });
    await h.say(people.seniorDsl, 'help');
    await addToStaffTeam(h, [people.hodMaths, people.technician], people.dpo);
    await startCampaign(h, people.seniorDsl, { audience: 'team:Staff', due: '2099-01-31' });
    await drained(h);
    await acknowledge(h, people.technician, requestsTo(h, people.technician)[0]);
  });
  after(async () => h.stop());

  const script = (...args: string[]) =>
    run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'bot/acknowledgements/exportAcknowledgements.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...h.env, PORT: '', SCHOOL_CONFIG: '' } });

  it("writes the round's CSV from the bot's tables", async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'acks-')), 'aup.csv');
    const { stdout } = await script('--document', 'staff acceptable use', '--out', out);
    assert.match(stdout, /Staff Acceptable Use Policy, round 1 \(version [0-9a-f]{12}\): 2 rows written to .*aup\.csv/);
    const rows = parseCsv(await readFile(out, 'utf8'));
    assert.deepEqual(rows[0], [...EXPORT_COLUMNS]);
    assert.deepEqual(rows.slice(1).map((r) => [r[0], r[9]]), [['Chris Shaw', 'outstanding'], ['Sarah Wu', 'acknowledged']]);
  });

  it('says what is wrong with its arguments, and about an unknown document', async () => {
    assert.throws(() => parseExportArgs([]), /--document: say which document/);
    assert.throws(() => parseExportArgs(['--document', 'x', '--round', 'two']), /--round: "two" is not a round number/);
    assert.throws(() => parseExportArgs(['--document', 'x', '--out', 'a.pdf']), /--out: the file name must end in .xlsx or .csv/);
    await assert.rejects(script('--document', 'pupil acceptable use'), (err: { stderr: string }) => /no acknowledgement campaign for "pupil acceptable use"/.test(err.stderr));
  });
});
