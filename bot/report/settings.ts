import { z } from 'zod';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a 24-hour time such as "16:00"');

/** The optional `report:` block: when the end-of-term report goes out, and what counts as due. */
export const reportSettingsSchema = z
  .object({
    /** Send the report to the Chair of Governors and the DSLs on the last day of each term. */
    sendAtTermEnd: z.boolean().default(true),
    /** School-local time on the term's last day. */
    sendAt: clock.default('16:00'),
    /** One filter check is due per this many days of the report's period (at least one). */
    filterCheckEveryDays: z.number().int().min(1).max(366).default(28),
    /** Earlier terms shown beside this one in the incidents chart. */
    termsCompared: z.number().int().min(0).max(5).default(2),
  })
  .strict();

export type ReportSettings = z.infer<typeof reportSettingsSchema>;
