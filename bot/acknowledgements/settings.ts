import { z } from 'zod';
import type { Roster } from '../config/roster';

const personId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'a person id from `people`');

/**
 * The `acknowledgements:` block. Every field has a default, so leaving the block out still lets
 * the online-safety lead run a campaign; `staff` adds sections and line managers.
 */
export const acknowledgementSettingsSchema = z
  .object({
    /** Days between reminders to those who have not acknowledged, until the due date. */
    reminderEveryDays: z.number().int().min(1).max(60).default(3),
    /** Due date offered on the start form, in days from the start. */
    defaultDueDays: z.number().int().min(1).max(365).default(14),
    /** Cards sent per second at most. A first card opens the chat too (two Teams requests), so 20 stays under Teams' 50 requests a second and leaves room for urgent alerts. */
    cardsPerSecond: z.number().min(0.1).max(45).default(20),
    /** How often the policy folder is checked for a new version of a document with a campaign. */
    versionCheckMinutes: z.number().int().min(1).max(24 * 60).default(60),
    /** Optional: who is in which section, and who their line manager is (gets their overdue list). */
    staff: z
      .array(
        z
          .object({
            person: personId,
            section: z.string().min(1).optional(),
            lineManager: personId.optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type AcknowledgementSettings = z.infer<typeof acknowledgementSettingsSchema>;

export function checkAcknowledgementSettings(s: AcknowledgementSettings, roster: Roster): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  s.staff.forEach((entry, i) => {
    const field = `acknowledgements.staff[${i}]`;
    if (!roster.person(entry.person)) problems.push(`${field}.person: "${entry.person}" is not listed in people`);
    if (seen.has(entry.person)) problems.push(`${field}.person: "${entry.person}" is listed twice`);
    seen.add(entry.person);
    if (entry.section !== undefined && !roster.section(entry.section)) problems.push(`${field}.section: "${entry.section}" is not one of the school's sections`);
    if (entry.lineManager !== undefined && !roster.person(entry.lineManager)) problems.push(`${field}.lineManager: "${entry.lineManager}" is not listed in people`);
    if (entry.lineManager === entry.person) problems.push(`${field}.lineManager: a person cannot be their own line manager`);
  });
  return problems;
}

/** Section of a person: the staff list, else the section where they are DSL or deputy. */
export function sectionOf(personId: string, settings: AcknowledgementSettings, roster: Roster): string | undefined {
  const listed = settings.staff.find((s) => s.person === personId)?.section;
  return listed ? roster.section(listed)?.name : roster.safeguardingSections(personId)[0]?.name;
}

export function lineManagerOf(personId: string, settings: AcknowledgementSettings): string | undefined {
  return settings.staff.find((s) => s.person === personId)?.lineManager;
}
