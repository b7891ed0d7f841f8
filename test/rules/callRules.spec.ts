import assert from 'node:assert/strict';
import { assessCall, permissionHolderName, type CallQuestion } from '../../bot/calls/callRules';
import { CALL_KINDS, callSettingsSchema, type CallKind, type CallSettings } from '../../bot/calls/callSettings';
import { exampleCallSettings } from './school';

// Every outcome of the 1-1 call rule table, with the example school's rules (the reference policy's,
// written out in its `calls:` block) unless a test gives the school's own.

const defaults: CallSettings = exampleCallSettings();
const ask = (kind: CallKind, purpose: string, section: string, settings = defaults, extra: Partial<CallQuestion> = {}) => assessCall(settings, { kind, purpose, section, ...extra });
const rule = (purpose: string) => defaults.rules.find((r) => r.purpose === purpose)!;

const BOOK = 'Book the call in your Teams calendar.';
const BOOK_PHONE = 'Book the call in your Teams calendar, even though it is by phone.';
const HOD = 'Add the head of department to the booking as an optional attendee.';
const parents = (section: string) => `Tell the pupil's parents about the call in advance (${section} pupil).`;
const WITHHOLD = 'Withhold your number when you ring.';
const NOTE = 'After the call, write the secure note in Lantern (type **log a call**).';
const permission = (who: string) => `Get advance permission from ${who}: Lantern has sent them the request, and will tell you their answer.`;

/** Verdict for [video, audio, phone] in Senior, Prep and Pre-Prep alike, unless `sections` says otherwise. */
const TABLE: Record<string, { video: string; audio: string; phone: string; seniorOnly?: boolean }> = {
  'learning-enrichment': { video: 'allowed', audio: 'not-allowed', phone: 'not-allowed' },
  'mfl-conversation': { video: 'allowed', audio: 'not-allowed', phone: 'not-allowed', seniorOnly: true },
  'academic-reason': { video: 'needs-permission', audio: 'not-allowed', phone: 'not-allowed' },
  'exceptional-pastoral': { video: 'needs-permission', audio: 'not-allowed', phone: 'not-allowed' },
  'pastoral-catch-up': { video: 'not-allowed', audio: 'allowed', phone: 'allowed' },
  counselling: { video: 'not-allowed', audio: 'allowed', phone: 'allowed' },
  'ke-ee-meeting': { video: 'not-allowed', audio: 'allowed', phone: 'allowed' },
  'university-applications': { video: 'not-allowed', audio: 'allowed', phone: 'allowed' },
  'report-reading': { video: 'not-allowed', audio: 'allowed', phone: 'allowed' },
  'academic-support': { video: 'not-allowed', audio: 'allowed', phone: 'allowed' },
  'other-school-matters': { video: 'not-allowed', audio: 'allowed', phone: 'allowed' },
};

describe('rules: every outcome of the 1-1 call table', () => {
  it('gives the pinned verdict for every purpose, kind and section', () => {
    assert.deepEqual(defaults.rules.map((r) => r.purpose), Object.keys(TABLE));
    for (const [purpose, row] of Object.entries(TABLE)) {
      for (const kind of CALL_KINDS) {
        for (const section of ['Senior', 'Prep', 'Pre-Prep']) {
          const expected = row.seniorOnly && section !== 'Senior' ? 'not-allowed' : row[kind];
          assert.equal(ask(kind, purpose, section).verdict, expected, `${purpose} / ${kind} / ${section}`);
        }
      }
    }
  });

  it('refuses a purpose not on the list, with nothing else', () => {
    assert.deepEqual(ask('audio', 'gaming', 'Senior'), { verdict: 'not-allowed', refusal: 'That purpose is not on the school\'s list for 1-1 calls.', pastoral: false, requirements: [] });
  });

  it('refuses the wrong kind of call, naming the kinds allowed', () => {
    assert.deepEqual(ask('video', 'counselling', 'Senior'), { verdict: 'not-allowed', rule: rule('counselling'), refusal: 'Counselling is not a purpose allowed for a 1-1 video call: the school allows it by audio or phone only.', pastoral: true, requirements: [] });
    assert.equal(ask('audio', 'learning-enrichment', 'Senior').refusal, 'Learning enrichment is not a purpose allowed for a 1-1 audio call: the school allows it by video only.');
    assert.deepEqual(ask('phone', 'exceptional-pastoral', 'Senior'), { verdict: 'not-allowed', rule: rule('exceptional-pastoral'), refusal: 'Exceptional pastoral circumstances is not a purpose allowed for a 1-1 phone call: the school allows it by video only.', pastoral: true, requirements: [] });
    assert.equal(ask('phone', 'mfl-conversation', 'Prep').refusal, 'MFL conversation practice is not a purpose allowed for a 1-1 phone call: the school allows it by video only.', 'the kind is checked before the section');
  });

  it('refuses a call for a pupil outside the rule\'s sections, naming them', () => {
    assert.deepEqual(ask('video', 'mfl-conversation', 'Prep'), { verdict: 'not-allowed', rule: rule('mfl-conversation'), refusal: 'MFL conversation practice calls are allowed only for pupils in Senior, not Prep.', pastoral: false, requirements: [] });
    assert.equal(ask('video', 'mfl-conversation', 'senior').verdict, 'allowed', 'sections match whatever their case');
    const own = callSettingsSchema.parse({ rules: [{ purpose: 'music', label: 'Music', kinds: ['video'], sections: ['Prep', 'Senior'] }], tellParentsInSections: [] });
    assert.equal(ask('video', 'music', 'Pre-Prep', own).refusal, 'Music calls are allowed only for pupils in Prep, Senior, not Pre-Prep.');
    assert.equal(ask('video', 'music', 'SENIOR', own).verdict, 'allowed');
    assert.equal(ask('video', 'learning-enrichment', 'Any Section At All').verdict, 'allowed', 'a rule without sections holds in every section');
  });

  it('lists what to do for an allowed video call in the senior school', () => {
    assert.deepEqual(ask('video', 'learning-enrichment', 'Senior'), { verdict: 'allowed', rule: rule('learning-enrichment'), permission: undefined, pastoral: false, requirements: [BOOK, HOD] });
  });

  it('lists what to do for a pastoral phone call in the prep school: parents told, number withheld, note after', () => {
    assert.deepEqual(ask('phone', 'counselling', 'Prep'), { verdict: 'allowed', rule: rule('counselling'), permission: undefined, pastoral: true, requirements: [BOOK_PHONE, HOD, parents('Prep'), WITHHOLD, NOTE] });
    assert.deepEqual(ask('audio', 'counselling', 'prep').requirements, [BOOK, HOD, parents('prep'), NOTE], 'no number to withhold on an audio call');
    assert.deepEqual(ask('phone', 'report-reading', 'Senior').requirements, [BOOK_PHONE, HOD, WITHHOLD]);
  });

  it('asks the right deputy head first, naming the head of department chosen', () => {
    const chris = { headOfDepartment: 'Chris Shaw (Head of Maths)' };
    assert.deepEqual(ask('video', 'exceptional-pastoral', 'Pre-Prep', defaults, chris), {
      verdict: 'needs-permission', rule: rule('exceptional-pastoral'), permission: 'deputy-head-pastoral', pastoral: true,
      requirements: [permission('the deputy head (pastoral)'), BOOK, 'Add Chris Shaw (Head of Maths) to the booking as an optional attendee.', parents('Pre-Prep'), NOTE],
    });
    assert.deepEqual(ask('video', 'academic-reason', 'Senior'), { verdict: 'needs-permission', rule: rule('academic-reason'), permission: 'deputy-head-academic', pastoral: false, requirements: [permission('the deputy head (academic)'), BOOK, HOD] });
  });

  it('drops each requirement the school switches off, but never the secure note after a pastoral call', () => {
    const bare = callSettingsSchema.parse({ bookInCalendar: false, headOfDepartmentOptional: false, tellParentsInSections: [], withholdNumberOnPhone: false });
    assert.deepEqual(ask('phone', 'counselling', 'Prep', bare).requirements, [NOTE]);
    assert.deepEqual(ask('video', 'learning-enrichment', 'Prep', bare).requirements, []);
    assert.deepEqual(ask('video', 'academic-reason', 'Prep', bare).requirements, [permission('the deputy head (academic)')]);
  });

  it('names whose permission each rule needs', () => {
    assert.equal(permissionHolderName('deputy-head-academic'), 'the deputy head (academic)');
    assert.equal(permissionHolderName('deputy-head-pastoral'), 'the deputy head (pastoral)');
  });
});
