import { z } from 'zod';

const minutes = z.number().int().min(1).max(7 * 24 * 60);

/**
 * The `incidents:` part of the school configuration. Defaults follow the reference policies:
 * an immediate-danger report is acknowledged within minutes, a police-referral category within
 * the hour, and allegations against staff reach the LADO within one working day (KCSIE Part 4).
 */
export const incidentSettingsSchema = z
  .object({
    /** Minutes a new case may go unacknowledged before it escalates (DSL → deputy → Head). */
    acknowledgeWithinMinutes: z
      .object({ P0: minutes.default(15), P1: minutes.default(60), P2: minutes.default(240), P3: minutes.default(1440) })
      .strict()
      .default({}),
    /** Working days after which the Head is reminded to refer an allegation against staff to the LADO. */
    ladoReminderWorkingDays: z.number().int().min(1).max(5).default(1),
    /** Prefix of case references, e.g. INC-2026-0007. */
    referencePrefix: z.string().regex(/^[A-Z]{2,6}$/, 'two to six capital letters').default('INC'),
  })
  .strict();

export type IncidentSettings = z.infer<typeof incidentSettingsSchema>;
export type Urgency = keyof IncidentSettings['acknowledgeWithinMinutes'];
