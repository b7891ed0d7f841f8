import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { EXAMPLE_POLICIES } from '../../bot/policy';
import { projectPath } from '../../bot/projectRoot';
import type { Member } from '../support/fakeConnector';

/**
 * A trust-sized configuration for `npm run bench:trust`, written at run time: a trust file with
 * `schools` schools and `people` people in their rosters (sections with DSLs and deputies, every
 * school role), and a policy folder per school made from the project's own example policies with
 * the school's name and a section of its own contacts. The trust-wide policies, which every school's
 * answers include, are the example trust's data protection policy and the example staff acceptable
 * use policy as the trust's (staff policies are often the trust's, one for every school): about
 * half of each school's index. Everything is fictional and generated; nothing comes from ../shared.
 */
export interface BenchTrustOptions {
  schools: number;
  people: number;
  /** Each school's policy folder and the trust-wide one (false: a trust with no policies at all). */
  policies?: boolean;
  /** Only the first N schools, the rest of the generated data unchanged (a one-school baseline). */
  only?: number;
}

export interface BenchSchool {
  id: string;
  name: string;
  policies?: string;
  /** Ordinary staff of the roster (no role), each listed by one school only: a turn routes straight to it. */
  staff: Member[];
  /** Staff no roster lists (most teachers), with the school's mail domain: routed to it by that domain. */
  unlisted: Member[];
}

export interface BenchTrust {
  file: string;
  schools: BenchSchool[];
  people: number;
  policyFiles: number;
}

const TRUST_NAME = 'Lantern Bench Learning Trust';
const EXAMPLE_TRUST_POLICIES = projectPath('bot', 'trust', 'example', 'trust-policies');
const EXAMPLE_SCHOOL = /Hollins Park School/g;
const EXAMPLE_TRUST = /Meridian Learning Trust/g;
/** The example policy that is the trust's in the bench trust, not each school's. */
const TRUST_WIDE_EXAMPLE = 'staff-acceptable-use-policy.md';
const FIRST = ['Amal', 'Ben', 'Chloe', 'Dev', 'Ella', 'Femi', 'Grace', 'Hassan', 'Isla', 'Jack', 'Kiran', 'Leah', 'Mo', 'Nia', 'Owen', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tom'];
const LAST = ['Ahmed', 'Brown', 'Clarke', 'Davies', 'Evans', 'Fraser', 'Green', 'Hughes', 'Iqbal', 'Jones', 'Khan', 'Lewis', 'Morgan', 'Nowak', 'Okoro', 'Patel', 'Reid', 'Singh', 'Taylor', 'Walsh'];
const PLACES = ['Ashby', 'Bramley', 'Carlton', 'Denby', 'Elmore', 'Fenwick', 'Garside', 'Holme', 'Ingleby', 'Kirkby', 'Langley', 'Marston', 'Norbury', 'Oakwood', 'Preston'];
const KINDS = [
  { suffix: 'Primary School', sections: [{ name: 'Infants', years: ['Reception', 'Year 1', 'Year 2'] }, { name: 'Juniors', years: ['Year 3', 'Year 4', 'Year 5', 'Year 6'] }] },
  { suffix: 'Academy', sections: [{ name: 'Lower', years: ['Year 7', 'Year 8', 'Year 9'] }, { name: 'Upper', years: ['Year 10', 'Year 11'] }, { name: 'Sixth Form', years: ['Year 12', 'Year 13'] }] },
];

/** A stable UUID for the n-th person, so a rerun makes the same trust. */
const uuidOf = (n: number) => `55555555-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function schoolName(i: number): { name: string; kind: (typeof KINDS)[number] } {
  const kind = KINDS[i % KINDS.length];
  const place = PLACES[i % PLACES.length];
  return { name: `${place}${i >= PLACES.length ? ` ${['North', 'South', 'East', 'West'][Math.floor(i / PLACES.length) - 1] ?? Math.floor(i / PLACES.length)}` : ''} ${kind.suffix}`, kind };
}

/** The capital letters of a school's incident references: unique in the trust (two to six letters). */
function prefixOf(i: number): string {
  const letter = (n: number) => String.fromCharCode(65 + (n % 26));
  return `S${letter(Math.floor(i / 26))}${letter(i)}`;
}

/** The example policies as this school's own: its name, plus a section naming its contacts. */
async function writeSchoolPolicies(dir: string, school: { name: string; sections: Array<{ name: string; dsl: string; deputies: string[] }>; itManager: string }): Promise<number> {
  await mkdir(dir, { recursive: true });
  const files = (await readdir(EXAMPLE_POLICIES)).filter((f) => f.endsWith('.md') && f !== TRUST_WIDE_EXAMPLE);
  for (const file of files) {
    let text = (await readFile(path.join(EXAMPLE_POLICIES, file), 'utf8')).replace(EXAMPLE_SCHOOL, school.name).replace(/Replace this example with your own school's policies before going live\./g, '');
    if (file.startsWith('online-safety')) {
      const contacts = school.sections.map((s, n) => `### 90.${n + 1} ${s.name}\nFor the ${s.name} section of ${school.name}, a concern is reported to ${s.dsl}, the designated safeguarding lead; when they are away, to ${s.deputies.join(' or ')}.`);
      text += `\n\n## 90. Contacts at ${school.name}\n\n${contacts.join('\n\n')}\n\n### 90.${contacts.length + 1} Filtering at ${school.name}\nRequests to change the web filter at ${school.name} go to ${school.itManager}, the IT manager, who checks them with the DSL.\n`;
    }
    await writeFile(path.join(dir, file.replace(/^/, `${school.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-`)), text);
  }
  return files.length;
}

async function writeTrustPolicies(dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  const files = (await readdir(EXAMPLE_TRUST_POLICIES)).filter((f) => f.endsWith('.md'));
  for (const file of files) await writeFile(path.join(dir, file), (await readFile(path.join(EXAMPLE_TRUST_POLICIES, file), 'utf8')).replace(EXAMPLE_TRUST, TRUST_NAME));
  const staff = (await readFile(path.join(EXAMPLE_POLICIES, TRUST_WIDE_EXAMPLE), 'utf8')).replace(EXAMPLE_SCHOOL, `every school of ${TRUST_NAME}`).replace(/Replace this example with your own school's policies before going live\./g, '');
  await writeFile(path.join(dir, `trust-${TRUST_WIDE_EXAMPLE}`), staff);
  return files.length + 1;
}

/** Writes the trust file (and its policy folders) into `dir`; the same options make the same trust. */
export async function writeBenchTrust(dir: string, options: BenchTrustOptions): Promise<BenchTrust> {
  const perSchool = Math.floor(options.people / options.schools);
  if (perSchool < 8) throw new Error(`writeBenchTrust: ${options.people} people for ${options.schools} schools is too few for their roles`);
  const withPolicies = options.policies !== false;
  await mkdir(dir, { recursive: true });
  let policyFiles = withPolicies ? await writeTrustPolicies(path.join(dir, 'trust-policies')) : 0;
  const schools: BenchSchool[] = [];
  const entries: unknown[] = [];
  let n = 0;
  for (let i = 0; i < Math.min(options.only ?? options.schools, options.schools); i++) {
    const { name, kind } = schoolName(i);
    const id = name.toLowerCase().replace(/ (primary school|academy)$/, '').replace(/[^a-z0-9]+/g, '-') + `-${i + 1}`;
    const domain = `${id}.example.org`;
    // The last school's roster takes the remainder, so the trust has exactly `people` people.
    const count = i === options.schools - 1 ? options.people - perSchool * (options.schools - 1) : perSchool;
    const people = Array.from({ length: count }, (_, k) => {
      n += 1;
      const first = FIRST[n % FIRST.length];
      const last = LAST[Math.floor(n / FIRST.length) % LAST.length];
      return { id: `p${n}`, name: `${first} ${last}`, email: `${first}.${last}.${n}@${domain}`.toLowerCase(), aadObjectId: uuidOf(n) };
    });
    const [head, chair, it, tech, pastoral, academic, dpo, ...rest] = people.map((p) => p.id);
    const sections = kind.sections.map((s, k) => ({ name: s.name, dsl: rest[2 * k], deputies: [rest[2 * k + 1]], years: s.years }));
    const named = new Set([head, chair, it, tech, pastoral, academic, dpo, ...sections.flatMap((s) => [s.dsl, ...s.deputies])]);
    const policies = withPolicies ? path.join(dir, 'policies', id) : undefined;
    if (policies) {
      const person = (pid: string) => people.find((p) => p.id === pid)!.name;
      policyFiles += await writeSchoolPolicies(policies, { name, sections: sections.map((s) => ({ name: s.name, dsl: person(s.dsl), deputies: s.deputies.map(person) })), itManager: person(it) });
    }
    entries.push({
      id,
      ...(policies ? { policies: path.relative(dir, policies) } : {}),
      school: { name, timezone: 'Europe/London', nation: 'england' },
      people,
      sections,
      roles: { head, chairOfGovernors: chair, itManager: it, itTechnicians: [tech], deputyHeadPastoral: pastoral, deputyHeadAcademic: academic, dataProtectionLead: dpo, onlineSafetyLead: sections[0].deputies[0], admins: [head, it] },
      incidents: { referencePrefix: prefixOf(i) },
    });
    const staff = people.filter((p) => !named.has(p.id)).map((p) => ({ id: `29:${id}-${p.id}`, name: p.name, email: p.email, aadObjectId: p.aadObjectId }));
    const unlisted = Array.from({ length: 5 }, (_, k) => ({ id: `29:${id}-teacher-${k}`, name: `Teacher ${k} of ${name}`, email: `teacher.${k}@${domain}`, aadObjectId: uuidOf(2_000_000 + 10 * i + k) }));
    schools.push({ id, name, policies, staff, unlisted });
  }
  const trustPeople = ['safeguarding', 'it', 'ceo', 'chair'].map((role, k) => ({ id: `trust-${role}`, name: `Trust ${role} ${LAST[k]}`, email: `${role}@bench-trust.example.org`, aadObjectId: uuidOf(1_000_000 + k) }));
  const raw = {
    trust: {
      name: TRUST_NAME,
      people: trustPeople,
      roles: { safeguardingLead: 'trust-safeguarding', itManager: 'trust-it', ceo: 'trust-ceo', chairOfTrustees: 'trust-chair' },
      headteacherAllegations: 'ceo',
      ...(withPolicies ? { policies: 'trust-policies' } : {}),
    },
    schools: entries,
  };
  const file = path.join(dir, 'trust.yaml');
  await writeFile(file, YAML.stringify(raw));
  return { file, schools, people: n, policyFiles };
}
