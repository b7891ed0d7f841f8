import assert from 'node:assert/strict';
import { z } from 'zod';
import YAML from 'yaml';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../bot/config/configErrors';
import { EXAMPLE_CONFIG, validateConfig } from '../../bot/config/loadSchoolConfig';
import { Roster } from '../../bot/config/roster';

const example = () => YAML.parse(readFileSync(EXAMPLE_CONFIG, 'utf8'));

function problemsOf(raw: unknown, schemas = {}): string[] {
  try {
    validateConfig(raw, 'school.yaml', schemas);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /^school\.yaml is not valid:/);
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('school configuration', () => {
  it('accepts the committed example', () => {
    const { school } = validateConfig(example(), 'example', {});
    assert.equal(school.school.name, 'Hollins Park School');
    assert.deepEqual(school.sections.map((s) => s.name), ['Pre-Prep', 'Prep', 'Senior']);
  });

  it('names the field when a role points at someone not in people', () => {
    const raw = example();
    raw.roles.itManager = 'jbloggs';
    assert.deepEqual(problemsOf(raw), ['roles.itManager: "jbloggs" is not listed in people']);
  });

  it('names nested fields: a bad email and a missing DSL', () => {
    const raw = example();
    raw.people[2].email = 'not-an-email';
    delete raw.sections[1].dsl;
    const problems = problemsOf(raw);
    assert.ok(problems.includes('people[2].email: Invalid email'), problems.join('\n'));
    assert.ok(problems.includes('sections[1].dsl: Required'), problems.join('\n'));
  });

  it('rejects unknown keys, duplicate ids and a Head who chairs the governors', () => {
    const raw = example();
    raw.roles.headTeacher = 'hbrook';
    assert.match(problemsOf(raw)[0], /^roles: Unrecognized key\(s\) in object: 'headTeacher'/);
    const dup = example();
    dup.people[1].id = 'hbrook';
    dup.people[1].email = 'other@hollinspark.example.org';
    assert.ok(problemsOf(dup).some((p) => p === 'people[1].id: "hbrook" is used twice'));
    const same = example();
    same.roles.chairOfGovernors = same.roles.head;
    assert.ok(problemsOf(same).includes('roles.chairOfGovernors: must be a different person from roles.head'));
  });

  it('requires a way to recognise each person', () => {
    const raw = example();
    delete raw.people[0].email;
    delete raw.people[0].aadObjectId;
    assert.ok(problemsOf(raw).includes('people[0]: needs an email or an aadObjectId so Lantern can recognise them'));
  });

  it("validates each capability's own section with its schema, prefixed by its key", () => {
    const raw = { ...example(), filtering: { reviewAfterDays: -3 } };
    const schemas = { filtering: z.object({ reviewAfterDays: z.number().int().positive().default(30) }).strict() };
    assert.deepEqual(problemsOf(raw, schemas), ['filtering.reviewAfterDays: Number must be greater than 0']);
    const ok = validateConfig(example(), 'x', schemas);
    assert.deepEqual(ok.settings.filtering, { reviewAfterDays: 30 });
  });
});

describe('Roster', () => {
  const roster = new Roster(validateConfig(example(), 'x', {}).school);

  it('recognises people by Entra object id or email, case-insensitively', () => {
    assert.equal(roster.find({ aadObjectId: '00000000-0000-4000-8000-000000000003' })?.id, 'dkhan');
    assert.equal(roster.find({ email: 'D.Khan@HollinsPark.example.org' })?.id, 'dkhan');
    assert.equal(roster.find({ email: 'someone@else.org' }), undefined);
  });

  it("lists the mail domains its people use, lower case, and a changed configuration's own", () => {
    assert.deepEqual([...roster.mailDomains()], ['hollinspark.example.org']);
    assert.deepEqual([...roster.withAwayFlag('dkhan', true).mailDomains()], ['hollinspark.example.org']);
    const raw = example();
    raw.people[0].email = 'Head@Elsewhere.Example.ORG';
    assert.deepEqual([...new Roster(validateConfig(raw, 'x', {}).school).mailDomains()].sort(), ['elsewhere.example.org', 'hollinspark.example.org']);
  });

  it('gives everyone the staff role and adds configured roles', () => {
    assert.deepEqual(roster.rolesOf(undefined), ['staff']);
    assert.ok(roster.has('dkhan', 'dsl'));
    assert.ok(roster.has('dkhan', 'online-safety-lead'));
    assert.ok(roster.has('kpatel', 'deputy-dsl'));
    assert.equal(roster.has('swu', 'it-manager'), false);
    assert.ok(roster.has('swu', 'it-technician'));
  });

  it('routes to the DSL, or to deputies who are not away', () => {
    assert.deepEqual(roster.onDutyFor('senior').map((p) => p.id), ['dkhan']);
    const dslAway = roster.withAway(new Map([['dkhan', true]]));
    assert.deepEqual(dslAway.onDutyFor('Senior').map((p) => p.id), ['lmorris']);
    const allAway = roster.withAway(new Map([['dkhan', true], ['lmorris', true]]));
    assert.deepEqual(allAway.onDutyFor('Senior').map((p) => p.id), ['dkhan'], 'someone must always be told');
    assert.deepEqual(roster.onDutyFor('Sixth Form'), []);
  });

  it('finds a section from a year group', () => {
    assert.equal(roster.sectionForYear('Year 9')?.name, 'Senior');
    assert.equal(roster.sectionForYear('4')?.name, 'Prep');
    assert.equal(roster.sectionForYear('reception')?.name, 'Pre-Prep');
    assert.equal(roster.sectionForYear('Year 15'), undefined);
  });
});
