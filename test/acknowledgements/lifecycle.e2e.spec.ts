import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import YAML from 'yaml';
import { acknowledgementsModule } from '../../bot/acknowledgements';
import { EXPORT_COLUMNS } from '../../bot/acknowledgements/exportFile';
import { EXAMPLE_POLICIES } from '../../bot/policy';
import { actionsOf, cardOf, cardText, visibleText } from '../support/cards';
import { HandClock } from '../support/fakeDate';
import { receiveFiles } from '../support/fileConsent';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { exampleText, writeSchoolFile } from '../support/schoolFiles';
import { personalChat } from '../support/teamsChannel';
import { parseCsv } from '../filtering/parseCsv';
import { addToStaffTeam, changeStaffTeam, openedChatWith } from '../reach/reachSteps';
import { AUP, acknowledge, campaignsOf, drained, progressText, requestsTo, startCampaign } from './steps';

const lead = people.seniorDsl;
const everyone = Object.values(people);

/** The example school with an acknowledgements block: Chris Shaw and Sarah Wu in Senior, line-managed by Nick Grant. */
async function school(): Promise<string> {
  const raw = YAML.parse(exampleText());
  const acknowledgements = { reminderEveryDays: 3, staff: [{ person: 'cshaw', section: 'Senior', lineManager: 'ngrant' }, { person: 'swu', section: 'Senior', lineManager: 'ngrant' }] };
  return writeSchoolFile(YAML.stringify({ ...raw, acknowledgements }));
}

async function copyOfPolicies(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lantern-policies-'));
  await cp(EXAMPLE_POLICIES, dir, { recursive: true });
  return dir;
}

const versionOn = (card: { activity: Record<string, any> }) => cardText(cardOf(card)).match(/Version\n([0-9a-f]{12})/)?.[1];

/** What Lantern said 1:1 to `member` (texts and cards), oldest first. */
function saidTo(h: Harness, member: (typeof people)[keyof typeof people]): string[] {
  const chats = [openedChatWith(h, member), personalChat(member).id];
  return h.connector.sent.filter((s) => chats.includes(s.conversationId)).map((s) => visibleText(s));
}

describe('acknowledgement rounds over time (end to end)', function () {
  this.timeout(60_000);
  let h: Harness;
  const clock = new HandClock();
  let policies: string;

  beforeEach(async () => {
    clock.at('2026-11-02T08:00:00Z'); // a Monday
    policies = await copyOfPolicies();
    h = await startHarness({ modules: [acknowledgementsModule], env: { SCHOOL_CONFIG: await school(), POLICY_DIR: policies } });
    await h.say(lead, 'help');
  });
  afterEach(async () => {
    await h.stop();
    clock.restore();
  });

  it('reminds those who have not acknowledged, then sends the overdue list to the lead and to line managers', async () => {
    await addToStaffTeam(h, everyone, people.dpo);
    const { reply } = await startCampaign(h, lead, { audience: 'section:Senior', due: '2026-11-10' });
    assert.match(reply, /Started: 4 people \(Senior staff\)/);
    await drained(h);
    await acknowledge(h, people.hodMaths, requestsTo(h, people.hodMaths)[0]);

    clock.at('2026-11-05T09:01:00Z');
    await h.lantern.services.scheduler.runDue();
    await drained(h);
    assert.equal(requestsTo(h, people.hodMaths).length, 1, 'no reminder for someone who acknowledged');
    for (const m of [people.technician, people.seniorDeputy]) {
      const cards = requestsTo(h, m);
      assert.equal(cards.length, 2, `${m.name}: the card and one reminder`);
      assert.match(cardText(cardOf(cards[1])), /^Reminder: this is still waiting for you/);
    }

    clock.at('2026-11-08T09:01:00Z');
    await h.lantern.services.scheduler.runDue();
    await drained(h);
    assert.equal(requestsTo(h, people.technician).length, 3, 'the second reminder, three days on');

    // The line manager's Teams refuses at first: the overdue list waits in the queue and is retried.
    const managerChat = openedChatWith(h, people.academicHead);
    if (managerChat) h.connector.failing.add(managerChat);
    h.connector.refusing.set(people.academicHead.id, { status: 403, code: 'Forbidden', message: 'not now' });
    clock.at('2026-11-11T08:01:00Z');
    await h.lantern.services.scheduler.runDue();
    await drained(h);
    assert.equal(saidTo(h, people.academicHead).filter((t) => /^\*\*Overdue/.test(t)).length, 0, 'not reached yet');
    const rows = await campaignsOf(h).worker.queue.rows(`${(await campaignsOf(h).store.openRounds())[0].id}-overdue`);
    assert.deepEqual(rows.map((r) => [r.person, r.state]).sort(), [['dkhan', 'sent'], ['ngrant', 'queued']], 'the overdue messages are rows of the queue');
    if (managerChat) h.connector.failing.delete(managerChat);
    h.connector.refusing.delete(people.academicHead.id);
    clock.at('2026-11-11T08:04:00Z');
    await drained(h);
    const overdue = saidTo(h, lead).filter((t) => /^\*\*Overdue/.test(t));
    assert.equal(overdue.length, 1);
    assert.match(overdue[0], /1 of 4 have acknowledged; 3 have not/);
    assert.match(overdue[0], /Sarah Wu \(Senior\)/);
    assert.match(overdue[0], /Laura Morris \(Senior\)/);
    assert.doesNotMatch(overdue[0], /Chris Shaw/);
    const manager = saidTo(h, people.academicHead).filter((t) => /^\*\*Overdue/.test(t));
    assert.equal(manager.length, 1, 'the line manager gets their own list');
    assert.match(manager[0], /Of the staff you line-manage, 1 have not acknowledged it yet:\n\n- Sarah Wu \(Senior\)$/);
    assert.match(progressText(h, lead), /Overdue: the due date has passed and 3 have not acknowledged/);
    assert.equal(requestsTo(h, people.technician).length, 3, 'no reminder after the due date');
  });

  it('retries someone Teams cannot reach, then shows them as not reached', async () => {
    // Laura Morris (Senior deputy) is in no team with Lantern and has never chatted with it.
    await addToStaffTeam(h, everyone.filter((m) => m !== people.seniorDeputy), people.dpo);
    await startCampaign(h, lead, { audience: 'section:Senior', due: '2026-11-20' });
    await drained(h);
    for (let minutes = 20; minutes <= 100; minutes += 20) {
      clock.at(Date.parse('2026-11-02T08:00:00Z') + minutes * 60_000);
      await drained(h);
    }
    await h.say(lead, 'acknowledgements staff acceptable use policy');
    assert.match(progressText(h, lead), /Acknowledged 0 of 4[\s\S]*Not reached\n1\n[\s\S]*Not reached in Teams: Laura Morris/);
    const round = String((await h.lantern.services.scheduler.pending('acks.overdue'))[0].payload.round);
    const events = (await h.lantern.services.audit.history('acknowledgement-round', round)).filter((e) => e.action === 'acknowledgement-card.not-reached');
    assert.deepEqual(events.map((e) => e.detail?.person), ['lmorris']);
  });

  it('sends the card to someone who joins the team later, once', async () => {
    const team = [people.seniorDeputy, people.hodMaths, people.technician];
    await addToStaffTeam(h, team, people.dpo);
    await startCampaign(h, lead, { audience: 'team:Staff', due: '2026-11-20' });
    await drained(h);
    assert.equal(requestsTo(h, people.pastoralHead).length, 0);
    await changeStaffTeam(h, people.dpo, { added: [people.pastoralHead] });
    await drained(h);
    assert.equal(requestsTo(h, people.pastoralHead).length, 1, 'the joiner got the card');
    for (const m of team) assert.equal(requestsTo(h, m).length, 1, `${m.name} still has one card`);
    await h.say(lead, 'acknowledgements staff acceptable use policy');
    assert.match(progressText(h, lead), /Acknowledged 0 of 4/);
  });

  it('opens a new round for a new version of the document only after the lead confirms', async () => {
    const team = [people.hodMaths, people.technician];
    await addToStaffTeam(h, [...team, people.pastoralHead], people.dpo);
    await startCampaign(h, lead, { audience: 'team:Staff', due: '2026-11-20' });
    await drained(h);
    const firstCard = requestsTo(h, people.hodMaths)[0];
    await acknowledge(h, people.hodMaths, firstCard);

    await appendFile(path.join(policies, AUP), '\n## 12. Artificial intelligence tools\n\n### 12.1 Using AI tools\nOnly use the AI tools the school has approved, and never paste pupil details into them.\n');
    clock.at('2026-11-02T09:01:00Z');
    await h.lantern.services.scheduler.runDue();
    const proposal = h.connector.sent.filter((s) => s.conversationId === personalChat(lead).id && /has changed/.test(cardText(cardOf(s)))).at(-1);
    assert.ok(proposal, 'the lead is asked to confirm a new round');
    await drained(h);
    for (const m of team) assert.equal(requestsTo(h, m).length, 1, `${m.name}: nothing new before the lead confirms`);

    const open = actionsOf(cardOf(proposal)).find((a) => a.verb === 'acks.newRound')!;
    const res = await h.click(lead, 'acks.newRound', { ...open.data, note: 'New section 12 on AI tools.', due: '2026-11-27' });
    assert.match(String(res.body?.value), /Round 2 is open: 3 people will get the card/);
    await drained(h);
    for (const m of team) {
      const cards = requestsTo(h, m);
      assert.equal(cards.length, 2, `${m.name}: the new round's card`);
      assert.match(cardText(cardOf(cards[1])), /What changed: New section 12 on AI tools\./);
      assert.notEqual(versionOn(cards[1]), versionOn(cards[0]), 'the new card names the new version');
    }
    const text = await h.click(people.hodMaths, 'acks.text', { round: actionsOf(cardOf(requestsTo(h, people.hodMaths)[1])).find((a) => a.verb === 'acks.confirm')!.data.round, part: 0 });
    assert.match(String(text.body?.value), /The full text is below/);
    // The text comes a part at a time; the new section is at the end, reached by "Next part".
    const latest = () => h.connector.messagesIn(personalChat(people.hodMaths).id).at(-1);
    const nextPart = () => actionsOf(cardOf(latest())).find((a) => a.verb === 'acks.text');
    const partsRead = [visibleText(latest())];
    for (let next = nextPart(); next; next = nextPart()) {
      assert.match(String((await h.click(people.hodMaths, 'acks.text', next.data)).body?.value), new RegExp(`Part ${partsRead.length + 1} is below`));
      partsRead.push(visibleText(latest()));
    }
    assert.match(partsRead.at(-1)!, /12\.1 Using AI tools\nOnly use the AI tools the school has approved/);
    assert.match(partsRead[0], new RegExp(`\\(part 1 of ${partsRead.length}\\)`));
    assert.match(await acknowledge(h, people.technician, requestsTo(h, people.technician)[0]), /A newer version .* has replaced this one, so nothing was recorded/);
    assert.match(await acknowledge(h, people.hodMaths, requestsTo(h, people.hodMaths)[1]), /Thank you/);
    assert.match(progressText(h, lead), /Acknowledged 1 of 3[\s\S]*round 2/);
  });

  it('exports one row per person as .xlsx and .csv, read back cell by cell', async () => {
    await addToStaffTeam(h, everyone, people.dpo);
    await startCampaign(h, lead, { audience: 'section:Senior', due: '2026-11-10' });
    await drained(h);
    await acknowledge(h, people.hodMaths, requestsTo(h, people.hodMaths)[0]);
    const sent = await h.say(lead, 'export acknowledgements staff acceptable use policy');
    const files = await receiveFiles(h, lead, sent);
    assert.deepEqual(files.map((f) => f.name), ['acknowledgements-staff-acceptable-use-policy-round-1.xlsx', 'acknowledgements-staff-acceptable-use-policy-round-1.csv']);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(files[0].bytes as any);
    const sheet = wb.getWorksheet('Acknowledgements')!;
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    assert.deepEqual(rows[0], [...EXPORT_COLUMNS]);
    assert.deepEqual(rows.slice(1).map((r) => r[0]), ['Chris Shaw', 'Daniel Khan', 'Laura Morris', 'Sarah Wu']);
    const col = (name: (typeof EXPORT_COLUMNS)[number]) => EXPORT_COLUMNS.indexOf(name);
    const chris = rows[1];
    assert.equal(chris[col('Email')], 'c.shaw@hollinspark.example.org');
    assert.equal(chris[col('Section')], 'Senior');
    assert.equal(chris[col('Line manager')], 'Nick Grant');
    assert.equal(chris[col('Document')], 'Staff Acceptable Use Policy');
    assert.match(chris[col('Version')], /^[0-9a-f]{12}$/);
    assert.equal(chris[col('Status')], 'acknowledged');
    assert.equal(chris[col('Version acknowledged')], chris[col('Version')]);
    assert.match(chris[col('Acknowledged')], /Mon 2 Nov 2026, 08:00/);
    assert.equal(chris[col('Card id')], requestsTo(h, people.hodMaths)[0].id);
    assert.equal(rows[4][col('Status')], 'outstanding');
    assert.equal(rows[4][col('Acknowledged')], '');
    assert.match(rows[4][col('Card delivered')], /2 Nov 2026/);

    const csv = parseCsv(files[1].bytes.toString('utf8'));
    assert.deepEqual(csv, rows, 'the CSV holds the same cells');
  });
});
