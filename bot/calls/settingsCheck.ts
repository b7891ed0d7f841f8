import type { Roster } from '../config/roster';
import type { CallSettings } from './callSettings';

/** References from the call rules into the roster: checks zod cannot make field by field. */
export function checkCallSettings(s: CallSettings, roster: Roster): string[] {
  const problems: string[] = [];
  const section = (field: string, name: string) => {
    if (!roster.section(name)) problems.push(`${field}: "${name}" is not one of the school's sections`);
  };
  s.rules.forEach((r, i) => r.sections.forEach((name, j) => section(`calls.rules[${i}].sections[${j}]`, name)));
  s.tellParentsInSections.forEach((name, i) => section(`calls.tellParentsInSections[${i}]`, name));
  return problems;
}
