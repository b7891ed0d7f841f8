import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import YAML from 'yaml';
import { startLantern, type Lantern } from '../../bot/lantern';
import { readSettings } from '../../bot/settings';
import { CheckStore } from '../../bot/filtering/filterCheck';
import { RequestStore } from '../../bot/filtering/requestStore';
import { CallStore } from '../../bot/calls/callStore';
import { REPORT_REFUSED } from '../../bot/report';
import { TERM_END_JOB, termJobId } from '../../bot/report/termEndJobs';
import { AT_LEAST, FEWER_THAN } from '../../bot/report/smallCounts';
import { checkCard } from '../cards/cardChecker';
import { actionsOf, cardOf, cardText } from '../support/cards';
import type { Member, SentActivity } from '../support/fakeConnector';
import { consentCards, receiveFiles } from '../support/fileConsent';
import { HandClock } from '../support/fakeDate';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { exampleText, writeSchoolFile } from '../support/schoolFiles';
import { personalChat, teamChannel } from '../support/teamsChannel';
import { fileReport, know, PUPIL_DETAILS, shown } from '../incidents/reportSteps';
import { parseReportArgs } from '../../bot/report/reportTermScript';
import { inkedPixels, pdfPages, pdftoppmAvailable } from './pdfPages';
import { aCall, aCase, aCheck, aRequest } from './seedRecords';
import { figure, said } from './reportCardSteps';
import { buildTermReport } from '../../bot/report/buildTermReport';
import { recordSources } from '../../bot/report/recordSources';
import type { RecordSource } from '../../bot/report/reportRecords';
import type { ReportSettings } from '../../bot/report/settings';
import { CaseStore } from '../../bot/incidents/caseStore';

const ROOT = path.resolve(__dirname, '..', '..');

const TERMS = [
  { start: '2026-04-13', end: '2026-07-09' },
  { start: '2026-09-03', end: '2026-12-16' },
  { start: '2027-01-05', end: '2027-03-26' },
];

async function schoolWithTerms(): Promise<string> {
  const raw = YAML.parse(exampleText());
  raw.school.termDates = TERMS;
  return writeSchoolFile(YAML.stringify(raw));
}

/** Every chart on a card, with its fallback. */
function chartsOf(card: unknown): Array<{ type: string; fallback?: { type: string } }> {
  const out: Array<{ type: string; fallback?: { type: string } }> = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, any>;
    if (typeof o.type === 'string' && o.type.startsWith('Chart.')) out.push(o as { type: string });
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

const reportsTo = (h: Harness, m: Member): SentActivity[] => h.connector.sent.filter((s) => s.conversationId === personalChat(m).id && /Termly safeguarding/.test(cardText(cardOf(s))));

describe('the termly report (e2e)', () => {
  let h: Harness;
  const clock = new HandClock();
  let ref1: string;

  before(async function () {
    this.timeout(120_000); // six reports through the whole form, on a shared machine
    clock.at('2026-11-20T15:00:00Z');
    h = await startHarness({ env: { SCHOOL_CONFIG: await schoolWithTerms() } });
    // Six incidents through the real form: five cyberbullying in Senior, one grooming concern in Prep.
    for (let i = 0; i < 5; i++) {
      const { ref } = await fileReport(h, people.teacher, { section: 'Senior', category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS });
      if (i === 0) ref1 = ref;
    }
    await fileReport(h, people.teacher2, { section: 'Prep', category: 'grooming', subject: 'pupil', preserved: { stoppedLooking: 'true', notCopied: 'true', screenOff: 'true', secured: 'true', urlNoted: 'true' }, details: PUPIL_DETAILS });
    // The Senior DSL claims the first 30 minutes later: acknowledged within its 240-minute target.
    clock.at('2026-11-20T15:30:00Z');
    assert.match(shown(await h.click(people.seniorDsl, 'incident.claim', { ref: ref1 })), /Acknowledged|In progress|Claimed/i);
    // Filter records and calls straight into their tables (their own flows are tested in their folders).
    const tables = h.lantern.services.tables;
    await new RequestStore(tables).create(aRequest('FLT-2026-0101', { requestedAt: '2026-10-01T10:00:00Z', details: { duration: 'temporary', endDate: '2026-12-31' } }));
    await new RequestStore(tables).create(aRequest('FLT-2026-0102', { requestedAt: '2026-10-02T10:00:00Z', status: 'declined' }));
    await new CheckStore(tables).add(aCheck('2026-10-05'), new Date('2026-10-05T12:00:00Z'));
    await new CallStore(tables).create(aCall('CALL-20261010-00000A', '2026-10-10T10:00:00Z', 'approved'));
    clock.at('2026-11-21T09:00:00Z');
  });
  after(async () => {
    await h?.stop();
    clock.restore();
  });

  it('refuses everyone but DSLs, the Head, the Chair and admins, showing nothing and auditing the attempt', async () => {
    for (const who of [people.teacher, people.pastoralHead, people.technician, people.seniorDeputy]) {
      const sent = said(await h.say(who, 'report term'));
      assert.deepEqual(sent.map((s) => [s.activity.text, cardOf(s)?.type]), [[REPORT_REFUSED, undefined]], `${who.name} was shown something`);
      const pressed = await h.click(who, 'report.export', { from: '2026-09-03', to: '2026-12-16' });
      assert.equal(shown(pressed), REPORT_REFUSED);
      assert.equal(consentCards(h.connector.messagesIn(personalChat(who).id)).length, 0, 'no file offered');
    }
    const refusals = (await h.lantern.services.audit.history('report', 'term')).filter((e) => e.action === 'report.refused');
    assert.equal(refusals.length, 4);
  });

  it('shows the Head the term figure by figure, with the three charts and their fallbacks, and no pupil details', async () => {
    const sent = said(await h.say(people.head, 'report term'));
    const card = cardOf(sent[0])!;
    assert.deepEqual(checkCard(card), []);
    assert.deepEqual(chartsOf(card).map((c) => [c.type, c.fallback?.type]), [['Chart.VerticalBar.Grouped', 'Container'], ['Chart.Donut', 'TextBlock'], ['Chart.HorizontalBar', 'TextBlock']]);
    const text = cardText(card);
    assert.match(text, /Autumn term 2026 \(2026-09-03 to 2026-12-16\)/);
    assert.equal(figure(card, 'Incidents reported'), '6');
    // The lone small count (grooming: 1) would follow from the total, so the next smallest is hidden too.
    assert.equal(figure(card, 'Cyberbullying'), AT_LEAST);
    assert.equal(figure(card, 'Grooming concern'), FEWER_THAN);
    assert.equal(figure(card, 'Senior'), AT_LEAST);
    assert.equal(figure(card, 'Prep'), FEWER_THAN);
    assert.equal(figure(card, 'Open'), '6');
    assert.equal(figure(card, 'Acknowledged within target'), '1', 'the claimed case, 30 minutes after it was reported');
    assert.equal(figure(card, 'Median time to acknowledge'), '30 min');
    assert.equal(figure(card, 'Temporary unblock'), '1');
    assert.equal(figure(card, 'Permanent unblock'), '1');
    assert.equal(figure(card, 'Declined'), '1');
    assert.equal(figure(card, 'Checks done'), '1');
    assert.equal(figure(card, 'Checks due'), '3');
    assert.equal(figure(card, 'Approved'), '1');
    const sessionsExpected = Number(figure(card, 'Sessions expected'));
    assert.ok(sessionsExpected > 0 && figure(card, 'Logged') === '0', 'tutor logs: sessions were due and none is logged');
    for (const secret of [PUPIL_DETAILS.pupilName, PUPIL_DETAILS.description, PUPIL_DETAILS.childsWords, 'Olivia Teacher', 'Sam Tutor']) assert.ok(!JSON.stringify(card).includes(secret), `the card shows "${secret}"`);
    const viewed = await h.lantern.services.audit.history('report', '2026-09-03..2026-12-16');
    assert.ok(viewed.some((e) => e.action === 'report.viewed' && e.actor.id === 'hbrook'));
  });

  it('gives PDF and Excel through the file consent cards, and the workbook says what the card says', async () => {
    const sent = said(await h.say(people.chair, 'report term autumn 2026'));
    const card = cardOf(sent[0])!;
    assert.ok(card, `no card: ${sent.map((s) => s.activity.text).join(' / ')}`);
    const button = actionsOf(card).find((a) => a.verb === 'report.export')!;
    const before = h.connector.messagesIn(personalChat(people.chair).id).length;
    const res = await h.click(people.chair, button.verb, button.data);
    assert.match(cardText(res.body?.value), /Termly safeguarding/, 'the card stays in place');
    const offered = h.connector.messagesIn(personalChat(people.chair).id).slice(before);
    const files = await receiveFiles(h, people.chair, offered);
    assert.deepEqual(files.map((f) => f.name), ['termly-report-2026-09-03-to-2026-12-16.pdf', 'termly-report-2026-09-03-to-2026-12-16.xlsx']);
    assert.equal(files[0].bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(files[1].bytes as unknown as ArrayBuffer);
    const incidents = book.getWorksheet('Incidents')!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    assert.deepEqual(incidents.find((r) => r[0] === 'Incidents reported'), ['Incidents reported', 6]);
    assert.deepEqual(incidents.find((r) => r[0] === 'Grooming concern'), ['Grooming concern', FEWER_THAN]);
    for (const data of [{}, { from: 7, to: '2026-12-16' }, { from: '2026-09-03', to: 'soon' }, { from: '2026-12-16', to: '2026-09-03' }]) {
      assert.match(shown(await h.click(people.chair, 'report.export', data)), /dates were not understood, so nothing was sent/);
    }
    assert.equal(consentCards(h.connector.messagesIn(personalChat(people.chair).id).slice(before)).length, 2, 'no more files offered');
    const exported = await h.lantern.services.audit.history('report', '2026-09-03..2026-12-16');
    assert.ok(exported.some((e) => e.action === 'report.exported' && e.actor.id === 'rowen'));
  });

  it('answers a report asked for in a channel in a 1:1 chat, and bad periods plainly', async () => {
    const channel = teamChannel('Senior DSL');
    const inChannel = said(await h.say(people.seniorDsl, 'report term', channel));
    assert.deepEqual(inChannel.map((s) => [s.activity.text, cardOf(s)]), [['I sent you the termly report in a 1:1 chat.', undefined]]);
    assert.equal(reportsTo(h, people.seniorDsl).length, 1, 'the report went to their 1:1 chat');
    assert.equal(h.connector.messagesIn(channel.id).filter((s) => cardOf(s)).length, 0, 'no card in the channel');
    assert.match(said(await h.say(people.head, 'report term winter 2026'))[0].activity.text, /"winter 2026" is not a term I know\. The configured terms are: summer 2026, autumn 2026, spring 2027/);
    assert.match(said(await h.say(people.head, 'report term 2026-12-01 2026-11-01'))[0].activity.text, /is after the second/);
    const summer = cardOf(said(await h.say(people.head, 'report term summer 2026'))[0]);
    assert.equal(figure(summer, 'Incidents reported'), '0');
  });

  it('counts what a further source (the retention archive) holds, each record once beside the live tables', async () => {
    const { tables, audit, config } = h.lantern.services;
    const live = (await new CaseStore(tables, 'INC').all())[0];
    // The archive keeps content-free copies: the same record with its text blanked.
    const archive: RecordSource = { name: 'archive', load: async () => ({ cases: [{ ...live, facts: { ...live.facts, description: '', pupilName: undefined } }, aCase('INC-2026-0900', { reportedAt: '2026-10-01T10:00:00Z', section: 'Senior' })] }) };
    const range = { from: '2026-09-03', to: '2026-12-16', label: 'Autumn term 2026' };
    const settings = config.settings<ReportSettings>('report');
    const withArchive = await buildTermReport(config, settings, [...recordSources(tables, audit, config), archive], range, new Date());
    assert.equal(withArchive.figures.incidents.total.value, 7, 'six live cases (one also archived, counted once) and one only in the archive');
    assert.equal(withArchive.figures.incidents.byCategory.rows.find((r) => r.key === 'cyberbullying')?.count.value, 6);
  });

  it('writes the PDF and the workbook from the same tables with npm run report:term', async function () {
    this.timeout(90_000);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'termly-report-'));
    const run = (...args: string[]) => promisify(execFile)(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'bot/report/reportTermScript.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...h.env } });
    const { stdout } = await run('--from', '2026-09-03', '--to', '2026-12-16', '--out', path.join(dir, 'pack'));
    assert.match(stdout, /termly report for Autumn term 2026 \(2026-09-03 to 2026-12-16\) written to .*pack\.pdf and .*pack\.xlsx/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile(path.join(dir, 'pack.xlsx'))) as unknown as ArrayBuffer);
    assert.deepEqual(book.getWorksheet('Incidents')!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1)).find((r) => r[0] === 'Incidents reported'), ['Incidents reported', 6]);
    await assert.rejects(run('--from', '2026-12-16', '--to', '2026-09-03'), (err: { stderr: string; code: number }) => err.code === 1 && /report:term: The first date \(2026-12-16\) is after the second/.test(err.stderr));
    if (!(await pdftoppmAvailable())) return this.skip();
    const pages = await pdfPages(await readFile(path.join(dir, 'pack.pdf')));
    assert.ok(pages.length >= 2 && pages.every((p) => inkedPixels(p) > 500), 'every page of the PDF is drawn');
  });
});

describe('npm run report:term', () => {
  it('reads its options, refusing unclear ones by name', () => {
    assert.deepEqual(parseReportArgs(['--from', '2026-09-03', '--to', '2026-12-16', '--out', 'pack']), { period: '2026-09-03 2026-12-16', out: 'pack' });
    assert.deepEqual(parseReportArgs(['--term', 'autumn 2026']), { period: 'autumn 2026', out: undefined });
    assert.deepEqual(parseReportArgs([]), { period: '', out: undefined });
    assert.throws(() => parseReportArgs(['--from', '2026-09-03']), /give both --from and --to/);
    assert.throws(() => parseReportArgs(['--term', 'autumn 2026', '--from', '2026-09-03', '--to', '2026-12-16']), /either --term or --from\/--to/);
    assert.throws(() => parseReportArgs(['--week', '2026-09-03']), /unknown option "--week"/);
    assert.throws(() => parseReportArgs(['--out']), /--out needs a value/);
  });
});

describe('the end-of-term report, sent by the scheduler (e2e)', () => {
  let h: Harness;
  let second: Lantern | undefined;
  const clock = new HandClock();
  const recipients = [people.chair, people.seniorDsl, people.prepDsl, people.prePrepDsl];

  beforeEach(async () => {
    clock.at('2026-12-16T10:00:00Z'); // the last day of the autumn term, before 16:00
    h = await startHarness({ env: { SCHOOL_CONFIG: await schoolWithTerms() } });
    await know(h, ...recipients, people.head);
  });
  afterEach(async () => {
    await second?.stop();
    second = undefined;
    await h.stop();
    clock.restore();
  });

  const jobId = termJobId({ start: '2026-09-03', end: '2026-12-16' });

  it('goes once to the Chair and every DSL at 16:00 on the last day, even with two instances running, and never again', async () => {
    const pending = await h.lantern.services.scheduler.pending(TERM_END_JOB);
    assert.deepEqual(pending.map((j) => [j.id, j.due]), [[jobId, '2026-12-16T16:00:00.000Z']]);
    assert.equal(await h.lantern.services.scheduler.runDue(), 0, 'nothing before 16:00');

    second = await startLantern(readSettings(h.env), { log: () => undefined, startScheduler: false });
    clock.at('2026-12-16T16:01:00Z');
    await Promise.all([h.lantern.services.scheduler.runDue(), second.services.scheduler.runDue()]);

    for (const m of recipients) {
      const got = reportsTo(h, m);
      assert.equal(got.length, 1, `${m.name} got ${got.length} reports`);
      assert.match(cardText(cardOf(got[0])), /Autumn term 2026/);
      assert.equal(consentCards(h.connector.messagesIn(personalChat(m).id)).length, 2, `${m.name}: the PDF and the workbook offered`);
    }
    assert.equal(reportsTo(h, people.head).length, 0, 'the Head asks for it; the scheduled send is the Chair and the DSLs');
    const sent = (await h.lantern.services.audit.history('report', '2026-09-03..2026-12-16')).filter((e) => e.action === 'report.sent');
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].detail, { reached: ['Rachel Owen', 'Daniel Khan', 'Priya Green', 'Tom Jones'], missed: [] });
    assert.deepEqual((await h.lantern.services.scheduler.pending(TERM_END_JOB)).map((j) => [j.id, j.due]), [[termJobId({ start: '2027-01-05', end: '2027-03-26' }), '2027-03-26T16:00:00.000Z']], 'the spring term is next');

    // A restart (and another tick) sends nothing more for the autumn term.
    await h.restart();
    clock.at('2026-12-17T09:00:00Z');
    await h.lantern.services.scheduler.runDue();
    for (const m of recipients) assert.equal(reportsTo(h, m).length, 1);
    assert.equal(await h.lantern.services.scheduler.get(jobId), undefined);
  });

  it('is still sent after the bot was down over the term end: the job was stored', async () => {
    await h.lantern.stop();
    clock.at('2026-12-18T08:00:00Z');
    await h.restart();
    await h.lantern.services.scheduler.runDue();
    for (const m of recipients) assert.equal(reportsTo(h, m).length, 1, `${m.name}`);
  });
});
