import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { EXAMPLE_CONFIG, validateConfig } from '../../bot/config/loadSchoolConfig';
import { Roster } from '../../bot/config/roster';
import { assessCall } from '../../bot/calls/callRules';
import { callSettingsSchema, type CallSettings } from '../../bot/calls/callSettings';
import { nextWeekly, weekStart, zonedInstant } from '../../bot/calendar/schoolTime';
import { checkCallSettings } from '../../bot/calls/settingsCheck';
import { checkTutoringSettings } from '../../bot/tutoring/settingsCheck';
import { tutoringSettingsSchema, type TutoringSettings } from '../../bot/tutoring/tutoringSettings';
import { readTutorForm } from '../../bot/tutoring/tutorLogForm';
import { settingsBlocks } from '../../bot/capabilities';
import { callsModule } from '../../bot/calls';
import { tutoringModule } from '../../bot/tutoring';

const schemas = settingsBlocks([tutoringModule, callsModule]);
const exampleRaw = () => YAML.parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as Record<string, unknown>;
const example = validateConfig(exampleRaw(), 'example', schemas);
const roster = new Roster(example.school);
const defaults = example.settings.calls as CallSettings;

describe('school time (Europe/London)', () => {
  it('converts school clock times to instants in GMT and in BST', () => {
    assert.equal(zonedInstant('2026-11-27', '15:30', 'Europe/London').toISOString(), '2026-11-27T15:30:00.000Z');
    assert.equal(zonedInstant('2026-06-19', '15:30', 'Europe/London').toISOString(), '2026-06-19T14:30:00.000Z');
  });

  it('finds the next weekly time across the October clock change', () => {
    assert.equal(nextWeekly(new Date('2026-10-23T13:00:00Z'), 'Friday', '15:30', 'Europe/London').toISOString(), '2026-10-23T14:30:00.000Z');
    assert.equal(nextWeekly(new Date('2026-10-23T14:30:00Z'), 'Friday', '15:30', 'Europe/London').toISOString(), '2026-10-30T15:30:00.000Z');
    assert.equal(nextWeekly(new Date('2026-03-27T15:30:00Z'), 'Friday', '15:30', 'Europe/London').toISOString(), '2026-04-03T14:30:00.000Z');
  });

  it('keys weeks by their Monday', () => {
    assert.equal(weekStart('2026-11-29'), '2026-11-23');
    assert.equal(weekStart('2026-11-23'), '2026-11-23');
  });
});

describe('the 1-1 call rule table', () => {
  const ask = (kind: 'video' | 'audio' | 'phone', purpose: string, section: string, settings = defaults) => assessCall(settings, { kind, purpose, section });

  it('allows listed purposes without permission', () => {
    const r = ask('video', 'learning-enrichment', 'Senior');
    assert.equal(r.verdict, 'allowed');
    assert.deepEqual(r.requirements, ['Book the call in your Teams calendar.', 'Add the head of department to the booking as an optional attendee.']);
    assert.equal(ask('audio', 'report-reading', 'Prep').verdict, 'allowed');
  });

  it('needs the right deputy head for academic and exceptional pastoral video calls', () => {
    assert.equal(ask('video', 'academic-reason', 'Senior').permission, 'deputy-head-academic');
    const pastoral = ask('video', 'exceptional-pastoral', 'Pre-Prep');
    assert.equal(pastoral.verdict, 'needs-permission');
    assert.equal(pastoral.permission, 'deputy-head-pastoral');
    assert.ok(pastoral.pastoral);
    assert.ok(pastoral.requirements.some((t) => /parents/.test(t)));
  });

  it('refuses purposes outside their call types or sections', () => {
    assert.equal(ask('video', 'mfl-conversation', 'Prep').verdict, 'not-allowed');
    assert.equal(ask('video', 'mfl-conversation', 'Senior').verdict, 'allowed');
    assert.equal(ask('video', 'counselling', 'Senior').verdict, 'not-allowed');
    assert.equal(ask('phone', 'learning-enrichment', 'Senior').verdict, 'not-allowed');
    assert.equal(ask('audio', 'gaming', 'Senior').verdict, 'not-allowed');
  });

  it('follows a school\'s own table from its configuration, not the code', () => {
    const own = callSettingsSchema.parse({
      rules: [{ purpose: 'music-lesson', label: 'Music lesson', kinds: ['video'], sections: ['Prep'], permission: 'deputy-head-pastoral' }],
      tellParentsInSections: [],
      headOfDepartmentOptional: false,
    });
    const r = ask('video', 'music-lesson', 'Prep', own);
    assert.equal(r.verdict, 'needs-permission');
    assert.deepEqual(r.requirements.slice(1), ['Book the call in your Teams calendar.']);
    assert.equal(ask('video', 'learning-enrichment', 'Senior', own).verdict, 'not-allowed');
  });
});

describe('tutoring and calls configuration', () => {
  it('the example school sets up tutoring and calls in its own file, valid against its people and sections', () => {
    assert.deepEqual(example.notSetUp, []);
    const tutoring = example.settings.tutoring as TutoringSettings;
    assert.deepEqual(tutoring.tutorGroups.map((g) => g.name), ['9B', '10A', '11C']);
    assert.deepEqual(checkTutoringSettings(tutoring, roster), []);
    assert.deepEqual(checkCallSettings(defaults, roster), []);
    assert.deepEqual(defaults.tellParentsInSections, ['Pre-Prep', 'Prep']);
  });

  it('names each bad field', () => {
    const raw = { ...exampleRaw(), tutoring: { tutorGroups: [{ name: '9B', tutor: 'not a person', section: 'Senior' }, { name: '9b', tutor: 'cshaw', section: 'Senior' }], weeklySummary: { time: '25:00' } }, calls: { rules: [{ purpose: 'x', label: 'X', kinds: ['fax'] }] } };
    assert.throws(() => validateConfig(raw, 'school.yaml', schemas), (err: Error) => {
      assert.match(err.message, /tutoring\.tutorGroups\[0\]\.tutor: a person id from `people` or an email address/);
      assert.match(err.message, /tutoring\.tutorGroups\[1\]\.name: "9b" is listed twice/);
      assert.match(err.message, /tutoring\.weeklySummary\.time: a 24-hour time/);
      assert.match(err.message, /calls\.rules\[0\]\.kinds\[0\]/);
      return true;
    });
    const settings = tutoringSettingsSchema.parse({ tutorGroups: [{ name: '7A', tutor: 'nobody', section: 'Sixth Form' }] });
    assert.deepEqual(checkTutoringSettings(settings, roster), [
      'tutoring.tutorGroups[0].tutor: "nobody" is not listed in people (use a person id or an email address)',
      'tutoring.tutorGroups[0].section: "Sixth Form" is not one of the school\'s sections',
    ]);
    assert.deepEqual(checkCallSettings(callSettingsSchema.parse({ tellParentsInSections: ['Infants'] }), roster), ['calls.tellParentsInSections[0]: "Infants" is not one of the school\'s sections']);
  });
});

describe('the tutor session form', () => {
  const ok = { group: '9b', date: '2026-11-25', time: '08:45', mode: 'audio', attended: '', absentees: 'A.B.', topic: 'Charity week', concern: 'true' };
  it('accepts a complete session, matching the group case-insensitively', () => {
    assert.deepEqual(readTutorForm(ok, ['9B'], '2026-11-25'), { session: { group: '9B', date: '2026-11-25', time: '08:45', mode: 'audio', attended: undefined, absentees: 'A.B.', topic: 'Charity week', concern: true } });
  });
  it('refuses future dates, unknown groups and impossible attendance', () => {
    const r = readTutorForm({ ...ok, group: '12Z', date: '2026-11-26', attended: '61', mode: 'carrier pigeon' }, ['9B'], '2026-11-25');
    assert.ok('form' in r);
    assert.deepEqual(Object.keys(r.form.errors).sort(), ['attendance', 'date', 'group', 'mode']);
    assert.equal(r.form.values.group, '12Z');
  });
});

