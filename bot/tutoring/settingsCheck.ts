import type { Roster } from '../config/roster';
import type { TutoringSettings } from './tutoringSettings';

/** References from these settings into the roster: checks zod cannot make field by field. */
export function checkTutoringSettings(s: TutoringSettings, roster: Roster): string[] {
  const problems: string[] = [];
  const person = (field: string, ref: string) => {
    if (!ref.includes('@') && !roster.person(ref)) problems.push(`${field}: "${ref}" is not listed in people (use a person id or an email address)`);
  };
  s.tutorGroups.forEach((g, i) => {
    person(`tutoring.tutorGroups[${i}].tutor`, g.tutor);
    if (!roster.section(g.section)) problems.push(`tutoring.tutorGroups[${i}].section: "${g.section}" is not one of the school's sections`);
  });
  s.weeklySummary.alsoTo.forEach((ref, i) => person(`tutoring.weeklySummary.alsoTo[${i}]`, ref));
  return problems;
}
