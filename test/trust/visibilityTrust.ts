import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { projectPath } from '../../bot/projectRoot';
import type { Member } from '../support/fakeConnector';

/**
 * A trust of two schools for the visibility matrix: every school role held by its own person, and
 * every name, section, tutor group and address of a school carrying that school's marker word
 * (Ashwell or Brookner), so that anything of one school reaching the other is found by a regex.
 */

export type SchoolKey = 'ash' | 'brk';
/** The school roles of the matrix; trust officers are trustlead's (test/trust/trustRoles*.spec.ts). */
export type RoleKey = 'dsl' | 'deputy' | 'head' | 'chair' | 'it' | 'tech' | 'pastoral' | 'dpl' | 'admin' | 'staff';

export interface SchoolFixture {
  key: SchoolKey;
  id: string;
  name: string;
  prefix: string;
  marker: string;
  section: string;
  years: string[];
  /** The school's own policy, for acknowledgements (by title). */
  document: string;
  groups: { shared: string; own: string };
  /** The pupil named in this school's records (incident, call). */
  pupil: string;
  website: string;
  people: Record<RoleKey, Member>;
  /** Everything of this school that must never reach the other school's people. */
  leaks: RegExp[];
}

const FIRST: Record<RoleKey, string> = { dsl: 'Dora', deputy: 'Derek', head: 'Hana', chair: 'Colin', it: 'Ivy', tech: 'Theo', pastoral: 'Pia', dpl: 'Dev', admin: 'Ada', staff: 'Olive' };

/** Listed in both rosters (same Entra id and email): a tutor of a group in each school. */
export const TWOFOLD: Member = { id: '29:vis-twofold', name: 'Sam Twofold', email: 's.twofold@meridian.example.org', aadObjectId: '55555555-0000-4000-8000-0000000000ff' };

function school(key: SchoolKey, n: number, id: string, name: string, prefix: string, marker: string, domain: string, years: string[], document: string): SchoolFixture {
  const people = Object.fromEntries(
    (Object.keys(FIRST) as RoleKey[]).map((role, i) => [
      role,
      { id: `29:vis-${key}-${role}`, name: `${FIRST[role]} ${marker}`, email: `${FIRST[role].toLowerCase()}.${marker.toLowerCase()}@${domain}`, aadObjectId: `55555555-000${n}-4000-8000-${(i + 1).toString(16).padStart(12, '0')}` },
    ]),
  ) as Record<RoleKey, Member>;
  const words = [name, marker, `${prefix}-`, domain, ...Object.values(people).map((p) => p.name)];
  return {
    key,
    id,
    name,
    prefix,
    marker,
    section: `${marker} Juniors`,
    years,
    document,
    groups: { shared: `${marker}5`, own: `${marker}6` },
    pupil: `Robin ${marker}-Pupil`,
    website: `https://www.${marker.toLowerCase()}-history.example.org/sources`,
    people,
    leaks: [...new Set(words)].map((w) => new RegExp(w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i')),
  };
}

export const ASH = school('ash', 1, 'ashgrove', 'Ashgrove Primary School', 'ASH', 'Ashwell', 'ashgrove.example.org', ['Year 1', 'Year 2', 'Year 3', 'Year 4', 'Year 5', 'Year 6'], 'ashgrove online safety policy');
export const BRK = school('brk', 2, 'brookfield', 'Brookfield Academy', 'BRK', 'Brookner', 'brookfield.example.org', ['Year 7', 'Year 8', 'Year 9', 'Year 10', 'Year 11'], 'brookfield online safety policy');
export const SCHOOLS = [ASH, BRK] as const;
export const other = (s: SchoolFixture) => (s === ASH ? BRK : ASH);

const TRUST_PEOPLE = [
  { id: 'tlead', name: 'Trudy Trustlead', email: 't.lead@meridian.example.org' },
  { id: 'tceo', name: 'Carl Trustceo', email: 'c.ceo@meridian.example.org' },
  { id: 'tchair', name: 'Chris Trustchair', email: 'c.chair@meridian.example.org' },
];

function schoolBlock(s: SchoolFixture) {
  const pid = (r: RoleKey) => `${s.key}${r}`;
  const listed = (Object.keys(FIRST) as RoleKey[]).filter((r) => r !== 'staff');
  return {
    id: s.id,
    policies: projectPath('bot', 'trust', 'example', `${s.id}-policies`),
    school: { name: s.name, timezone: 'Europe/London', nation: 'england' },
    people: [...listed.map((r) => ({ id: pid(r), name: s.people[r].name, email: s.people[r].email, aadObjectId: s.people[r].aadObjectId })), { id: 'twofold', name: TWOFOLD.name, email: TWOFOLD.email, aadObjectId: TWOFOLD.aadObjectId }],
    sections: [{ name: s.section, dsl: pid('dsl'), deputies: [pid('deputy')], years: s.years }],
    roles: {
      head: pid('head'),
      chairOfGovernors: pid('chair'),
      itManager: pid('it'),
      itTechnicians: [pid('tech')],
      deputyHeadPastoral: pid('pastoral'),
      deputyHeadAcademic: pid('pastoral'),
      dataProtectionLead: pid('dpl'),
      onlineSafetyLead: pid('dsl'),
      admins: [pid('admin')],
    },
    incidents: { referencePrefix: s.prefix },
    tutoring: {
      tutorGroups: [
        { name: s.groups.shared, tutor: 'twofold', section: s.section },
        { name: s.groups.own, tutor: s.people.staff.email, section: s.section },
      ],
      sessionDays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
    },
  };
}

/** Writes the trust file in a fresh folder; returns its path. */
export async function writeVisibilityTrust(): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'lantern-visibility-')), 'trust.yaml');
  const trust = {
    trust: {
      name: 'Meridian Learning Trust',
      people: TRUST_PEOPLE,
      roles: { safeguardingLead: 'tlead', ceo: 'tceo', chairOfTrustees: 'tchair' },
      policies: projectPath('bot', 'trust', 'example', 'trust-policies'),
    },
    schools: SCHOOLS.map(schoolBlock),
  };
  await writeFile(file, YAML.stringify(trust));
  return file;
}
