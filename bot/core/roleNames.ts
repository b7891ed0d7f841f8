import type { Role, Roster } from '../config/roster';

const ROLE_NAMES: Record<Role, string> = {
  staff: 'staff',
  admin: 'Lantern admin',
  head: 'Head',
  'chair-of-governors': 'Chair of Governors',
  dsl: 'DSL',
  'deputy-dsl': 'deputy DSL',
  'it-manager': 'IT manager',
  'it-technician': 'IT technician',
  'deputy-head-pastoral': 'deputy head (pastoral)',
  'deputy-head-academic': 'deputy head (academic)',
  'head-of-department': 'head of department',
  'data-protection-lead': 'data-protection lead',
  'online-safety-lead': 'online-safety lead',
};

/** "DSL (Senior), Lantern admin" — how the help card tells people what Lantern thinks they are. */
export function describeRoles(personId: string | undefined, roster: Roster): string {
  const roles = roster.rolesOf(personId).filter((r) => r !== 'staff');
  if (!roles.length) return 'staff';
  const sections = personId ? roster.safeguardingSections(personId).map((s) => s.name) : [];
  return roles
    .map((r) => ((r === 'dsl' || r === 'deputy-dsl') && sections.length ? `${ROLE_NAMES[r]} (${sections.join(', ')})` : ROLE_NAMES[r]))
    .join(', ');
}
