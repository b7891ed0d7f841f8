import path from 'node:path';
import { ConfigError, describeIssues } from '../config/configErrors';
import { isPlainObject, readConfigFile, validateConfig, type SettingsSchemas, type ValidatedConfig } from '../config/loadSchoolConfig';
import { trustFileSchema, type TrustPart } from './trustConfigSchema';
import { idClashes } from './trustOfficers';

/** One school as the trust file gives it, validated exactly as a school file is. */
export interface TrustSchool {
  id: string;
  /** The school's own configuration: what a school file holds (ids and folders taken out). */
  raw: Record<string, unknown>;
  validated: ValidatedConfig;
  /** The school's policy folder, absolute; undefined falls back to POLICY_DIR. */
  policies?: string;
  /** Where its block came from, for the start-up log. */
  source: string;
}

/**
 * What a configuration file describes. A school file is a trust of one: `trust` is undefined and
 * its only school is `partitioned: false`, so its rows keep the keys they always had.
 */
export interface TrustConfig {
  trust?: TrustPart & { policiesDir?: string };
  schools: TrustSchool[];
  /** Whether each school's rows carry its id in their partition keys. */
  partitioned: boolean;
}

/** The single school's id when a school file (not a trust file) is in use. */
export const SINGLE_SCHOOL = 'school';

export function isTrustFile(raw: unknown): boolean {
  return isPlainObject(raw) && ('schools' in raw || 'trust' in raw);
}

/** Validates a trust file; every problem is reported at once, each naming its field (`schools[2].sections[0].dsl`). */
export async function validateTrust(raw: unknown, file: string, schemas: SettingsSchemas): Promise<TrustConfig> {
  const parsed = trustFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(file, describeIssues(parsed.error));
  const dir = path.dirname(path.resolve(file));
  const { trust, schools: entries } = parsed.data;
  const problems = crossCheckTrust(trust);
  const schools: TrustSchool[] = [];
  const seenIds = new Map<string, number>();
  const seenNames = new Map<string, number>();
  for (const [i, entry] of entries.entries()) {
    const field = `schools[${i}]`;
    if (seenIds.has(entry.id)) problems.push(`${field}.id: "${entry.id}" is also the id of schools[${seenIds.get(entry.id)}]`);
    seenIds.set(entry.id, i);
    const { id, policies, file: schoolFile, ...inline } = entry;
    let block: unknown = inline;
    let source = `${file} ${field}`;
    if (schoolFile) {
      if (Object.keys(inline).length) {
        problems.push(`${field}.file: give the school either in a file or inline, not both`);
        continue;
      }
      const where = path.resolve(dir, schoolFile);
      try {
        block = await readConfigFile(where);
      } catch (err) {
        problems.push(`${field}.file: ${(err as ConfigError).problems?.[0] ?? (err as Error).message} (${where})`);
        continue;
      }
      source = where;
    }
    try {
      const validated = validateConfig(block, source, schemas);
      const name = validated.school.school.name.toLowerCase();
      if (seenNames.has(name)) problems.push(`${field}.school.name: "${validated.school.school.name}" is also the name of schools[${seenNames.get(name)}]`);
      seenNames.set(name, i);
      problems.push(...idClashes(trust.people, validated.school.people, field));
      schools.push({ id, raw: block as Record<string, unknown>, validated, policies: policies ? path.resolve(dir, policies) : undefined, source });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems.map((p) => (p.startsWith('(top level)') ? `${field}${p.slice('(top level)'.length)}` : `${field}.${p}`)));
    }
  }
  if (problems.length) throw new ConfigError(file, problems);
  return { trust: { ...trust, policiesDir: trust.policies ? path.resolve(dir, trust.policies) : undefined }, schools, partitioned: true };
}

/** A school file as a trust of one: unpartitioned, so a store written before trusts reads as it did. */
export function singleSchool(raw: unknown, source: string, validated: ValidatedConfig): TrustConfig {
  return { schools: [{ id: SINGLE_SCHOOL, raw: raw as Record<string, unknown>, validated, source }], partitioned: false };
}

function crossCheckTrust(trust: TrustPart): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  trust.people.forEach((p, i) => {
    if (ids.has(p.id)) problems.push(`trust.people[${i}].id: "${p.id}" is used twice`);
    ids.add(p.id);
  });
  for (const [role, id] of Object.entries(trust.roles)) {
    if (id !== undefined && !ids.has(id)) problems.push(`trust.roles.${role}: "${id}" is not listed in trust.people`);
  }
  if (trust.roles.ceo === trust.roles.chairOfTrustees) problems.push('trust.roles.chairOfTrustees: must be a different person from trust.roles.ceo');
  return problems;
}
