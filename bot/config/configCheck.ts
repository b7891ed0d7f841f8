import { settingsBlocks } from '../capabilities';
import { readSettings } from '../settings';
import { AuditLog } from '../storage/auditLog';
import { openStorage } from '../storage/openStorage';
import { ConfigError } from './configErrors';
import { configReport, reportLines } from './configReport';
import { ConfigStore, sourceOf } from './configStore';
import { scriptSchool } from '../trust/scriptSchool';

/**
 * `npm run config:check`: what the bot would use at its next start (same environment, same file
 * and tables), value by value with its source. Writes nothing; exits 1 naming the bad field if
 * the configuration would stop start-up. With the embedded store, stop the bot first.
 */
export async function configCheck(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const settings = readSettings(env);
  const store = await openStorage(settings);
  try {
    // In a trust, the school LANTERN_SCHOOL names: its block of the file, its partitions.
    const { tables, given } = await scriptSchool(settings.schoolConfigFile, env.LANTERN_SCHOOL, store.tables, settingsBlocks());
    const config = new ConfigStore(tables, new AuditLog(tables), settingsBlocks());
    const resolution = await config.resolve(settings.schoolConfigFile, { exampleAllowed: !settings.bot.appId, given });
    return reportLines(configReport(resolution, config.schemas, sourceOf(resolution, new Date().toISOString())));
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  configCheck().then(
    (lines) => console.log(lines.join('\n')),
    (err: Error) => {
      console.error(err instanceof ConfigError ? `config:check: ${err.message}` : `config:check failed: ${err.message}`);
      process.exitCode = 1;
    },
  );
}
