import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { EXAMPLE_CONFIG } from '../../bot/config/loadSchoolConfig';
import { endpointFromConnectionString, type TableEndpoint } from '../../bot/storage/tableService';
import { SCHOOL_TABLES, TRUST_JOB_KINDS, UNPARTITIONED } from '../../bot/trust/migrateSchool';
import { fileReport, know, PUPIL_DETAILS } from '../incidents/reportSteps';
import { startHarness } from '../support/harness';
import { people } from '../support/people';
import { writeSchoolFile } from '../support/schoolFiles';
import { teamChannel } from '../support/teamsChannel';
import { EXAMPLE_TRUST } from './trustPeople';

export interface OldStore {
  /** TABLES_CONNECTION_STRING and TABLES_PREFIX of the store. */
  env: { TABLES_CONNECTION_STRING: string; TABLES_PREFIX: string };
  endpoint: TableEndpoint;
  /** The case the school reported before it joined the trust. */
  ref: string;
  /** Stops the fake Teams the school's registered channel is in (left running, so the channel can still be posted to). */
  close(): Promise<void>;
}

/**
 * A store written by a single school's Lantern as it runs today on a school file (the example
 * school, Hollins Park): a DSL channel registered and a case reported, then the bot stopped.
 */
export async function singleSchoolStore(): Promise<OldStore> {
  const single = await startHarness({ env: { SCHOOL_CONFIG: EXAMPLE_CONFIG } });
  try {
    await know(single, people.seniorDsl, people.seniorDeputy);
    await single.say(people.dpo, 'register dsl Senior', teamChannel('Senior DSL'));
    const { ref } = await fileReport(single, people.teacher, { category: 'cyberbullying', subject: 'pupil', section: 'Senior', details: PUPIL_DETAILS });
    const env = { TABLES_CONNECTION_STRING: single.env.TABLES_CONNECTION_STRING, TABLES_PREFIX: single.env.TABLES_PREFIX };
    await single.lantern.stop();
    return { env, endpoint: endpointFromConnectionString(env.TABLES_CONNECTION_STRING, 'test', env.TABLES_PREFIX), ref, close: () => single.connector.stop() };
  } catch (err) {
    await single.stop();
    throw err;
  }
}

/** The trust the school joins: Hollins Park from its own school file, and the example trust's Brookfield. */
export async function hollinsTrustFile(): Promise<string> {
  const raw = YAML.parse(readFileSync(EXAMPLE_TRUST, 'utf8'));
  const brookfield = raw.schools[1];
  brookfield.policies = path.resolve(path.dirname(EXAMPLE_TRUST), brookfield.policies);
  return writeSchoolFile(YAML.stringify({ trust: { ...raw.trust, policies: undefined }, schools: [{ id: 'hollins', file: EXAMPLE_CONFIG }, brookfield] }), 'trust.yaml');
}

/** Every row of the school tables as `table/partition/row`, the file-offer jobs (which stay) left out. */
export async function schoolRows(endpoint: TableEndpoint, filter?: string): Promise<string[]> {
  const out: string[] = [];
  for (const table of SCHOOL_TABLES) {
    try {
      for await (const e of endpoint.client(table).listEntities<Record<string, unknown>>({ queryOptions: filter ? { filter } : undefined })) {
        if (table === 'jobs' && TRUST_JOB_KINDS.has(String(e.x_kind))) continue;
        out.push(`${table}/${e.partitionKey}/${e.rowKey}`);
      }
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }
  return out.sort();
}

/** The rows still in the layout before trusts. */
export const oldRows = (endpoint: TableEndpoint) => schoolRows(endpoint, UNPARTITIONED);
