import { isPlainObject, readConfigFile, type SettingsSchemas } from '../config/loadSchoolConfig';
import { isTrustFile, validateTrust, type TrustConfig } from './trustConfig';

/**
 * The trust SCHOOL_CONFIG names, validated; undefined for a school file (or none), which
 * ConfigStore reads as it always has: a trust of one, its rows unpartitioned.
 */
export async function readTrustFile(file: string | undefined, schemas: SettingsSchemas): Promise<TrustConfig | undefined> {
  if (!file) return undefined;
  const raw = await readConfigFile(file);
  if (!isPlainObject(raw) || !isTrustFile(raw)) return undefined;
  return validateTrust(raw, file, schemas);
}
