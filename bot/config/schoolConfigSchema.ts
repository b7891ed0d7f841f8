import { z } from 'zod';
import { NATIONS } from '../calendar/holidays';

/**
 * The school's configuration file, validated at start. Capability settings (incidents, filtering,
 * tutoring...) are validated by each capability's own schema; here they pass through untouched.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a real date');

const termSchema = z
  .object({ start: isoDate, end: isoDate })
  .strict()
  .refine((t) => t.start <= t.end, { message: 'a term must end on or after its start', path: ['end'] });

const personId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'use letters, digits, dot, dash or underscore');

export const personSchema = z
  .object({
    id: personId,
    name: z.string().min(1).max(100),
    email: z.string().email().optional(),
    aadObjectId: z.string().uuid().optional(),
    /** Shown when Teams cannot reach them, so an urgent alert can be phoned through. */
    phone: z.string().regex(/^\+?[0-9][0-9 ()-]{5,24}$/, 'digits, spaces, brackets or dashes, e.g. 01632 960123').optional(),
    /** A DSL on leave: cases go to their deputies. Can also be switched in chat. */
    away: z.boolean().default(false),
  })
  .strict()
  .refine((p) => p.email || p.aadObjectId, { message: 'needs an email or an aadObjectId so Lantern can recognise them' });

export const sectionSchema = z
  .object({
    name: z.string().min(1).max(40).regex(/^[A-Za-z][A-Za-z0-9 -]*$/, 'letters, digits, spaces and dashes only'),
    dsl: personId,
    deputies: z.array(personId).default([]),
    /** Year groups in this section, e.g. ["Reception", "Year 1"]; used to infer a pupil's section. */
    years: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const rolesSchema = z
  .object({
    head: personId,
    chairOfGovernors: personId,
    itManager: personId,
    itTechnicians: z.array(personId).default([]),
    deputyHeadPastoral: personId,
    deputyHeadAcademic: personId,
    dataProtectionLead: personId,
    onlineSafetyLead: personId.optional(),
    admins: z.array(personId).min(1, 'name at least one admin'),
    headsOfDepartment: z.record(z.string().min(1), personId).default({}),
  })
  .strict();

export const schoolConfigSchema = z
  .object({
    school: z
      .object({
        name: z.string().min(1).max(100),
        timezone: z.string().default('Europe/London'),
        /** Whose bank holidays count when working days are counted (e.g. the LADO deadline). */
        nation: z.enum(NATIONS).default('england'),
        /** Optional: school-day reminders and summaries skip the holidays between terms. */
        termDates: z.array(termSchema).optional(),
      })
      .strict(),
    people: z.array(personSchema).min(1),
    sections: z.array(sectionSchema).min(1),
    roles: rolesSchema,
  })
  .passthrough();

export type Person = z.infer<typeof personSchema>;
export type Section = z.infer<typeof sectionSchema>;
export type RoleAssignments = z.infer<typeof rolesSchema>;
export type SchoolConfig = z.infer<typeof schoolConfigSchema>;
