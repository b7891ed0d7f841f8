import type { Roster } from '../config/roster';

export const DANGER_LINE = 'If a child is in immediate danger, call 999 now, then tell the DSL.';

/**
 * The words shown before anything else when a message suggests a child may be in danger: the
 * 999 instruction and who the DSL is. The asker's own sections come first when Lantern knows them
 * (DSLs and deputies); otherwise every section's DSL is listed, since staff are not tied to one.
 */
export function safetyNotice(roster: Roster, askerId?: string): string {
  const own = askerId ? roster.safeguardingSections(askerId) : [];
  const sections = own.length ? own : roster.sections();
  const lines = sections.map((s) => {
    const onDuty = roster.onDutyFor(s.name).map((p) => p.name);
    const dsl = roster.person(s.dsl)?.name;
    const deputies = s.deputies.map((id) => roster.person(id)?.name).filter(Boolean);
    const cover = onDuty.length && onDuty[0] !== dsl ? ` (covering for ${dsl}: ${onDuty.join(', ')})` : deputies.length ? ` (deputy: ${deputies.join(', ')})` : '';
    return `- ${s.name}: ${dsl}${cover}`;
  });
  return `**${DANGER_LINE}**\n\nDesignated Safeguarding Leads:\n${lines.join('\n')}\n\nYou can also type **report an incident** to record what happened.`;
}
