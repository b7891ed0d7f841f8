import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import YAML from 'yaml';
import { EXAMPLE_POLICIES } from '../../bot/policy';
import { NO_ROUNDS } from '../../bot/report/reportView';
import { checkCard } from '../cards/cardChecker';
import { actionsOf, cardOf, cardText } from '../support/cards';
import { HandClock } from '../support/fakeDate';
import { receiveFiles } from '../support/fileConsent';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { exampleText, writeSchoolFile } from '../support/schoolFiles';
import { personalChat } from '../support/teamsChannel';
import { addToStaffTeam } from '../reach/reachSteps';
import { acknowledge, drained, requestsTo, startCampaign } from '../acknowledgements/steps';
import { figure, said } from './reportCardSteps';

const lead = people.seniorDsl;

/** The example school with its autumn term and Chris Shaw and Sarah Wu in Senior for acknowledgements. */
async function school(): Promise<string> {
  const raw = YAML.parse(exampleText());
  raw.school.termDates = [{ start: '2026-09-03', end: '2026-12-16' }];
  const acknowledgements = { reminderEveryDays: 3, staff: [{ person: 'cshaw', section: 'Senior', lineManager: 'ngrant' }, { person: 'swu', section: 'Senior', lineManager: 'ngrant' }] };
  return writeSchoolFile(YAML.stringify({ ...raw, acknowledgements }));
}

describe('policy acknowledgement coverage in the termly report (e2e)', function () {
  this.timeout(90_000);
  let h: Harness;
  const clock = new HandClock();

  before(async () => {
    clock.at('2026-11-02T08:00:00Z');
    h = await startHarness({ env: { SCHOOL_CONFIG: await school(), POLICY_DIR: EXAMPLE_POLICIES } });
    await h.say(lead, 'help');
  });
  after(async () => {
    await h?.stop();
    clock.restore();
  });

  it('says there were no rounds before any campaign, not zeros', async () => {
    const card = cardOf(said(await h.say(people.head, 'report term'))[0])!;
    assert.match(cardText(card), new RegExp(NO_ROUNDS.replace('.', '\\.')));
    assert.equal(figure(card, 'People required'), undefined);
  });

  it('counts a real round on the card and in its own workbook sheet: on time, late, outstanding, not reached', async () => {
    // Laura Morris (Senior deputy) is in no team with Lantern: the card cannot reach her.
    await addToStaffTeam(h, Object.values(people).filter((m) => m !== people.seniorDeputy), people.dpo);
    await startCampaign(h, lead, { audience: 'section:Senior', due: '2026-11-06' });
    await drained(h);
    for (let minutes = 20; minutes <= 100; minutes += 20) {
      clock.at(Date.parse('2026-11-02T08:00:00Z') + minutes * 60_000);
      await drained(h);
    }
    const reached = Object.values(people).filter((m) => requestsTo(h, m).length);
    assert.equal(reached.length, 3, `reached: ${reached.map((m) => m.name).join(', ')}`);
    assert.match(await acknowledge(h, reached[0], requestsTo(h, reached[0])[0]), /acknowledgement is recorded/);
    clock.at('2026-11-09T10:00:00Z'); // after the due date
    assert.match(await acknowledge(h, reached[1], requestsTo(h, reached[1])[0]), /acknowledgement is recorded/);

    const card = cardOf(said(await h.say(people.head, 'report term'))[0])!;
    assert.deepEqual(checkCard(card), []);
    const figures = ['Rounds open in the period', 'People required', 'Acknowledged by the due date', 'Acknowledged late', 'Outstanding', 'Not reached in Teams', 'Share acknowledged'].map((l) => [l, figure(card, l)]);
    assert.deepEqual(figures, [['Rounds open in the period', '1'], ['People required', '4'], ['Acknowledged by the due date', '1'], ['Acknowledged late', '1'], ['Outstanding', '1'], ['Not reached in Teams', '1'], ['Share acknowledged', '50%']]);
    const text = cardText(card);
    assert.match(text, /Staff Acceptable Use Policy \(round 1, due Fri 6 Nov 2026\)/);
    for (const m of [...reached, people.seniorDeputy]) assert.ok(!text.includes(m.name), `the card names ${m.name}`);

    const button = actionsOf(card).find((a) => a.verb === 'report.export')!;
    const before = h.connector.messagesIn(personalChat(people.head).id).length;
    await h.click(people.head, button.verb, button.data);
    const files = await receiveFiles(h, people.head, h.connector.messagesIn(personalChat(people.head).id).slice(before));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(files.find((f) => f.name.endsWith('.xlsx'))!.bytes as unknown as ArrayBuffer);
    const rows = book.getWorksheet('Policy acknowledgements')!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    assert.deepEqual(rows.find((r) => r[0] === 'People required'), ['People required', 4]);
    assert.deepEqual(rows.find((r) => r[0] === 'Acknowledged late'), ['Acknowledged late', 1]);
    assert.deepEqual(rows.find((r) => String(r[0]).startsWith('Staff Acceptable Use Policy')), ['Staff Acceptable Use Policy (round 1, due Fri 6 Nov 2026)', 4, 1, 1, 1, 1, '50%']);
  });
});
