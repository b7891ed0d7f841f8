import type { Person } from '../config/schoolConfigSchema';
import type { TrustOfficers } from '../config/roster';
import type { TrustPart } from './trustConfigSchema';

/** What every school's roster is given of the trust: its people, their roles and the headteacher rule. */
export function trustOfficers(trust: TrustPart | undefined): TrustOfficers | undefined {
  if (!trust) return undefined;
  return { name: trust.name, people: trust.people, roles: trust.roles, headteacherAllegations: trust.headteacherAllegations };
}

/**
 * A trust person's id a school also uses must be the same person there (same email or Entra id):
 * otherwise a trust role could be read as that school's person, or the other way round.
 */
export function idClashes(trustPeople: Person[], schoolPeople: Person[], field: string): string[] {
  const same = (a: Person, b: Person) => (!!a.email && a.email.toLowerCase() === b.email?.toLowerCase()) || (!!a.aadObjectId && a.aadObjectId.toLowerCase() === b.aadObjectId?.toLowerCase());
  return trustPeople.flatMap((t, i) => {
    const local = schoolPeople.find((p) => p.id === t.id);
    return local && !same(local, t) ? [`${field}.people: "${t.id}" is trust.people[${i}]'s id, but names someone else here: give one of them another id`] : [];
  });
}
