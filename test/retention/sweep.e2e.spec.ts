import assert from 'node:assert/strict';
import { listPostedCards } from '../../bot/cards/recordCards';
import { incidentsModule } from '../../bot/incidents';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { startLantern, type Lantern } from '../../bot/lantern';
import { reportModule } from '../../bot/report';
import { buildTermReport } from '../../bot/report/buildTermReport';
import { recordSources } from '../../bot/report/recordSources';
import type { ReportSettings } from '../../bot/report/settings';
import { retentionModule } from '../../bot/retention';
import { RetentionLedger } from '../../bot/retention/ledger';
import { archivedCaseHistories, archivedCalls, archivedCases, archivedFilterChecks, archivedFilterRequests, archivedTutorLogs } from '../../bot/retention/reportArchive';
import { SWEEP_JOB } from '../../bot/retention/sweepJob';
import { readSettings } from '../../bot/settings';
import { DraftStore } from '../../bot/storage/draftStore';
import { DocumentTable } from '../../bot/storage/documentTable';
import { visibleText } from '../support/cards';
import { HandClock } from '../support/fakeDate';
import { startHarness, type Harness } from '../support/harness';
import { people } from '../support/people';
import { exampleText, writeSchoolFile } from '../support/schoolFiles';
import { teamChannel } from '../support/teamsChannel';
import { fileReport, PUPIL_DETAILS, shown } from '../incidents/reportSteps';
import { CONTENT, seedCall, seedFilterCheck, seedFilterRequest, seedQuestion, seedTutorLog } from './seedRecords';

/** Every word or name a swept record held: none may be left in what the sweep keeps or writes. */
const FREE_TEXT = [
  ...Object.values(CONTENT),
  PUPIL_DETAILS.pupilName,
  PUPIL_DETAILS.description,
  PUPIL_DETAILS.childsWords,
  PUPIL_DETAILS.actionTaken,
  'Olivia Teacher',
  'Daniel Khan',
  'Spoke to parents',
  'Social care leading',
  'CSC-4471',
  'Year 9',
  'Year 10',
  'Emma Fisher',
];
const assertNoFreeText = (what: string, value: unknown) => {
  const json = JSON.stringify(value);
  for (const text of FREE_TEXT) assert.ok(!json.includes(text), `${what} still holds "${text}": ${json}`);
};

describe('the daily retention sweep (end to end, on a sinon clock)', () => {
  const clock = new HandClock();
  const channel = teamChannel('Safeguarding Senior');
  let h: Harness;
  let second: Lantern | undefined;
  const refs: Record<'closed' | 'held' | 'open' | 'closedLater', string> = { closed: '', held: '', open: '', closedLater: '' };
  let closedBefore: IncidentCase;
  const tables = () => h.lantern.services.tables;
  const table = <T>(name: string) => new DocumentTable<T>(tables(), name);
  const exists = async (name: string, pk: string, rk: string) => !!(await table(name).get(pk, rk));
  const sweepAt = async (iso: string) => {
    clock.at(iso);
    return h.lantern.services.scheduler.runDue();
  };
  const seeded: Record<string, string> = {};
  // The report for the term the seeded records belong to, as governors would read it.
  const NOVEMBER_2026 = { from: '2026-11-01', to: '2026-11-30', label: 'November 2026' };
  const reportFigures = async () => {
    const { config, audit } = h.lantern.services;
    const { figures } = await buildTermReport(config, config.settings<ReportSettings>('report'), recordSources(tables(), audit, config), NOVEMBER_2026, new Date('2052-01-01T00:00:00Z'));
    return figures;
  };
  let figuresBeforeSweep: Awaited<ReturnType<typeof reportFigures>> | undefined;

  async function closeCase(ref: string, reason: string): Promise<void> {
    await h.click(people.seniorDsl, 'incident.claim', { ref });
    assert.match(shown(await h.click(people.seniorDsl, 'incident.status', { ref, status: 'closed', reason })), /Status is now Closed/);
  }

  before(async function () {
    // Four cases through the real forms, on two shared cores.
    this.timeout(120_000);
    clock.at('2026-11-23T09:00:00Z');
    h = await startHarness({ modules: [incidentsModule, retentionModule, reportModule] });
    await h.say(people.dpo, 'register dsl Senior', channel);
    for (const m of [people.seniorDsl, people.seniorDeputy, people.head, people.teacher]) await h.say(m, 'help');
    const file = async () => (await fileReport(h, people.teacher, { category: 'cyberbullying', subject: 'pupil', details: PUPIL_DETAILS })).ref;
    refs.closed = await file();
    await h.click(people.seniorDsl, 'incident.claim', { ref: refs.closed });
    await h.click(people.seniorDsl, 'incident.status', { ref: refs.closed, status: 'referred', agency: 'csc', reference: 'CSC-4471' });
    await h.click(people.seniorDsl, 'incident.note', { ref: refs.closed, note: 'Spoke to parents; agreed plan.' });
    assert.match(shown(await h.click(people.seniorDsl, 'incident.status', { ref: refs.closed, status: 'closed', reason: 'Social care leading; school plan in place.' })), /Status is now Closed/);
    closedBefore = (await table<IncidentCase>('incidents').get('case', refs.closed))!.value;
    refs.held = await file();
    await closeCase(refs.held, 'Resolved with the family.');
    const held = await h.say(people.seniorDsl, `hold ${refs.held} Solicitor's letter of 20 Nov: a claim is expected`);
    assert.match(held[0].activity.text, /Legal hold placed/);
    refs.open = await file();
    refs.closedLater = await file();

    const t = tables();
    await seedFilterRequest(t, 'FLT-2026-0001', 'declined', '2026-11-02T10:00:00.000Z', '2026-11-03T10:00:00.000Z');
    await seedFilterRequest(t, 'FLT-2026-0002', 'in-force', '2026-11-02T10:00:00.000Z');
    await seedFilterRequest(t, 'FLT-2050-0001', 'ended', '2050-05-01T10:00:00.000Z', '2050-06-01T10:00:00.000Z');
    await h.lantern.services.audit.append({ actor: { id: 'dkhan', name: 'Daniel Khan' }, action: 'filter.declined', entityType: 'filter-request', entityId: 'FLT-2026-0001', reason: CONTENT.declineReason, at: new Date('2026-11-03T10:00:00Z') });
    await h.lantern.services.audit.append({ actor: { id: 'teacher', name: 'Olivia Teacher' }, action: 'filter.never-allow-signalled', entityType: 'filter-request', entityId: 'category:Proxies and VPNs', reason: CONTENT.filterReason, at: new Date('2026-11-04T10:00:00Z') });
    seeded.check = await seedFilterCheck(t, '2026-11-02');
    seeded.oldLog = (await seedTutorLog(t, '2026-11-20', 'old')).id;
    seeded.newLog = (await seedTutorLog(t, '2049-03-01', 'new')).id;
    seeded.oldCall = (await seedCall(t, '2026-11-20', 'old')).id;
    seeded.newCall = (await seedCall(t, '2048-02-03', 'new')).id;
    seeded.oldQuestion = await seedQuestion(t, '2026-11-23T09:30:00.000Z');
    seeded.newQuestion = await seedQuestion(t, '2051-06-01T09:30:00.000Z');
    await new DraftStore(t, () => new Date('2026-11-23T09:00:00Z')).save('teacher', 'incident', 'details', { pupilName: CONTENT.pupil });
    await new DraftStore(t, () => new Date('2051-11-20T09:00:00Z')).save('teacher2', 'incident', 'details', { pupilName: CONTENT.pupil });

    // Closed months later: its period ends months after the first case's.
    clock.at('2027-03-01T10:00:00Z');
    await closeCase(refs.closedLater, 'No further action.');
    figuresBeforeSweep = await reportFigures();
  });
  after(async () => {
    clock.restore();
    await second?.stop();
    await h.stop();
  });

  it('is one durable job for the next 02:30 school time, that a restart leaves where it is', async () => {
    const job = await h.lantern.services.scheduler.get(SWEEP_JOB.id);
    assert.equal(job?.due, '2026-11-24T02:30:00.000Z');
    await h.restart();
    assert.equal((await h.lantern.services.scheduler.get(SWEEP_JOB.id))?.due, '2026-11-24T02:30:00.000Z');
  });

  it('moves the coming run when the school changes sweepAt', async () => {
    clock.at('2026-11-23T09:00:00Z');
    const other = await startHarness({ modules: [retentionModule] });
    try {
      assert.equal((await other.lantern.services.scheduler.get(SWEEP_JOB.id))?.due, '2026-11-24T02:30:00.000Z');
      other.env.SCHOOL_CONFIG = await writeSchoolFile(`${exampleText()}\nretention:\n  sweepAt: "04:15"\n`);
      await other.restart();
      assert.equal((await other.lantern.services.scheduler.get(SWEEP_JOB.id))?.due, '2026-11-24T04:15:00.000Z');
    } finally {
      await other.stop();
    }
  });

  it('the day before a case expires, deletes every other record that has expired and nothing that has not', async () => {
    assert.ok((await sweepAt('2051-11-22T03:00:00Z')) >= 1);
    // Cases: closed 23 Nov 2026 + 25 years = 23 Nov 2051, so not yet; the open, held and later ones stay.
    for (const ref of Object.values(refs)) assert.ok(await exists('incidents', 'case', ref), `${ref} should still be there`);
    assert.ok((await h.lantern.services.audit.history('incident', refs.closed)).length > 0, 'the case chronology stays with the case');
    // Filter requests: declined in 2026 goes (6 years); in force and ended in 2050 stay.
    assert.deepEqual([await exists('filterrequests', 'request', 'FLT-2026-0001'), await exists('filterrequests', 'request', 'FLT-2026-0002'), await exists('filterrequests', 'request', 'FLT-2050-0001')], [false, true, true]);
    assert.deepEqual(await h.lantern.services.audit.history('filter-request', 'FLT-2026-0001'), [], "a swept request's chronology goes with it");
    assert.deepEqual(await h.lantern.services.audit.history('filter-request', 'category:Proxies and VPNs'), [], 'an audit line older than 6 years goes');
    assert.equal(await exists('filterchecks', 'check', seeded.check), false);
    const [oldWeek, oldTail] = seeded.oldLog.split('.');
    const [newWeek, newTail] = seeded.newLog.split('.');
    assert.deepEqual([await exists('tutorlogs', oldWeek, oldTail), await exists('tutorlogs', newWeek, newTail)], [false, true]);
    assert.deepEqual([await exists('calls', 'call', seeded.oldCall), await exists('callnotes', seeded.oldCall, 'note')], [false, false], 'a call and its secure note go together');
    assert.deepEqual([await exists('calls', 'call', seeded.newCall), await exists('callnotes', seeded.newCall, 'note')], [true, true]);
    assert.deepEqual([await exists('policyquestions', 'q', seeded.oldQuestion), await exists('policyquestions', 'q', seeded.newQuestion)], [false, true]);
    assert.deepEqual([await exists('drafts', 'teacher', 'incident'), await exists('drafts', 'teacher2', 'incident')], [false, true]);
    // The next run is tomorrow at 02:30.
    assert.equal((await h.lantern.services.scheduler.get(SWEEP_JOB.id))?.due, '2051-11-23T02:30:00.000Z');
  });

  it('keeps a content-free copy of each swept record, in the stores’ own types, with the fields the report counts', async () => {
    const [request] = await archivedFilterRequests(tables());
    assert.equal(request.reference, 'FLT-2026-0001');
    assert.deepEqual([request.status, request.details.change, request.details.duration, request.details.audience, request.details.targetKind, request.requestedAt], ['declined', 'unblock', 'temporary', 'year', 'website', '2026-11-02T10:00:00.000Z']);
    assert.deepEqual(request.history.map((s) => [s.step, s.outcome, s.at]), [['sanction', 'declined', '2026-11-03T10:00:00.000Z']]);
    const [check] = await archivedFilterChecks(tables());
    assert.deepEqual([check.date, check.result], ['2026-11-02', 'partly']);
    const [log] = await archivedTutorLogs(tables());
    assert.deepEqual([log.id, log.group, log.date, log.mode, log.attended, log.concern], [seeded.oldLog, '9B', '2026-11-20', 'in-person', 24, true]);
    const [call] = await archivedCalls(tables());
    assert.deepEqual([call.id, call.kind, call.purpose, call.section, call.state, call.pastoral, call.permission?.decision, call.permission?.decidedAt], [seeded.oldCall, 'audio', 'pastoral-catch-up', 'Senior', 'held', true, 'approved', '2026-11-20T09:00:00.000Z']);
    for (const [what, copy] of Object.entries({ request, check, log, call })) assertNoFreeText(`the archived ${what}`, copy);
  });

  it('counts what it deleted by kind, month and detail, and writes audit lines with no content', async () => {
    const ledger = new RetentionLedger(tables());
    assert.deepEqual((await ledger.years('filterRequests')).map((y) => [y.year, y.months]), [['2026', { '11': { 'unblock-temporary': 1 } }]]);
    assert.equal(await ledger.total('tutorLogs'), 1);
    assert.equal(await ledger.total('calls'), 1);
    assert.equal(await ledger.total('callNotes'), 0, 'the note went with its call, not on its own');
    assert.equal(await ledger.total('questions'), 1);
    // The seeded draft and any form the bot itself left unsent in 2026.
    assert.ok((await ledger.total('drafts')) >= 1);
    assert.equal(await ledger.total('cases'), 0);
    const audit = await ledger.years('audit');
    assert.equal(audit[0].months['11']['filter.never-allow-signalled'], 1);
    const lines = await h.lantern.services.audit.history('retention', '2051-11-22');
    const deleted = lines.filter((l) => l.action === 'retention.deleted');
    assert.deepEqual(
      deleted.map((l) => String(l.detail?.kind)).sort(),
      ['audit', 'calls', 'drafts', 'filterChecks', 'filterRequests', 'questions', 'tutorLogs'],
    );
    assert.deepEqual(deleted.find((l) => l.detail?.kind === 'filterRequests')?.detail, { kind: 'filterRequests', count: 1, from: '2026-11-03', to: '2026-11-03' });
    const swept = lines.find((l) => l.action === 'retention.swept')!;
    assert.equal((swept.detail?.deleted as Record<string, number>).cases, 0);
    for (const l of lines) {
      assertNoFreeText('a retention audit line', l);
      assert.doesNotMatch(JSON.stringify(l), /INC-|FLT-|CALL-/, 'no references in a retention audit line');
    }
  });

  it('`retention report` shows what goes in the next 30 days by kind, with counts and dates only, and what is held', async () => {
    clock.at('2051-11-22T10:00:00Z');
    const report = visibleText((await h.say(people.seniorDsl, 'retention report'))[0]);
    assert.match(report, /what will be deleted by Fri 22 Dec 2051/);
    assert.match(report, /- Incident cases: 1 \(on Thu 23 Nov 2051\)/);
    assert.match(report, /- Unfinished forms: 1 \(on Wed 20 Dec 2051\)/);
    for (const kind of ['Filter change requests', 'Filter checks', 'Tutor group logs', '1-1 call records', 'Secure call notes', 'Policy questions']) assert.match(report, new RegExp(`- ${kind}: none`));
    assert.match(report, new RegExp(`Under legal hold\\*\\* \\(never deleted while held\\): 1 case\\n- ${refs.held}: held since Mon 23 Nov 2026 by Daniel Khan`));
    assert.match(report, /1 of the held cases would otherwise be deleted in this period/);
    assertNoFreeText('the retention report', report.replace(/by Daniel Khan/, ''));
    // An admin handles no case: the count, not the reference.
    const admin = visibleText((await h.say(people.dpo, 'retention report'))[0]);
    assert.match(admin, /: 1 case\n- 1 more that only their handlers can see/);
    assert.ok(!admin.includes(refs.held));
    assert.equal(visibleText((await h.say(people.teacher, 'retention report'))[0]), 'The retention report is for DSLs, the Head and admins.');
  });

  it('on the expiry day deletes the closed case with its notes, keeps the held one, and two instances sweep once', async () => {
    clock.at('2051-11-23T03:00:00Z');
    second = await startLantern(readSettings(h.env), { log: () => undefined, startScheduler: false, modules: [incidentsModule, retentionModule] });
    await Promise.all([h.lantern.services.scheduler.runDue(), second.services.scheduler.runDue()]);
    const lines = await h.lantern.services.audit.history('retention', '2051-11-23');
    assert.equal(lines.filter((l) => l.action === 'retention.swept').length, 1, 'one sweep for the day across both instances');
    assert.equal(await exists('incidents', 'case', refs.closed), false);
    assert.deepEqual(await h.lantern.services.audit.history('incident', refs.closed), [], "the case's notes and chronology went with it");
    assert.deepEqual(await listPostedCards(tables(), 'incident', refs.closed), [], 'where its cards were posted goes with it');
    assert.ok((await listPostedCards(tables(), 'incident', refs.held)).length > 0, 'a kept case still knows its cards');
    for (const ref of [refs.held, refs.open, refs.closedLater]) assert.ok(await exists('incidents', 'case', ref), `${ref} should be kept`);
    assert.equal((swept(lines).keptUnderHold), 1);
    assert.deepEqual(lines.find((l) => l.action === 'retention.deleted')?.detail, { kind: 'cases', count: 1, from: '2026-11-23', to: '2026-11-23' });

    const [copy] = await archivedCases(tables());
    const kept = (c: IncidentCase) => [c.ref, c.status, c.category, c.section, c.urgency, c.subject, c.route, c.reportedAt, c.policeReferral, c.immediateDanger, c.facts.occurredOn, c.referrals.map((r) => [r.agency, r.at])];
    assert.deepEqual(kept(copy), kept(closedBefore));
    assertNoFreeText('the archived case', copy);
    const history = (await archivedCaseHistories(tables())).get(refs.closed)!;
    // The clock stands still within a step, so events of one moment come in any order: compare as sets.
    assert.deepEqual(history.map((e) => e.action).sort(), ['case.claimed', 'case.reported', 'case.routed', 'case.status-changed', 'case.status-changed']);
    assert.deepEqual(history.filter((e) => e.changes).map((e) => e.changes?.status?.to).sort(), ['Acknowledged', 'Closed', 'New', 'Referred']);
    assert.equal(history.find((e) => e.detail?.agency)?.detail?.agency, 'csc');
    assertNoFreeText('the archived chronology', history);
    assert.equal(await new RetentionLedger(tables()).total('cases', '2026', '11'), 1);
  });

  it('deletes the held case only after its hold is lifted', async () => {
    clock.at('2051-11-23T10:00:00Z');
    const released = await h.say(people.head, `release hold ${refs.held} The claim was settled`);
    assert.match(released[0].activity.text, /Legal hold lifted/);
    await sweepAt('2051-11-24T03:00:00Z');
    assert.equal(await exists('incidents', 'case', refs.held), false);
    assert.ok(await exists('incidents', 'case', refs.closedLater), 'closed in March 2027: kept until March 2052');
    assert.equal(await new RetentionLedger(tables()).total('cases'), 2);
    assert.equal((await archivedCases(tables())).length, 2);
  });

  it('leaves the termly report for the swept term as it was, figure by figure', async () => {
    const before = figuresBeforeSweep!;
    assert.ok(before.incidents.closed >= 2 && before.filtering.requests >= 1 && before.calls.planned >= 1, `the term had swept records to count: ${JSON.stringify(before)}`);
    const after = await reportFigures();
    // The open case, never acknowledged, has been escalated by the jobs that ran in 2051 beside the sweep:
    // that is the only change, and it is not the sweep's.
    const open = (await table<IncidentCase>('incidents').get('case', refs.open))!.value;
    const raised = open.escalationLevel ?? 0;
    assert.deepEqual(
      [after.incidents.escalatedCases, after.incidents.escalationSteps],
      [before.incidents.escalatedCases + (raised > 0 ? 1 : 0), before.incidents.escalationSteps + raised],
    );
    const withoutEscalation = (f: typeof after) => ({ ...f, incidents: { ...f.incidents, escalatedCases: 0, escalationSteps: 0 } });
    assert.deepEqual(withoutEscalation(after), withoutEscalation(before));
  });
});

function swept(lines: Array<{ action: string; detail?: Record<string, unknown> }>): { keptUnderHold: number } {
  return lines.find((l) => l.action === 'retention.swept')!.detail as { keptUnderHold: number };
}
