import assert from 'node:assert/strict';
import { addWorkingDays, bankHolidays, isSchoolDay, isWorkingDay, nextSchoolDay } from '../../bot/calendar';
import { buildWeekGrid } from '../../bot/tutoring/weekGrid';

describe('school calendar (working days, bank holidays, terms)', () => {
  const london = { nation: 'england' as const, timeZone: 'Europe/London' };

  it("takes each nation's bank holidays from date-holidays, not a typed list", () => {
    assert.ok(bankHolidays('england', 2027).has('2027-03-29'), 'Easter Monday in England');
    assert.ok(!bankHolidays('scotland', 2027).has('2027-03-29'), 'not in Scotland');
    assert.ok(bankHolidays('scotland', 2027).has('2027-01-04'), "2 January's substitute day in Scotland");
    assert.ok(bankHolidays('northern-ireland', 2027).has('2027-03-17'), "St Patrick's Day in Northern Ireland");
    assert.ok(!bankHolidays('wales', 2027).has('2027-03-17'));
    assert.ok(bankHolidays('wales', 2026).has('2026-12-28'), 'Boxing Day substitute');
  });

  it('counts working days past weekends and bank holidays, keeping the wall-clock time across the clock change', () => {
    assert.equal(addWorkingDays(new Date('2026-11-20T16:00:00Z'), 1, london).toISOString(), '2026-11-23T16:00:00.000Z', 'Friday → Monday');
    assert.equal(addWorkingDays(new Date('2026-12-24T15:30:00Z'), 1, london).toISOString(), '2026-12-29T15:30:00.000Z', 'Christmas Eve → the Tuesday after the Boxing Day substitute');
    assert.equal(addWorkingDays(new Date('2027-03-25T10:00:00Z'), 1, london).toISOString(), '2027-03-30T09:00:00.000Z', '10:00 GMT → 10:00 BST');
    assert.equal(addWorkingDays(new Date('2027-03-25T10:00:00Z'), 1, { ...london, nation: 'scotland' }).toISOString(), '2027-03-29T09:00:00.000Z');
    assert.equal(addWorkingDays(new Date('2026-11-23T16:00:07.250Z'), 2, london).toISOString(), '2026-11-25T16:00:07.250Z', 'seconds kept');
  });

  it('a school day is a working day inside a term; without term dates every working day counts', () => {
    const terms = { ...london, termDates: [{ start: '2026-09-03', end: '2026-12-16' }, { start: '2027-01-05', end: '2027-03-26' }] };
    assert.equal(isWorkingDay('2026-12-18', 'england'), true);
    assert.equal(isSchoolDay('2026-12-18', terms), false, 'Christmas holidays');
    assert.equal(isSchoolDay('2026-12-16', terms), true, 'last day of term');
    assert.equal(isSchoolDay('2026-12-18', london), true);
    assert.equal(isSchoolDay('2026-11-21', london), false, 'Saturday');
    assert.equal(nextSchoolDay('2026-12-17', terms), '2027-01-05');
  });

  it("the tutor week leaves out days the school is shut, so nobody is chased for them", () => {
    const groups = [{ name: '7A', tutor: 'cshaw' }];
    const week = '2027-03-22';
    const shut = (d: string) => isSchoolDay(d, london);
    const grid = buildWeekGrid(week, groups as never, ['Monday', 'Thursday', 'Friday'], [], '2027-03-28', (r) => r, shut);
    assert.deepEqual(grid.days.map((d) => d.date), ['2027-03-22', '2027-03-25'], 'Good Friday is not a session day');
    assert.deepEqual(grid.missing.map((m) => m.date), ['2027-03-22', '2027-03-25']);
    const easter = buildWeekGrid('2027-03-29', groups as never, ['Monday'], [], '2027-04-02', (r) => r, shut);
    assert.deepEqual(easter.missing, [], 'Easter Monday is not missing');
  });
});
