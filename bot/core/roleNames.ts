import type { Role, Roster } from '../config/roster';

// Listed in the order the help card names them: leadership and safeguarding before admin.
const ROLE_NAMES: Record<Role, string> = {
  staff: 'staff',
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
  admin: 'Lantern admin',
  'trust-safeguarding-lead': 'trust safeguarding lead',
  'trust-it-manager': 'trust IT manager',
  'trust-ceo': 'trust CEO',
  'chair-of-trustees': 'Chair of Trustees',
};

/** "DSL (Senior), Lantern admin" — how the help card tells people what Lantern thinks they are. */
export function describeRoles(personId: string | undefined, roster: Roster): string {
  const order = Object.keys(ROLE_NAMES);
  const roles = roster.rolesOf(personId).filter((r) => r !== 'staff').sort((a, b) => order.indexOf(a) - order.indexOf(b));
  if (!roles.length) return 'staff';
  const sections = personId ? roster.safeguardingSections(personId).map((s) => s.name) : [];
  return roles
    .map((r) => ((r === 'dsl' || r === 'deputy-dsl') && sections.length ? `${ROLE_NAMES[r]} (${sections.join(', ')})` : ROLE_NAMES[r]))
    .join(', ');
}
