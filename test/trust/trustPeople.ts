import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { projectPath } from '../../bot/projectRoot';
import path from 'node:path';
import type { Member } from '../support/fakeConnector';
import { writeSchoolFile } from '../support/schoolFiles';

export const EXAMPLE_TRUST = projectPath('bot', 'config', 'trust.example.yaml');

/**
 * Teams identities for everyone the example trust lists (trust people and each school's), by id;
 * someone two schools list (same email) is one member. The file gives emails only, as many trusts
 * do, so Lantern finds people by the email Teams reports.
 */
export function trustMembers(file = EXAMPLE_TRUST): Record<string, Member> {
  const raw = YAML.parse(readFileSync(file, 'utf8')) as { trust: { people: Person[] }; schools: Array<{ people: Person[] }> };
  const all = [...raw.trust.people, ...raw.schools.flatMap((s) => s.people)];
  const members: Record<string, Member> = {};
  all.forEach((p, i) => {
    members[p.id] ??= { id: `29:${p.id}`, name: p.name, email: p.email, aadObjectId: `77777777-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}` };
  });
  return members;
}

interface Person {
  id: string;
  name: string;
  email: string;
}

/** Ordinary staff of each school: in no roster, known by their school's mail domain. */
export const staff = {
  ashgrove: { id: '29:ash-teacher', name: 'Alice Teacher', aadObjectId: '77777777-1111-4000-8000-000000000001', email: 'a.teacher@ashgrove.example.org' },
  brookfield: { id: '29:brk-teacher', name: 'Bilal Teacher', aadObjectId: '77777777-1111-4000-8000-000000000002', email: 'b.teacher@brookfield.example.org' },
} satisfies Record<string, Member>;

/** The example trust, changed by `edit`, written elsewhere with its policy folders made absolute. */
export async function exampleTrustWith(edit: (raw: any) => void): Promise<string> {
  const raw = YAML.parse(readFileSync(EXAMPLE_TRUST, 'utf8'));
  edit(raw);
  for (const s of raw.schools) if (s.policies) s.policies = path.resolve(path.dirname(EXAMPLE_TRUST), s.policies);
  raw.trust.policies = path.resolve(path.dirname(EXAMPLE_TRUST), raw.trust.policies);
  return writeSchoolFile(YAML.stringify(raw), 'trust.yaml');
}
