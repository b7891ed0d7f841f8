import { z } from 'zod';

const years = (max: number) => z.number().int().min(1).max(max);

/**
 * The `retention:` part of the school configuration: how long each kind of record is kept. The
 * defaults and the reasons for them are in the README ("Retention and legal hold"). Every period
 * is counted from a date the record itself holds, in the school's timezone, and a record goes on
 * the first daily sweep on or after its expiry date.
 */
export const retentionSettingsSchema = z
  .object({
    /** Incident cases (and their notes), counted from the day the case was last closed. */
    casesYearsAfterClosing: years(100).default(25),
    /** Filter change requests, counted from the day they were declined or ended. */
    filterRequestsYearsAfterClosing: years(50).default(6),
    /** Recorded filter checks, counted from the day of the check. */
    filterChecksYears: years(50).default(6),
    /** Tutor group session logs, counted from the day of the session. */
    tutorLogsYears: years(50).default(3),
    /** 1-1 call records, counted from the day of the call. */
    callsYears: years(50).default(6),
    /** Secure notes after pastoral calls, counted from the day written; never beyond the call itself (a note goes with its call). */
    callNotesYears: years(50).default(6),
    /** Policy questions staff asked, counted from the day asked. */
    questionsMonths: z.number().int().min(1).max(120).default(12),
    /** Audit lines not about a kept record, counted from the day written. */
    auditYears: years(100).default(6),
    /** Half-filled forms nobody finished, counted from the last change. */
    draftsDays: z.number().int().min(1).max(365).default(30),
    /** School time of the daily sweep (HH:MM). */
    sweepAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM, e.g. "02:30"').default('02:30'),
  })
  .strict()
  .superRefine((s, ctx) => {
    // A note is deleted with its call, so a longer period for notes would promise what never happens.
    if (s.callNotesYears > s.callsYears) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['callNotesYears'], message: `cannot be longer than callsYears (${s.callsYears}): a note is deleted with its call` });
  });

export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;
