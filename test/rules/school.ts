import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { EXAMPLE_CONFIG, validateConfig } from '../../bot/config/loadSchoolConfig';
import { Roster } from '../../bot/config/roster';
import { schoolConfigSchema } from '../../bot/config/schoolConfigSchema';
import { settingsBlocks } from '../../bot/capabilities';
import { callsModule } from '../../bot/calls';
import type { CallSettings } from '../../bot/calls/callSettings';

/** The roster of bot/config/school.example.yaml (Hollins Park), as the bot loads it. */
export function exampleRoster(): Roster {
  return new Roster(validateConfig(YAML.parse(readFileSync(EXAMPLE_CONFIG, 'utf8')), 'example', {}).school);
}

/** The example school's own 1-1 call settings (its `calls:` block, with the defaults for its sections). */
export function exampleCallSettings(): CallSettings {
  const example = validateConfig(YAML.parse(readFileSync(EXAMPLE_CONFIG, 'utf8')), 'example', settingsBlocks([callsModule]));
  return example.settings.calls as CallSettings;
}

/** Everyone in the example roster, in file order, plus a member of staff the roster does not list. */
export const EVERYONE = ['hbrook', 'rowen', 'dkhan', 'lmorris', 'pgreen', 'tjones', 'mcole', 'swu', 'jboateng', 'efisher', 'ngrant', 'adavies', 'cshaw', 'kpatel', 'teacher'] as const;

export interface SmallSchool {
  /** An id, or a person with an away flag; a person given an Entra object id has no email. */
  people: Array<string | { id: string; away?: boolean; aadObjectId?: string }>;
  sections: Array<{ name: string; dsl: string; deputies?: string[]; years?: string[] }>;
  roles?: Partial<Record<'head' | 'chairOfGovernors' | 'itManager' | 'deputyHeadPastoral' | 'deputyHeadAcademic' | 'dataProtectionLead' | 'onlineSafetyLead', string>> & { itTechnicians?: string[]; admins?: string[]; headsOfDepartment?: Record<string, string> };
}

/**
 * A roster from a few lines of configuration, through the real schema. Role ids need not be in
 * `people` (the cross-check lives in validateConfig), so a missing holder can be tested too.
 */
export function smallRoster(school: SmallSchool, away: ReadonlyMap<string, boolean> = new Map()): Roster {
  const config = schoolConfigSchema.parse({
    school: { name: 'Small School' },
    people: school.people.map((p) => (typeof p === 'string' ? { id: p } : p)).map((p) => ({ ...p, name: `Person ${p.id}`, ...(p.aadObjectId ? {} : { email: `${p.id}@small.example.org` }) })),
    sections: school.sections,
    roles: { head: 'head', chairOfGovernors: 'chair', itManager: 'itm', deputyHeadPastoral: 'dhp', deputyHeadAcademic: 'dha', dataProtectionLead: 'dpl', admins: ['itm'], ...school.roles },
  });
  return new Roster(config, away);
}
