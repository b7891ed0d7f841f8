import { z } from 'zod';
import { WEEKDAYS } from './schoolTime';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a 24-hour time such as "15:30"');
const weekday = z.enum(WEEKDAYS);
/** A roster person id, or the email of staff Lantern knows only from Teams. */
const personRef = z.string().regex(/^([a-z0-9][a-z0-9._-]*|[^@\s]+@[^@\s]+\.[^@\s]+)$/i, 'a person id from `people` or an email address');

export const tutorGroupSchema = z
  .object({
    name: z.string().min(1).max(20).regex(/^[A-Za-z0-9][A-Za-z0-9 -]*$/, 'letters, digits, spaces and dashes only'),
    tutor: personRef,
    section: z.string().min(1),
  })
  .strict();

export const tutoringSettingsSchema = z
  .object({
    tutorGroups: z.array(tutorGroupSchema).default([
      { name: '9B', tutor: 'o.teacher@hollinspark.example.org', section: 'Senior' },
      { name: '10A', tutor: 's.tutor@hollinspark.example.org', section: 'Senior' },
      { name: '11C', tutor: 'cshaw', section: 'Senior' },
    ]),
    /** Days a tutor session is expected; the weekly record shows these columns. */
    sessionDays: z.array(weekday).min(1).default(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']),
    weeklySummary: z
      .object({
        day: weekday.default('Friday'),
        time: clock.default('15:30'),
        /** Extra people (besides the deputy head (pastoral) or the pastoral channel) who get it 1:1. */
        alsoTo: z.array(personRef).default([]),
      })
      .strict()
      .default({}),
    tutorReminder: z
      .object({
        enabled: z.boolean().default(true),
        day: weekday.default('Friday'),
        time: clock.default('12:00'),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.tutorGroups.forEach((g, i) => {
      const key = g.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['tutorGroups', i, 'name'], message: `"${g.name}" is listed twice` });
      seen.add(key);
    });
  });

export type TutoringSettings = z.infer<typeof tutoringSettingsSchema>;
export type TutorGroup = z.infer<typeof tutorGroupSchema>;
