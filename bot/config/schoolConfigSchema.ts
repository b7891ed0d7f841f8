import { z } from 'zod';

/**
 * The school's configuration file, validated at start. Capability settings (incidents, filtering,
 * tutoring...) are validated by each capability's own schema; here they pass through untouched.
 */
const personId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'use letters, digits, dot, dash or underscore');

export const personSchema = z
  .object({
    id: personId,
    name: z.string().min(1).max(100),
    email: z.string().email().optional(),
    aadObjectId: z.string().uuid().optional(),
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
    school: z.object({ name: z.string().min(1).max(100), timezone: z.string().default('Europe/London') }).strict(),
    people: z.array(personSchema).min(1),
    sections: z.array(sectionSchema).min(1),
    roles: rolesSchema,
  })
  .passthrough();

export type Person = z.infer<typeof personSchema>;
export type Section = z.infer<typeof sectionSchema>;
export type RoleAssignments = z.infer<typeof rolesSchema>;
export type SchoolConfig = z.infer<typeof schoolConfigSchema>;
