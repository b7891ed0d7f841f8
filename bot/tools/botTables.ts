import { settingsBlocks } from '../capabilities';
import { ConfigStore } from '../config/configStore';
import { readSettings, type Settings } from '../settings';
import { AuditLog } from '../storage/auditLog';
import { openStorage, type OpenedStorage } from '../storage/openStorage';
import type { TableProvisioner } from '../storage/tableService';
import { scriptSchool } from '../trust/scriptSchool';

export interface BotTables {
  settings: Settings;
  tables: TableProvisioner;
  audit: AuditLog;
  /** The school configuration the bot would use; a script reads it and never stores a changed file. */
  config: ConfigStore;
  endpoint: OpenedStorage['endpoint'];
}

/** Runs an export or report script on the bot's own tables and configuration (one school's, in a trust: LANTERN_SCHOOL), closing them after. */
export async function withBotTables<T>(work: (bot: BotTables) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const settings = readSettings(env);
  const { endpoint, tables: all, close } = await openStorage(settings);
  try {
    const { tables, given } = await scriptSchool(settings.schoolConfigFile, env.LANTERN_SCHOOL, all, settingsBlocks());
    const audit = new AuditLog(tables);
    const config = new ConfigStore(tables, audit, settingsBlocks());
    await config.load(settings.schoolConfigFile, { exampleAllowed: !settings.bot.appId, store: false, given });
    return await work({ settings, tables, audit, config, endpoint });
  } finally {
    await close();
  }
}
