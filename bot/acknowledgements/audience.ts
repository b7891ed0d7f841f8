import type { Role, Roster } from '../config/roster';
import type { PeopleDirectory } from '../routing/peopleDirectory';
import { teamsOfSchool } from '../trust/schoolTeams';
import { sectionOf, type AcknowledgementSettings } from './settings';

/** Who must acknowledge: kept as a rule, not a list, so people who join later are included. */
export type Audience = { kind: 'all' } | { kind: 'section'; name: string } | { kind: 'role'; role: Role } | { kind: 'team'; name: string };

const ROLES: Role[] = ['dsl', 'deputy-dsl', 'head', 'it-manager', 'it-technician', 'deputy-head-pastoral', 'deputy-head-academic', 'head-of-department', 'data-protection-lead', 'online-safety-lead', 'admin', 'chair-of-governors'];

/** The choice as the start form sends it: "all", "section:Senior", "role:dsl", "team:Staff". */
export function parseAudience(value: unknown, roster: Roster): Audience | undefined {
  if (typeof value !== 'string') return undefined;
  const [kind, ...rest] = value.split(':');
  const name = rest.join(':').trim();
  if (kind === 'all' && !name) return { kind: 'all' };
  if (kind === 'section') {
    const s = roster.section(name);
    return s ? { kind: 'section', name: s.name } : undefined;
  }
  if (kind === 'role') return ROLES.includes(name as Role) ? { kind: 'role', role: name as Role } : undefined;
  if (kind === 'team' && name) return { kind: 'team', name };
  return undefined;
}

export function audienceValue(a: Audience): string {
  return a.kind === 'all' ? 'all' : a.kind === 'role' ? `role:${a.role}` : `${a.kind}:${a.name}`;
}

export function describeAudience(a: Audience): string {
  switch (a.kind) {
    case 'all':
      return 'all staff';
    case 'section':
      return `${a.name} staff`;
    case 'role':
      return `everyone with the role ${a.role}`;
    case 'team':
      return `members of the Teams team ${a.name}`;
  }
}

/** The choices for the start form: everyone, each section, each role held, each team Lantern is in. */
export async function audienceChoices(roster: Roster, directory: PeopleDirectory): Promise<Array<{ title: string; value: string }>> {
  const teams = (await teamsOfSchool(directory, roster)).filter((t) => !t.removedAt);
  const choices: Audience[] = [
    { kind: 'all' },
    ...roster.sections().map((s) => ({ kind: 'section' as const, name: s.name })),
    ...ROLES.filter((r) => roster.withRole(r).length).map((role) => ({ kind: 'role' as const, role })),
    ...teams.map((t) => ({ kind: 'team' as const, name: t.name })),
  ];
  return choices.map((a) => ({ title: describeAudience(a), value: audienceValue(a) }));
}

/** Roster ids of the people the rule names today. */
export async function resolveAudience(a: Audience, roster: Roster, settings: AcknowledgementSettings, directory: PeopleDirectory): Promise<string[]> {
  const people = roster.config.people;
  switch (a.kind) {
    case 'all':
      return people.map((p) => p.id);
    case 'section':
      return people.filter((p) => sectionOf(p.id, settings, roster)?.toLowerCase() === a.name.toLowerCase()).map((p) => p.id);
    case 'role':
      return roster.withRole(a.role).map((p) => p.id);
    case 'team': {
      const teams = (await directory.allTeams()).filter((t) => !t.removedAt && t.name.toLowerCase() === a.name.toLowerCase()).map((t) => t.teamId);
      if (!teams.length) return [];
      const members = new Set((await directory.all()).filter((e) => e.teamIds?.some((t) => teams.includes(t))).map((e) => e.aadObjectId.toLowerCase()));
      return people.filter((p) => p.aadObjectId && members.has(p.aadObjectId.toLowerCase())).map((p) => p.id);
    }
  }
}
