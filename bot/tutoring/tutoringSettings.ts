import { z } from 'zod';
import { WEEKDAYS } from '../calendar/schoolTime';

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
    /** The school's own groups: there is no default, a `tutoring:` block must list them. */
    tutorGroups: z.array(tutorGroupSchema).min(1, 'list at least one tutor group (or leave out the tutoring block)'),
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

export const TUTORING_NOT_SET_UP = 'Tutor group logs are not set up for this school yet: a Lantern admin adds a tutoring block listing the tutor groups to the school configuration file (see bot/config/school.example.yaml).';

/** Only to build the not-set-up capability's command list; never used to log anything. */
export const NO_TUTOR_GROUPS: TutoringSettings = {
  tutorGroups: [],
  sessionDays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
  weeklySummary: { day: 'Friday', time: '15:30', alsoTo: [] },
  tutorReminder: { enabled: false, day: 'Friday', time: '12:00' },
};
