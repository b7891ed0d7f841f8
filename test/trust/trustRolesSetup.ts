import assert from 'node:assert/strict';
import type { IncidentCase } from '../../bot/incidents/caseRecord';
import { escalationJobId } from '../../bot/incidents/submitReport';
import { DocumentTable } from '../../bot/storage/documentTable';
import type { Harness } from '../support/harness';

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
