import assert from 'node:assert/strict';
import { CATEGORIES, categoryById, SUBJECTS, type Category } from '../../bot/incidents/categories';
import { incidentSettingsSchema } from '../../bot/incidents/settings';
import { acknowledgeBy, addWorkingDays, URGENCY_LABELS, urgencyOf } from '../../bot/incidents/triage';

/** The urgency of each category when the report is about a pupil, someone outside or nobody known. */
const URGENCY_NOT_ABOUT_STAFF: Record<string, string> = {
  'inappropriate-accidental': 'P3',
  'inappropriate-deliberate': 'P2',
  cyberbullying: 'P2',
  grooming: 'P1',
  'indecent-image': 'P1',
  'obscene-to-child': 'P1',
  extremism: 'P1',
  'terrorist-racist': 'P1',
  'filter-bypass': 'P2',
  'staff-misuse': 'P1',
  'threat-online': 'P2',
  'abuse-of-staff': 'P2',
  'data-breach': 'P2',
  other: 'P3',
};

describe('rules: the urgency of every category and subject', () => {
  it('has pinned an urgency for every category there is', () => {
    assert.deepEqual(CATEGORIES.map((c) => c.id), Object.keys(URGENCY_NOT_ABOUT_STAFF));
  });

  for (const subject of ['pupil', 'outside', 'unknown'] as const) {
    it(`grades each category about ${subject === 'unknown' ? 'nobody known' : `a ${subject === 'pupil' ? 'pupil' : 'person outside school'}`}`, () => {
      const got = Object.fromEntries(CATEGORIES.map((c) => [c.id, urgencyOf(c, subject, false)]));
      assert.deepEqual(got, URGENCY_NOT_ABOUT_STAFF);
    });
  }

  it('grades everything about a member of staff or the Head P1, so the LADO clock starts', () => {
    for (const c of CATEGORIES) {
      assert.equal(urgencyOf(c, 'staff', false), 'P1', c.id);
      assert.equal(urgencyOf(c, 'head', false), 'P1', c.id);
    }
  });

  it('grades anything with a child in immediate danger P0, whatever the category and subject', () => {
    for (const c of CATEGORIES) for (const { id } of SUBJECTS) assert.equal(urgencyOf(c, id, true), 'P0', `${c.id} / ${id}`);
  });

  it('never lets extremism fall to routine, and grades it by its id, not a flag', () => {
    const extremism = categoryById('extremism')!;
    assert.deepEqual([extremism.illegal, extremism.route], [false, 'dsl'], 'nothing else about extremism makes it P1');
    assert.equal(urgencyOf(extremism, 'pupil', false), 'P1');
  });

  it('grades by the category\'s nature: illegal or staff-routed is P1, an unknown harmless one P3', () => {
    const made = (over: Partial<Category>): Category => ({ id: 'made-up', label: 'Made up', illegal: false, route: 'dsl', ...over });
    assert.equal(urgencyOf(made({ illegal: true }), 'pupil', false), 'P1');
    assert.equal(urgencyOf(made({ route: 'staff' }), 'pupil', false), 'P1');
    assert.equal(urgencyOf(made({ route: 'data' }), 'pupil', false), 'P3', 'only the data-breach category itself is P2');
    assert.equal(urgencyOf(made({ route: 'filter' }), 'pupil', false), 'P3');
    assert.equal(urgencyOf(made({}), 'pupil', false), 'P3');
  });

  it('labels each urgency for people', () => {
    assert.deepEqual(URGENCY_LABELS, { P0: 'P0 — immediate danger', P1: 'P1 — urgent', P2: 'P2 — today', P3: 'P3 — routine' });
  });
});

describe('rules: acknowledgement deadlines and working days', () => {
  const at = new Date('2026-11-20T10:00:00.000Z');

  it('gives each urgency its default time to acknowledge: 15 minutes, an hour, four hours, a day', () => {
    const settings = incidentSettingsSchema.parse({});
    assert.deepEqual((['P0', 'P1', 'P2', 'P3'] as const).map((u) => acknowledgeBy(at, u, settings).toISOString()), [
      '2026-11-20T10:15:00.000Z',
      '2026-11-20T11:00:00.000Z',
      '2026-11-20T14:00:00.000Z',
      '2026-11-21T10:00:00.000Z',
    ]);
  });

  it('uses the school\'s own minutes when configured', () => {
    const settings = incidentSettingsSchema.parse({ acknowledgeWithinMinutes: { P0: 1, P3: 90 } });
    assert.equal(acknowledgeBy(at, 'P0', settings).toISOString(), '2026-11-20T10:01:00.000Z');
    assert.equal(acknowledgeBy(at, 'P3', settings).toISOString(), '2026-11-20T11:30:00.000Z');
  });

  it('counts working days Monday to Friday, keeping the time of day', () => {
    // 23-27 November 2026 is an ordinary week in every UK nation (no bank holiday).
    const cases: Array<[string, number, string]> = [
      ['2026-11-23T09:30:00.000Z', 1, '2026-11-24T09:30:00.000Z'], // Monday → Tuesday
      ['2026-11-26T09:30:00.000Z', 1, '2026-11-27T09:30:00.000Z'], // Thursday → Friday
      ['2026-11-27T16:00:00.000Z', 1, '2026-11-30T16:00:00.000Z'], // Friday → Monday
      ['2026-11-28T12:00:00.000Z', 1, '2026-11-30T12:00:00.000Z'], // Saturday → Monday
      ['2026-11-29T12:00:00.000Z', 1, '2026-11-30T12:00:00.000Z'], // Sunday → Monday
      ['2026-11-26T09:30:00.000Z', 2, '2026-11-30T09:30:00.000Z'], // Thursday + 2 → Monday
      ['2026-11-23T09:30:00.000Z', 5, '2026-11-30T09:30:00.000Z'], // a full week
      ['2026-11-23T09:30:00.000Z', 0, '2026-11-23T09:30:00.000Z'], // none: unchanged
    ];
    for (const [from, days, expected] of cases) assert.equal(addWorkingDays(new Date(from), days).toISOString(), expected, `${from} + ${days}`);
  });

  it('does not change the date it was given', () => {
    const from = new Date('2026-11-27T16:00:00.000Z');
    addWorkingDays(from, 3);
    assert.equal(from.toISOString(), '2026-11-27T16:00:00.000Z');
  });
});
