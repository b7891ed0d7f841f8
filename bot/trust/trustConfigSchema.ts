import { z } from 'zod';
import { personSchema } from '../config/schoolConfigSchema';
import { SCHOOL_ID } from '../storage/tableService';

const personId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'use letters, digits, dot, dash or underscore');

/** Who takes an allegation about a headteacher in a trust (issue 16): a trust officer or the school's own chair. */
export const HEADTEACHER_ALLEGATION_ROUTES = ['ceo', 'chairOfTrustees', 'schoolChair'] as const;

/** People above the schools: they are named in `trust.people`, not in any school's roster. */
export const trustRolesSchema = z
  .object({
    safeguardingLead: personId,
    itManager: personId.optional(),
    ceo: personId,
    chairOfTrustees: personId,
  })
  .strict();

export const trustPartSchema = z
  .object({
    name: z.string().min(1).max(100),
    people: z.array(personSchema).min(1),
    roles: trustRolesSchema,
    /** A folder of policies every school's answers include (relative to the trust file). */
    policies: z.string().min(1).optional(),
    headteacherAllegations: z.enum(HEADTEACHER_ALLEGATION_ROUTES).default('schoolChair'),
  })
  .strict();

/**
 * One school of the trust: `id` names its partitions in Tables (so it must never change), `policies`
 * its own policy folder; the rest is exactly a school file, inline or in `file`.
 */
export const schoolEntrySchema = z
  .object({
    id: z.string().regex(SCHOOL_ID, 'lower-case letters, digits and dashes (at most 40), e.g. "north-primary"'),
    policies: z.string().min(1).optional(),
    file: z.string().min(1).optional(),
  })
  .passthrough();

export const trustFileSchema = z
  .object({
    trust: trustPartSchema,
    schools: z.array(schoolEntrySchema).min(1, 'list at least one school'),
  })
  .strict();

export type TrustPart = z.infer<typeof trustPartSchema>;
export type TrustRoles = z.infer<typeof trustRolesSchema>;
