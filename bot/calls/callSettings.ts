import { z } from 'zod';
import type { SchoolConfig } from '../config/schoolConfigSchema';

export const CALL_KINDS = ['video', 'audio', 'phone'] as const;
export type CallKind = (typeof CALL_KINDS)[number];

const purposeId = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes');

/**
 * One purpose a 1-1 call may have: which kinds of call and sections allow it, and whose advance
 * permission it needs. A purpose/kind/section not listed is not allowed.
 */
export const callRuleSchema = z
  .object({
    purpose: purposeId,
    label: z.string().min(1).max(60),
    kinds: z.array(z.enum(CALL_KINDS)).min(1),
    /** Sections where it is allowed; empty means every section. */
    sections: z.array(z.string().min(1)).default([]),
    permission: z.enum(['deputy-head-academic', 'deputy-head-pastoral']).optional(),
    /** A pastoral call: a secure note must follow it. */
    pastoral: z.boolean().default(false),
  })
  .strict();

/**
 * The reference policy's rules, written as data, without section names: a rule limited to some
 * sections (e.g. MFL conversation for seniors only) is the school's own, in its `calls:` block.
 */
const DEFAULT_RULES: Array<z.input<typeof callRuleSchema>> = [
  { purpose: 'learning-enrichment', label: 'Learning enrichment', kinds: ['video'] },
  { purpose: 'academic-reason', label: 'A specific academic reason', kinds: ['video'], permission: 'deputy-head-academic' },
  { purpose: 'exceptional-pastoral', label: 'Exceptional pastoral circumstances', kinds: ['video'], permission: 'deputy-head-pastoral', pastoral: true },
  { purpose: 'pastoral-catch-up', label: 'Pastoral catch-up', kinds: ['audio', 'phone'], pastoral: true },
  { purpose: 'counselling', label: 'Counselling', kinds: ['audio', 'phone'], pastoral: true },
  { purpose: 'ke-ee-meeting', label: 'KE/EE meeting', kinds: ['audio', 'phone'] },
  { purpose: 'university-applications', label: 'UCAS or US applications', kinds: ['audio', 'phone'] },
  { purpose: 'report-reading', label: 'Report reading', kinds: ['audio', 'phone'] },
  { purpose: 'academic-support', label: 'Academic support', kinds: ['audio', 'phone'] },
  { purpose: 'other-school-matters', label: 'Other school matters', kinds: ['audio', 'phone'] },
];

export const callSettingsSchema = z
  .object({
    rules: z.array(callRuleSchema).min(1).default(DEFAULT_RULES),
    bookInCalendar: z.boolean().default(true),
    headOfDepartmentOptional: z.boolean().default(true),
    /** Sections whose parents are told before a call (junior / lower school); default in callSchoolDefaults. */
    tellParentsInSections: z.array(z.string().min(1)),
    withholdNumberOnPhone: z.boolean().default(true),
    /** Hours after a pastoral call's planned time before its teacher is reminded to log it and write the note. */
    logReminderHours: z.number().int().min(1).max(168).default(24),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.rules.forEach((r, i) => {
      if (seen.has(r.purpose)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rules', i, 'purpose'], message: `"${r.purpose}" is listed twice` });
      seen.add(r.purpose);
    });
  });

export type CallSettings = z.infer<typeof callSettingsSchema>;
export type CallRule = z.infer<typeof callRuleSchema>;

/** Parents are told before any call unless the school lists only its junior sections: the safer side. */
export function callSchoolDefaults(school: SchoolConfig): Partial<CallSettings> {
  return { tellParentsInSections: school.sections.map((s) => s.name) };
}
