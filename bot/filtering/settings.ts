import { z } from 'zod';
import type { Roster } from '../config/roster';
import type { SchoolConfig } from '../config/schoolConfigSchema';

/** The steps a request passes through, in the order the reference policies give them. */
export const STEP_IDS = ['sanction', 'authorise', 'make', 'confirm'] as const;
export type StepId = (typeof STEP_IDS)[number];

const CONFIRMERS = ['dsl', 'deputy-head-pastoral', 'deputy-head-academic'] as const;

/**
 * The `filtering:` part of the school configuration. Defaults follow the reference policies: the
 * senior DSL sanctions before IT authorises, a technician makes the change, and the DSL or deputy
 * head confirms it; every change is reviewed after a month.
 */
export const filteringSettingsSchema = z
  .object({
    /** Whose DSL sanctions and confirms filter changes; the default is schoolDefaults' below. */
    dslSection: z.string().min(1),
    chain: z
      .array(z.enum(STEP_IDS))
      .min(1)
      .default([...STEP_IDS])
      .refine((steps) => new Set(steps).size === steps.length, { message: 'a step is listed twice' })
      .refine((steps) => steps.includes('sanction') && steps.includes('make'), { message: 'must include sanction and make: the DSL sanctions every change before it is made' })
      .refine((steps) => steps.every((s, i) => i === 0 || STEP_IDS.indexOf(steps[i - 1]) < STEP_IDS.indexOf(s)), { message: 'steps must keep the order sanction, authorise, make, confirm' }),
    confirmBy: z.array(z.enum(CONFIRMERS)).min(1).default(['dsl', 'deputy-head-pastoral']),
    reviewAfterDays: z.number().int().min(1).max(366).default(30),
    /** Days after a review or expiry reminder before the IT manager is told it is overdue. */
    escalateAfterDays: z.number().int().min(1).max(60).default(3),
    /**
     * Hours a step may wait before whoever it waits for is reminded; as long again and it is
     * escalated (IT manager for IT steps, the senior DSL's deputies for DSL steps). Up to a week,
     * so a half-term cannot leave a change unchased for longer.
     */
    stepReminderHours: z.number().int().min(1).max(168).default(24),
    maxTemporaryDays: z.number().int().min(1).max(366).default(120),
    /** The filter's own categories, offered on the form. */
    categories: z
      .array(z.string().min(1).max(80))
      .min(1)
      .default(['Social networking', 'Video streaming', 'Online games', 'Forums and chat', 'Drugs (education)', 'Extremism (education)', 'Sexual health education', 'File sharing']),
    /** Never opened, whoever asks: the IWF child-abuse list and the police terrorism list. */
    neverAllowCategories: z
      .array(z.string().min(1).max(80))
      .default(['Child sexual abuse material (IWF list)', 'Terrorist content (police CTIRU list)', 'Proxies and VPNs']),
    /**
     * Who acts on a step when everyone holding its role is ruled out (the IT manager cannot
     * authorise his own request): a roster person id per step. A step left out has no alternate,
     * and a request that would need one is refused when it is sent.
     */
    alternates: z.object({ sanction: z.string().min(1).optional(), authorise: z.string().min(1).optional(), make: z.string().min(1).optional(), confirm: z.string().min(1).optional() }).strict().default({}),
    /** Sites the school never unblocks; subdomains are included. */
    neverAllowSites: z.array(z.string().min(1).max(253)).default([]),
  })
  .strict();

export type FilteringSettings = z.infer<typeof filteringSettingsSchema>;

/**
 * The senior DSL's section when the file names none: the section whose DSL is the online-safety
 * lead, else the first section listed. Never a name from the example school.
 */
export function filteringSchoolDefaults(school: SchoolConfig): Partial<FilteringSettings> {
  const lead = school.roles.onlineSafetyLead;
  return { dslSection: (school.sections.find((s) => s.dsl === lead) ?? school.sections[0]).name };
}

export function checkFilteringSettings(settings: FilteringSettings, roster: Roster): string[] {
  const errors: string[] = [];
  if (!roster.section(settings.dslSection)) {
    const names = roster.sections().map((s) => s.name).join(', ');
    errors.push(`filtering.dslSection: "${settings.dslSection}" is not one of the school's sections (${names})`);
  }
  for (const [step, id] of Object.entries(settings.alternates)) {
    if (id && !roster.person(id)) errors.push(`filtering.alternates.${step}: "${id}" is not the id of anyone under people`);
  }
  return errors;
}
