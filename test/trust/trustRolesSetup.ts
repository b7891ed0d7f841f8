import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import type { Harness } from '../support/harness';
import { EXAMPLE_TRUST } from './trustPeople';

/**
 * The example trust with another `trust.headteacherAllegations` (and any other change to its
 * parsed file), written beside nothing: its folders are made absolute so it reads from anywhere.
 */
export async function exampleTrustWith(change: (raw: any) => void): Promise<string> {
  const raw = YAML.parse(await readFile(EXAMPLE_TRUST, 'utf8'));
  const dir = path.dirname(EXAMPLE_TRUST);
  if (raw.trust.policies) raw.trust.policies = path.resolve(dir, raw.trust.policies);
  for (const school of raw.schools) if (school.policies) school.policies = path.resolve(dir, school.policies);
  change(raw);
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'lantern-trust-')), 'trust.yaml');
  await writeFile(file, YAML.stringify(raw));
  return file;
}

/** The school's runtime in the harness, by id. */
export function schoolOf(h: Harness, id: string) {
  const school = h.lantern.schools.find((s) => s.id === id);
  if (!school) throw new Error(`no school ${id}`);
  return school;
}
