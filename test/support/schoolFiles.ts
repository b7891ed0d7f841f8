import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { EXAMPLE_CONFIG } from '../../bot/config/loadSchoolConfig';
import { projectPath } from '../../bot/projectRoot';
import type { Member } from './fakeConnector';

export const exampleText = () => readFileSync(EXAMPLE_CONFIG, 'utf8');

/** Writes a school configuration file in a fresh temporary folder; returns its path. */
export async function writeSchoolFile(text: string, name = 'school.yaml'): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'lantern-school-')), name);
  await writeFile(file, text);
  return file;
}

/** The example file with the named top-level blocks taken out. */
export function exampleWithout(...blocks: string[]): string {
  const raw = YAML.parse(exampleText()) as Record<string, unknown>;
  for (const b of blocks) delete raw[b];
  return YAML.stringify(raw);
}

export const THREE_SECTION_SCHOOL = projectPath('test', 'fixtures', 'schools', 'infants-juniors-seniors.yaml');

/** Teams identities for the people of a fixture school file (by their id). */
export function membersOf(file: string): Record<string, Member> {
  const raw = YAML.parse(readFileSync(file, 'utf8')) as { people: Array<{ id: string; name: string; email: string }> };
  return Object.fromEntries(raw.people.map((p, i) => [p.id, { id: `29:${p.id}`, name: p.name, email: p.email, aadObjectId: `99999999-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}` }]));
}

/** Every name of the example school a reply must not show to another school. */
export function exampleNames(): RegExp[] {
  const raw = YAML.parse(exampleText()) as any;
  const words: string[] = [raw.school.name, 'hollinspark', ...raw.people.flatMap((p: any) => [p.name, p.id]), ...raw.sections.map((s: any) => s.name), ...raw.tutoring.tutorGroups.map((g: any) => g.name)];
  return words.map((w) => new RegExp(`(^|[^A-Za-z0-9-])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9-])`, 'i'));
}
