import assert from 'node:assert/strict';
import type { Role } from '../../bot/config/roster';
import { people } from '../support/people';
import { EVERYONE, exampleRoster, smallRoster } from './school';

const roster = exampleRoster();
const ids = (list: Array<{ id: string }>) => list.map((p) => p.id);

describe('rules: roles the roster grants', () => {
  // Built inside the tests, not at load, so that a mutant in the constructor is seen by them.
  it('grants each person exactly their configured roles, and everyone else plain staff', () => {
    const roster = exampleRoster();
    assert.deepEqual(Object.fromEntries(EVERYONE.map((id) => [id, roster.rolesOf(id)])), {
      hbrook: ['staff', 'head'],
      rowen: ['staff', 'chair-of-governors'],
      dkhan: ['staff', 'online-safety-lead', 'dsl'],
      lmorris: ['staff', 'deputy-dsl'],
      pgreen: ['staff', 'dsl'],
      tjones: ['staff', 'dsl'],
      mcole: ['staff', 'it-manager', 'admin'],
      swu: ['staff', 'it-technician'],
      jboateng: ['staff', 'it-technician'],
      efisher: ['staff', 'deputy-head-pastoral'],
      ngrant: ['staff', 'deputy-head-academic'],
      adavies: ['staff', 'data-protection-lead', 'admin'],
      cshaw: ['staff', 'head-of-department'],
      kpatel: ['staff', 'deputy-dsl'],
      teacher: ['staff'],
    });
    assert.deepEqual(roster.rolesOf(undefined), ['staff']);
  });

  it('lists the holders of every role, in roster order', () => {
    const roster = exampleRoster();
    const byRole: Record<Exclude<Role, 'staff'>, string[]> = {
      admin: ['mcole', 'adavies'],
      head: ['hbrook'],
      'chair-of-governors': ['rowen'],
      dsl: ['dkhan', 'pgreen', 'tjones'],
      'deputy-dsl': ['lmorris', 'kpatel'],
      'it-manager': ['mcole'],
      'it-technician': ['swu', 'jboateng'],
      'deputy-head-pastoral': ['efisher'],
      'deputy-head-academic': ['ngrant'],
      'head-of-department': ['cshaw'],
      'data-protection-lead': ['adavies'],
      'online-safety-lead': ['dkhan'],
      // A school file is a trust of one: nobody holds a trust role.
      'trust-safeguarding-lead': [],
      'trust-it-manager': [],
      'trust-ceo': [],
      'chair-of-trustees': [],
    };
    for (const [role, holders] of Object.entries(byRole)) assert.deepEqual(ids(roster.withRole(role as Role)), holders, role);
    const small = smallRoster({ people: ['dsl', 'plain'], sections: [{ name: 'Main', dsl: 'dsl' }] });
    assert.deepEqual(ids(small.withRole('dsl')), ['dsl'], 'someone with no role is simply not listed');
  });

  it('answers whether someone holds any of several roles, and never grants a role by default', () => {
    assert.equal(roster.has('mcole', 'it-technician', 'it-manager'), true);
    assert.equal(roster.has('swu', 'it-technician', 'it-manager'), true);
    assert.equal(roster.has('dkhan', 'it-technician', 'it-manager'), false);
    assert.equal(roster.has('teacher', 'head'), false);
    assert.equal(roster.has(undefined, 'dsl', 'head', 'admin'), false);
    assert.equal(roster.has('teacher', 'staff'), true, 'everyone is staff');
    assert.equal(roster.has('hbrook'), false, 'no roles asked, none held');
  });

  it('names the single holder of each one-person role, or nobody', () => {
    assert.deepEqual(
      (['head', 'chairOfGovernors', 'itManager', 'deputyHeadPastoral', 'deputyHeadAcademic', 'dataProtectionLead', 'onlineSafetyLead'] as const).map((r) => roster.holder(r)?.id),
      ['hbrook', 'rowen', 'mcole', 'efisher', 'ngrant', 'adavies', 'dkhan'],
    );
    const small = smallRoster({ people: ['dsl', 'chair'], sections: [{ name: 'Main', dsl: 'dsl' }] });
    assert.equal(small.holder('onlineSafetyLead'), undefined, 'an optional role left out');
    assert.equal(small.holder('head'), undefined, 'a holder not in people');
    assert.equal(small.holder('chairOfGovernors')?.name, 'Person chair');
  });
});

describe('rules: recognising people', () => {
  it('finds a person by Entra object id or email, whatever the case', () => {
    assert.equal(roster.find({ aadObjectId: people.seniorDsl.aadObjectId.toUpperCase() })?.id, 'dkhan');
    assert.equal(roster.find({ email: 'D.KHAN@HollinsPark.example.org' })?.id, 'dkhan');
    assert.equal(roster.find({ aadObjectId: '99999999-9999-4999-8999-999999999999', email: people.head.email })?.id, 'hbrook', 'email is the fallback');
  });

  it('prefers the object id to the email when they point at different people', () => {
    assert.equal(roster.find({ aadObjectId: people.chair.aadObjectId, email: people.head.email })?.id, 'rowen');
  });

  it('finds nobody for an unknown or empty identity', () => {
    assert.equal(roster.find({ aadObjectId: people.teacher.aadObjectId, email: people.teacher.email }), undefined);
    assert.equal(roster.find({}), undefined);
    assert.equal(roster.find({ aadObjectId: '', email: '' }), undefined);
  });

  it('recognises someone configured with only an object id, or only an email', () => {
    const small = smallRoster({ people: [{ id: 'aadonly', aadObjectId: 'AAAAAAAA-0000-4000-8000-000000000001' }, 'emailonly'], sections: [{ name: 'Main', dsl: 'aadonly' }] });
    assert.equal(small.find({ aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001' })?.id, 'aadonly');
    assert.equal(small.find({ email: 'EmailOnly@small.example.org' })?.id, 'emailonly');
    assert.equal(small.find({ email: 'aadonly@small.example.org' }), undefined);
  });

  it('looks people up by roster id', () => {
    assert.equal(roster.person('lmorris')?.name, 'Laura Morris');
    assert.equal(roster.person('teacher'), undefined);
    assert.equal(roster.schoolName, 'Hollins Park School');
  });
});

describe('rules: sections', () => {
  it('matches a typed section name whatever its case and spaces', () => {
    assert.equal(roster.section(' pre-prep ')?.name, 'Pre-Prep');
    assert.equal(roster.section('SENIOR')?.dsl, 'dkhan');
    assert.equal(roster.section('Sixth Form'), undefined);
    assert.deepEqual(roster.sections().map((s) => s.name), ['Pre-Prep', 'Prep', 'Senior']);
  });

  it('finds the section of a year group however it is typed', () => {
    const cases: Array<[string, string | undefined]> = [
      ['Year 9', 'Senior'], ['9', 'Senior'], ['year 4', 'Prep'], ['YEAR4', 'Prep'], [' Reception ', 'Pre-Prep'], ['nursery', 'Pre-Prep'],
      ['Year 14', undefined], ['', undefined], ['Sixth', undefined],
    ];
    for (const [year, section] of cases) assert.equal(roster.sectionForYear(year)?.name, section, year);
  });

  it('lists the sections someone safeguards, and none for anyone else', () => {
    assert.deepEqual(roster.safeguardingSections('kpatel').map((s) => s.name), ['Pre-Prep', 'Prep']);
    assert.deepEqual(roster.safeguardingSections('dkhan').map((s) => s.name), ['Senior']);
    assert.deepEqual(roster.safeguardingSections('lmorris').map((s) => s.name), ['Senior']);
    for (const id of ['hbrook', 'rowen', 'mcole', 'efisher', 'teacher']) assert.deepEqual(roster.safeguardingSections(id), [], id);
  });

  it('lists a section\'s DSL then deputies, leaving out anyone not in people', () => {
    assert.deepEqual(ids(roster.dslAndDeputies('prep')), ['pgreen', 'kpatel']);
    assert.deepEqual(ids(roster.dslAndDeputies('Sixth Form')), []);
    const small = smallRoster({ people: ['dsl', 'd2'], sections: [{ name: 'Main', dsl: 'dsl', deputies: ['gone', 'd2'] }] });
    assert.deepEqual(ids(small.dslAndDeputies('Main')), ['dsl', 'd2']);
  });
});

describe('rules: who is on duty, and away handling', () => {
  const school = (away: string[] = [], overrides: Array<[string, boolean]> = []) =>
    smallRoster({ people: ['dsl', 'd1', 'd2', 'solo'].map((id) => ({ id, away: away.includes(id) })), sections: [{ name: 'Main', dsl: 'dsl', deputies: ['d1', 'd2'] }, { name: 'Solo', dsl: 'solo' }] }, new Map(overrides));

  it('puts the DSL on duty while they are in, and no deputy', () => {
    assert.deepEqual(ids(school().onDutyFor('Main')), ['dsl']);
    assert.deepEqual(ids(roster.onDutyFor('Senior')), ['dkhan']);
  });

  it('puts every deputy who is in on duty when the DSL is away', () => {
    assert.deepEqual(ids(school(['dsl']).onDutyFor('main')), ['d1', 'd2']);
    assert.deepEqual(ids(school(['dsl', 'd1']).onDutyFor('Main')), ['d2']);
  });

  it('falls back to the away DSL when every deputy is away too, or there are none, so a case still reaches someone', () => {
    assert.deepEqual(ids(school(['dsl', 'd1', 'd2']).onDutyFor('Main')), ['dsl']);
    assert.deepEqual(ids(school(['solo']).onDutyFor('Solo')), ['solo']);
  });

  it('has nobody on duty for a section it does not have, or whose DSL and deputies are not in people', () => {
    assert.deepEqual(school().onDutyFor('Sixth Form'), []);
    const ghost = smallRoster({ people: ['x'], sections: [{ name: 'Main', dsl: 'ghost' }] });
    assert.deepEqual(ghost.onDutyFor('Main'), []);
  });

  it('lets a switch in chat override the configured away flag, both ways, without changing the original', () => {
    const base = school(['dsl']);
    assert.equal(base.isAway('dsl'), true);
    const back = base.withAway(new Map([['dsl', false]]));
    assert.equal(back.isAway('dsl'), false);
    assert.deepEqual(ids(back.onDutyFor('Main')), ['dsl']);
    assert.equal(base.isAway('dsl'), true, 'the original roster keeps its flags');
    const off = school([], [['d1', true]]);
    assert.deepEqual([off.isAway('d1'), off.isAway('d2'), off.isAway('nobody')], [true, false, false]);
    assert.deepEqual(ids(off.withAway(new Map([['dsl', true]])).onDutyFor('Main')), ['d1', 'd2'], 'a fresh switch replaces earlier ones');
  });
});
