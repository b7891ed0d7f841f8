import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { escalationJobId } from '../../bot/incidents/submitReport';
import { DocumentTable } from '../../bot/storage/documentTable';
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

export async function storedCase(h: Harness, school: string, ref: string): Promise<IncidentCase> {
  const found = await new DocumentTable<IncidentCase>(schoolOf(h, school).services.tables, 'incidents').get('case', ref);
  assert.ok(found, `${ref} is not stored in ${school}`);
  return found.value;
}

/** Runs a case's escalation now, as the scheduler would when its acknowledgement target passed. */
export async function escalateNow(h: Harness, school: string, ref: string, times = 1): Promise<void> {
  const scheduler = schoolOf(h, school).scheduler;
  for (let i = 0; i < times; i++) {
    await scheduler.schedule('incident.escalate', new Date(0), { ref }, escalationJobId(ref));
    await scheduler.runDue();
  }
}
