import { ConfigError } from '../config/configErrors';
import type { SettingsSchemas } from '../config/loadSchoolConfig';
import type { TableProvisioner } from '../storage/tableService';
import { readTrustFile } from './readTrustFile';
import { TRUST_WIDE_TABLES } from './trustWideTables';

/**
 * For an export or report script: the tables and configuration block of the one school it is run
 * for. With a school file, the tables as they are; with a trust file, LANTERN_SCHOOL names the
 * school, and the script then reads only that school's partitions.
 */
export async function scriptSchool(file: string | undefined, school: string | undefined, tables: TableProvisioner, schemas: SettingsSchemas): Promise<{ tables: TableProvisioner; given?: { raw: unknown; source: string }; policies?: string }> {
  const trust = await readTrustFile(file, schemas);
  if (!trust) return { tables };
  const ids = trust.schools.map((s) => s.id);
  const chosen = trust.schools.find((s) => s.id === school);
  if (!chosen) {
    throw new ConfigError('environment', [`LANTERN_SCHOOL: ${school ? `"${school}" is not a school of ${file}` : `required with a trust file`}: one of ${ids.join(', ')}`]);
  }
  return { tables: tables.forSchool(chosen.id, TRUST_WIDE_TABLES), given: { raw: chosen.raw, source: chosen.source }, policies: chosen.policies ?? trust.trust?.policiesDir };
}
