import { readFile } from 'node:fs/promises';
import YAML from 'yaml';
import type { ZodTypeAny } from 'zod';
import { projectPath } from '../projectRoot';
import { ConfigError, describeIssues } from './configErrors';
import { schoolConfigSchema, type SchoolConfig } from './schoolConfigSchema';
import { own, setOwn } from '../core/ownLookup';

/** A capability's own part of the file, e.g. `incidents:`; validated with its schema. */
export type SettingsSchemas = Record<string, ZodTypeAny>;

export interface ValidatedConfig {
  school: SchoolConfig;
  /** Each capability's settings after its schema applied defaults. */
  settings: Record<string, unknown>;
}

export const EXAMPLE_CONFIG = projectPath('bot', 'config', 'school.example.yaml');

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
  const settings: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(schemas)) {
    const result = schema.safeParse(own(school as Record<string, unknown>, key) ?? {});
    if (result.success) setOwn(settings, key, result.data);
    else problems.push(...describeIssues(result.error, [key]));
  }
  if (problems.length) throw new ConfigError(source, problems);
  return { school, settings };
}

export async function loadConfigFile(file: string, schemas: SettingsSchemas): Promise<ValidatedConfig> {
  return validateConfig(await readConfigFile(file), file, schemas);
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
