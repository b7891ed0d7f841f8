import { readFile } from 'node:fs/promises';
import YAML from 'yaml';
import { ZodType, type ZodTypeAny } from 'zod';
import { projectPath } from '../projectRoot';
import { ConfigError, describeIssues } from './configErrors';
import { Roster } from './roster';
import { schoolConfigSchema, type SchoolConfig } from './schoolConfigSchema';
import { own, setOwn } from '../core/ownLookup';

/**
 * A capability's own part of the file, e.g. `incidents:`. The hooks exist because a zod schema
 * sees only its block: defaults that follow the school's own sections, and references into people.
 */
export interface SettingsBlock {
  settingsSchema: ZodTypeAny;
  /** Leaving the block out means the feature is not set up (nothing is assumed for it). */
  notSetUpWhenOmitted?: boolean;
  /** Defaults that depend on this school (its sections, roles), applied under what the file gives. */
  schoolDefaults?(school: SchoolConfig): Record<string, unknown>;
  /** References from the settings into the roster, each problem naming its field. */
  checkSettings?(settings: any, roster: Roster): string[];
}

/** By settings key; a bare zod schema is a block with no hooks. */
export type SettingsSchemas = Record<string, ZodTypeAny | SettingsBlock>;

export interface ValidatedConfig {
  school: SchoolConfig;
  /** Each capability's settings after defaults; absent for a block that is not set up. */
  settings: Record<string, unknown>;
  /** Settings keys whose optional block was left out. */
  notSetUp: string[];
}

export const EXAMPLE_CONFIG = projectPath('bot', 'config', 'school.example.yaml');

export function blockOf(spec: ZodTypeAny | SettingsBlock): SettingsBlock {
  return spec instanceof ZodType ? { settingsSchema: spec } : spec;
}

export async function readConfigFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
  }
  try {
    return /\.json$/i.test(file) ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new ConfigError(file, [`is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`]);
  }
}

/** Validates raw configuration; every problem is reported at once, each naming its field. */
export function validateConfig(raw: unknown, source: string, schemas: SettingsSchemas): ValidatedConfig {
  const parsed = schoolConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, describeIssues(parsed.error));
  const school = parsed.data;
  const problems = crossCheck(school);
  // Checks into the roster only make sense once people and roles are sound.
  const roster = problems.length ? undefined : new Roster(school);
  const settings: Record<string, unknown> = {};
  const notSetUp: string[] = [];
  for (const [key, spec] of Object.entries(schemas)) {
    const block = blockOf(spec);
    const given = own(school as Record<string, unknown>, key);
    if (given === undefined && block.notSetUpWhenOmitted) {
      notSetUp.push(key);
      continue;
    }
    const input = isPlainObject(given ?? {}) ? { ...(block.schoolDefaults?.(school) ?? {}), ...((given ?? {}) as object) } : given;
    const result = block.settingsSchema.safeParse(input);
    if (!result.success) {
      problems.push(...describeIssues(result.error, [key]));
      continue;
    }
    setOwn(settings, key, result.data);
    if (roster && block.checkSettings) problems.push(...block.checkSettings(result.data, roster));
  }
  if (problems.length) throw new ConfigError(source, problems);
  return { school, settings, notSetUp };
}

export async function loadConfigFile(file: string, schemas: SettingsSchemas): Promise<ValidatedConfig> {
  return validateConfig(await readConfigFile(file), file, schemas);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** References between parts of the file: checks zod cannot express field by field. */
function crossCheck(config: SchoolConfig): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const seen = new Map<string, string>();
  config.people.forEach((p, i) => {
    if (ids.has(p.id)) problems.push(`people[${i}].id: "${p.id}" is used twice`);
    ids.add(p.id);
    for (const key of [p.email?.toLowerCase(), p.aadObjectId?.toLowerCase()]) {
      if (!key) continue;
      if (seen.has(key)) problems.push(`people[${i}]: ${key} is also given for "${seen.get(key)}"`);
      seen.set(key, p.id);
    }
  });
  const known = (field: string, id: string | undefined) => {
    if (id !== undefined && !ids.has(id)) problems.push(`${field}: "${id}" is not listed in people`);
  };
  const sectionNames = new Set<string>();
  config.sections.forEach((s, i) => {
    if (sectionNames.has(s.name.toLowerCase())) problems.push(`sections[${i}].name: "${s.name}" is used twice`);
    sectionNames.add(s.name.toLowerCase());
    known(`sections[${i}].dsl`, s.dsl);
    s.deputies.forEach((d, j) => known(`sections[${i}].deputies[${j}]`, d));
  });
  const r = config.roles;
  for (const field of ['head', 'chairOfGovernors', 'itManager', 'deputyHeadPastoral', 'deputyHeadAcademic', 'dataProtectionLead', 'onlineSafetyLead'] as const) {
    known(`roles.${field}`, r[field]);
  }
  r.itTechnicians.forEach((id, j) => known(`roles.itTechnicians[${j}]`, id));
  r.admins.forEach((id, j) => known(`roles.admins[${j}]`, id));
  for (const [dept, id] of Object.entries(r.headsOfDepartment)) known(`roles.headsOfDepartment.${dept}`, id);
  // The Chair must be someone other than the Head: allegations about the Head go to the Chair.
  if (r.head === r.chairOfGovernors) problems.push('roles.chairOfGovernors: must be a different person from roles.head');
  return problems;
}
