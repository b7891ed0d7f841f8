import assert from 'node:assert/strict';
import { termFigures, type ReportRules } from '../../bot/report/termFigures';
import { AT_LEAST, FEWER_THAN, guardedBreakdown } from '../../bot/report/smallCounts';
import { chooseRange, namedTerms } from '../../bot/report/reportRange';
import { mergeRecords } from '../../bot/report/reportRecords';
import { reportView, NO_ROUNDS } from '../../bot/report/reportView';
import { aCall, aCase, aCheck, aRequest, aRound, aTutorLog, records, seededCases } from './seedRecords';

const TERMS = namedTerms([
  { start: '2026-09-03', end: '2026-12-16' },
  { start: '2026-04-13', end: '2026-07-09' },
  { start: '2027-01-05', end: '2027-03-26' },
]);
const AUTUMN = { from: '2026-09-03', to: '2026-12-16', label: 'Autumn term 2026' };

function rules(over: Partial<ReportRules> = {}): ReportRules {
  return {
    calendar: { nation: 'england', timeZone: 'Europe/London', termDates: TERMS },
    acknowledgeWithinMinutes: { P0: 15, P1: 60, P2: 240, P3: 1440 },
    filterCheckEveryDays: 28,
    now: new Date('2026-12-17T09:00:00Z'),
    ...over,
  };
}

describe('termly report figures (bot/report/termFigures.ts)', () => {
  it('counts a seeded term figure by figure, leaving out records outside it', () => {
    const f = termFigures(records({ cases: seededCases() }), AUTUMN, rules()).incidents;
    assert.equal(f.total.shown, '14');
    assert.equal(f.brokenDown, true);
    const shown = (b: typeof f.byCategory) => Object.fromEntries(b.rows.map((r) => [r.key, r.count.shown]));
    assert.deepEqual(shown(f.byCategory), { 'inappropriate-accidental': '5', cyberbullying: '6', grooming: FEWER_THAN, 'data-breach': FEWER_THAN });
    assert.deepEqual(shown(f.bySection), { 'Pre-Prep': '5', Prep: FEWER_THAN, Senior: '6', none: FEWER_THAN });
    // One small urgency (P1: 2) would follow from the total: the next smallest (P2: 6, first of the tie) is hidden too.
    assert.deepEqual(shown(f.byUrgency), { P1: FEWER_THAN, P2: AT_LEAST, P3: '6' });
    assert.equal(f.open, 10);
    assert.equal(f.closed, 4);
    assert.equal(f.escalatedCases, 2);
    assert.equal(f.escalationSteps, 3);
    // Within: 5 cyberbullying (30 min ≤ 240), 1 grooming (30 ≤ 60), data breach (100 ≤ 1440), 5 accidental (60 ≤ 1440).
    assert.equal(f.acknowledgement.withinTarget, 12);
    assert.equal(f.acknowledgement.missed, 2, 'one acknowledged late (300 > 240), one never acknowledged and overdue');
    assert.equal(f.acknowledgement.notYetDue, 0);
    assert.equal(f.acknowledgement.withinTargetPercent, 86);
    assert.equal(f.acknowledgement.medianMinutes, 60, '30 ×6, 60 ×5, 100, 300: the 7th of 13');
    const target = (u: string) => f.acknowledgement.byUrgency.find((x) => x.urgency === u)!;
    assert.equal(target('P3').withinTargetPercent, 100, 'data breach in 100 min and 5 accidental in 60, all within 1440');
    assert.equal(target('P3').cases.shown, '6');
    assert.equal(target('P1').withinTargetPercent, undefined, 'two P1 cases: no share is shown');
    assert.equal(target('P2').cases.shown, AT_LEAST, 'the urgency breakdown hides P2 beside P1, and so does this table');
    assert.equal(target('P2').withinTargetPercent, undefined, '5 of 6 would give the hidden 6 away');
    assert.deepEqual(Object.fromEntries(f.referrals.rows.map((r) => [r.key, r.count.shown])), { police: FEWER_THAN, csc: FEWER_THAN, lado: '0', ceop: '0', iwf: '0' });
    assert.equal(f.referrals.total.shown, FEWER_THAN);
  });

  it('counts a case still inside its target as not yet due, and a young unacknowledged one is not a miss', () => {
    const c = aCase('INC-2026-090', { reportedAt: '2026-12-16T15:00:00.000Z', urgency: 'P3' });
    const f = termFigures(records({ cases: [c] }), AUTUMN, rules({ now: new Date('2026-12-16T16:00:00Z') })).incidents;
    assert.equal(f.acknowledgement.notYetDue, 1);
    assert.equal(f.acknowledgement.missed, 0);
  });

  it('breaks nothing down when a term has 1 to 4 incidents', () => {
    const cases = seededCases().filter((c) => c.category === 'grooming');
    const f = termFigures(records({ cases }), AUTUMN, rules()).incidents;
    assert.equal(f.brokenDown, false);
    assert.equal(f.total.shown, FEWER_THAN);
  });

  it('counts filter changes by kind, outcomes, overdue reviews, never-allow attempts and checks', () => {
    const requests = [
      aRequest('FLT-2026-0001', { requestedAt: '2026-09-10T10:00:00Z', details: { duration: 'temporary', endDate: '2026-12-01' }, reviewDate: '2027-01-10' }),
      aRequest('FLT-2026-0002', { requestedAt: '2026-09-11T10:00:00Z', details: { duration: 'temporary', endDate: '2027-01-30' }, status: 'ended' }),
      aRequest('FLT-2026-0003', { requestedAt: '2026-09-12T10:00:00Z', details: { duration: 'temporary', endDate: '2027-01-30' }, status: 'declined' }),
      aRequest('FLT-2026-0004', { requestedAt: '2026-10-01T10:00:00Z', reviewDate: '2026-11-01' }),
      aRequest('FLT-2026-0005', { requestedAt: '2026-10-02T10:00:00Z', details: { change: 'block' }, reviewDate: '2027-02-01' }),
      aRequest('FLT-2026-0006', { requestedAt: '2026-10-03T10:00:00Z', details: { change: 'block' }, status: 'in-progress' }),
      // Asked for in the summer and never reviewed: overdue now, though not this term's request.
      aRequest('FLT-2026-0000', { requestedAt: '2026-06-01T10:00:00Z', reviewDate: '2026-07-01' }),
    ];
    const rec = records({
      filterRequests: requests,
      filterChecks: [aCheck('2026-09-20'), aCheck('2026-11-20', 'partly'), aCheck('2026-08-30')],
      neverAllowAttempts: [
        { id: 'a', at: '2026-09-15T10:00:00Z' },
        { id: 'b', at: '2026-10-15T10:00:00Z' },
        { id: 'c', at: '2026-12-20T10:00:00Z' },
      ],
    });
    const f = termFigures(rec, AUTUMN, rules()).filtering;
    assert.equal(f.requests, 6);
    assert.deepEqual(Object.fromEntries(f.byKind.rows.map((r) => [r.key, r.count.value])), { 'temporary-unblock': 3, 'permanent-unblock': 1, 'temporary-block': 0, 'permanent-block': 2 });
    assert.equal(f.declined, 1);
    assert.equal(f.inForce, 3);
    assert.equal(f.ended, 1);
    assert.equal(f.inProgress, 1);
    assert.equal(f.reviewsOverdue, 3, 'FLT-0001 past its end date, FLT-0004 past its review, FLT-0000 from the summer');
    assert.equal(f.neverAllowAttempts, 2);
    assert.equal(f.checksDone, 2);
    assert.equal(f.checksDue, 3, '105 days at one check per 28');
    assert.equal(f.checksWithGaps, 1);
  });

  it('measures tutor-log completeness on school days only, up to the end of the range', () => {
    const range = { from: '2026-11-02', to: '2026-11-13', label: 'two weeks' };
    const logs = [
      ...['2026-11-02', '2026-11-04', '2026-11-09', '2026-11-11'].map((d, i) => aTutorLog(`${d}.a${i}`, '9A', d, d <= '2026-11-08' ? '2026-11-02' : '2026-11-09')),
      aTutorLog('2026-11-02.b1', '9B', '2026-11-02', '2026-11-02'),
      aTutorLog('2026-11-09.b2', '9B', '2026-11-11', '2026-11-09'),
      aTutorLog('2026-11-16.b3', '9B', '2026-11-16', '2026-11-16'),
    ];
    const t = termFigures(records({ tutorLogs: logs }), range, rules({ tutoring: { groups: ['9A', '9B'], sessionDays: ['Monday', 'Wednesday'] } })).tutorLogs;
    assert.deepEqual(t, { setUp: true, expected: 8, logged: 6, missing: 2, percent: 75 });
    const during = termFigures(records({ tutorLogs: logs }), range, rules({ now: new Date('2026-11-05T12:00:00Z'), tutoring: { groups: ['9A', '9B'], sessionDays: ['Monday', 'Wednesday'] } })).tutorLogs;
    assert.deepEqual(during, { setUp: true, expected: 4, logged: 3, missing: 1, percent: 75 }, 'days after today are not yet due');
    assert.equal(termFigures(records({}), range, rules()).tutorLogs.setUp, false);
  });

  it('counts 1-1 call permissions asked for in the range', () => {
    const calls = [aCall('CALL-20261001-000001', '2026-10-01T10:00:00Z'), aCall('CALL-20261002-000002', '2026-10-02T10:00:00Z', 'approved'), aCall('CALL-20261003-000003', '2026-10-03T10:00:00Z', 'approved'), aCall('CALL-20261004-000004', '2026-10-04T10:00:00Z', 'waiting'), aCall('CALL-20260601-000005', '2026-06-01T10:00:00Z', 'declined')];
    assert.deepEqual(termFigures(records({ calls }), AUTUMN, rules()).calls, { planned: 4, needingPermission: 3, approved: 2, declined: 0, awaiting: 1, held: 0 });
  });

  it('counts policy acknowledgement rounds open in the term, as they stood at its end', () => {
    const rounds = [
      // Summer's round still open in the autumn: one on time in May, one late in September.
      aRound('c-safety-r1', { title: 'Online Safety Policy', openedAt: '2026-05-01T09:00:00Z', due: '2026-05-31' }, [['sent', '2026-05-20T10:00:00Z'], ['sent', '2026-09-10T10:00:00Z']]),
      aRound('c-aup-r1', { openedAt: '2026-09-05T09:00:00Z', due: '2026-09-30', closedAt: '2026-10-10T09:00:00Z' }, [
        ['sent', '2026-09-20T10:00:00Z'],
        ['sent', '2026-09-30T22:30:00Z'], // 23:30 on the due date, London time: on time
        ['sent', '2026-09-30T23:30:00Z'], // 00:30 the day after in London: late
        ['sent'],
        ['failed'],
        ['failed', '2026-10-05T10:00:00Z'], // reached some other way and acknowledged: late, not "not reached"
      ]),
      aRound('c-aup-r2', { version: 'v2', openedAt: '2026-10-10T09:00:00Z', due: '2026-11-30' }, [['sent', '2026-11-01T10:00:00Z'], ['sent', '2026-12-10T10:00:00Z'], ['sent', '2026-12-20T10:00:00Z'], ['queued'], ['sent']]),
      // Outside the term: superseded before it began, and opened after it ended.
      aRound('c-code-r1', { title: 'Code of Conduct', openedAt: '2026-06-01T09:00:00Z', due: '2026-06-20', closedAt: '2026-07-01T09:00:00Z' }, [['sent']]),
      aRound('c-code-r2', { title: 'Code of Conduct', openedAt: '2026-12-17T09:00:00Z', due: '2027-01-20' }, [['sent']]),
    ];
    const now = new Date('2026-12-21T09:00:00Z');
    const figures = termFigures(records({ acknowledgementRounds: rounds }), AUTUMN, rules({ now }));
    const a = figures.acknowledgements;
    assert.equal(a.asOf, '2026-12-16');
    const row = (r: (typeof a.rounds)[number]) => [r.title, r.number, r.required, r.onTime, r.late, r.outstanding, r.notReached, r.percent];
    assert.deepEqual(a.rounds.map(row), [
      ['Online Safety Policy', 1, 2, 1, 1, 0, 0, 100],
      ['Staff Acceptable Use Policy', 1, 6, 2, 2, 1, 1, 67],
      // The acknowledgement of 20 Dec came after the term: outstanding at its end, as is the card still queued.
      ['Staff Acceptable Use Policy', 2, 5, 1, 1, 3, 0, 40],
    ]);
    assert.deepEqual(a.total, { required: 13, onTime: 4, late: 4, outstanding: 4, notReached: 1, percent: 62 });
    const during = termFigures(records({ acknowledgementRounds: rounds }), AUTUMN, rules({ now: new Date('2026-11-15T12:00:00Z') })).acknowledgements;
    assert.equal(during.asOf, '2026-11-15');
    assert.deepEqual(during.rounds.map(row)[2], ['Staff Acceptable Use Policy', 2, 5, 1, 0, 4, 0, 20], 'while the term runs, as at today');

    const section = reportView(figures, [], 'School', 'Europe/London').sections.find((s) => s.id === 'acknowledgements')!;
    assert.deepEqual(section.tables[0].rows, [['Rounds open in the period', '3'], ['People required', '13'], ['Acknowledged by the due date', '4'], ['Acknowledged late', '4'], ['Outstanding', '4'], ['Not reached in Teams', '1'], ['Share acknowledged', '62%']]);
    assert.deepEqual(section.tables[1].rows[1], ['Staff Acceptable Use Policy (round 1, due Wed 30 Sep 2026)', '6', '2', '2', '1', '1', '67%']);
    const none = reportView(termFigures(records({}), AUTUMN, rules()), [], 'School', 'Europe/London').sections.find((s) => s.id === 'acknowledgements')!;
    assert.deepEqual([none.tables, none.notes], [[], [NO_ROUNDS]], 'a school that never ran a campaign is told so, not shown zeros');
  });

  it('reads no free-text field: the same records with their text blanked or filled give the same figures', () => {
    const cases = seededCases();
    const filled = cases.map((c) => ({ ...c, closeReason: 'closed because', facts: { ...c.facts, description: 'A long account', pupilName: 'Jamie Smith', childsWords: 'words' }, referrals: c.referrals.map((r) => ({ ...r, reference: 'REF-123' })) }));
    assert.deepEqual(termFigures(records({ cases: filled }), AUTUMN, rules()), termFigures(records({ cases }), AUTUMN, rules()));
  });

  it('counts a record found in two sources once, as the first source holds it', () => {
    const live = aCase('INC-2026-500', { reportedAt: '2026-10-01T10:00:00Z', status: 'closed' });
    const archived = { ...live, status: 'new' as const };
    const merged = mergeRecords([{ cases: [live] }, { cases: [archived, aCase('INC-2025-001', { reportedAt: '2025-10-01T10:00:00Z' })] }]);
    assert.deepEqual(merged.cases.map((c) => [c.ref, c.status]), [['INC-2026-500', 'closed'], ['INC-2025-001', 'new']]);
  });
});

describe('small counts (bot/report/smallCounts.ts)', () => {
  it('hides 1 to 4, shows 0 and 5 or more, and hides one more beside a lone small count', () => {
    const b = guardedBreakdown([{ key: 'a', label: 'A', value: 0 }, { key: 'b', label: 'B', value: 4 }, { key: 'c', label: 'C', value: 9 }, { key: 'd', label: 'D', value: 5 }], true);
    assert.deepEqual(b.rows.map((r) => r.count.shown), ['0', FEWER_THAN, '9', AT_LEAST]);
    assert.equal(b.total.shown, '18');
    const two = guardedBreakdown([{ key: 'b', label: 'B', value: 1 }, { key: 'c', label: 'C', value: 2 }, { key: 'd', label: 'D', value: 7 }]);
    assert.deepEqual(two.rows.map((r) => r.count.shown), [FEWER_THAN, FEWER_THAN, '7'], 'two small counts cannot be told apart from the total');
  });
});

describe('report periods (bot/report/reportRange.ts)', () => {
  it('names terms by season and finds them by name, dates or today', () => {
    assert.deepEqual(TERMS.map((t) => t.name), ['Summer term 2026', 'Autumn term 2026', 'Spring term 2027']);
    const pick = (text: string, today = '2026-11-20') => {
      const c = chooseRange(text, TERMS, today);
      return c.ok ? [c.range.from, c.range.to, c.range.label] : c.message;
    };
    assert.deepEqual(pick(''), ['2026-09-03', '2026-12-16', 'Autumn term 2026']);
    assert.deepEqual(pick('', '2026-12-20'), ['2026-09-03', '2026-12-16', 'Autumn term 2026'], 'in the holidays: the term just ended');
    assert.deepEqual(pick('summer 2026'), ['2026-04-13', '2026-07-09', 'Summer term 2026']);
    assert.deepEqual(pick('Spring term 2027'), ['2027-01-05', '2027-03-26', 'Spring term 2027']);
    assert.deepEqual(pick('2026-10-01 2026-10-31'), ['2026-10-01', '2026-10-31', '2026-10-01 to 2026-10-31']);
    assert.deepEqual(pick('2026-09-03 to 2026-12-16'), ['2026-09-03', '2026-12-16', 'Autumn term 2026'], "a term's own dates are that term");
    assert.match(String(pick('2026-10-31 2026-10-01')), /is after/);
    assert.match(String(pick('2026-13-01 2026-10-01')), /YYYY-MM-DD/);
    assert.match(String(pick('winter 2026')), /not a term I know.*summer 2026, autumn 2026, spring 2027/);
    assert.match(String((chooseRange('', [], '2026-11-20') as { message: string }).message), /No term dates/);
  });
});
